import type { Authenticated } from '../domain/sessions.ts';
import type { ApiResult } from './api-handler.ts';
import { refreshCookie } from './cookies.ts';

/** The token in the body, the refresh token only in the HttpOnly cookie. */
export function authenticatedResult(session: Authenticated): ApiResult {
  const { status, accessToken, tokenType, expiresIn } = session;
  return {
    statusCode: 200,
    body: { status, accessToken, tokenType, expiresIn },
    cookies: [refreshCookie(session.refreshToken, session.refreshMaxAgeSeconds)],
  };
}
