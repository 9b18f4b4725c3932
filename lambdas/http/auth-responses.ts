import type { Authenticated } from '../domain/sessions.ts';
import { config } from '../runtime/config.ts';
import type { ApiResult } from './api-handler.ts';
import { refreshCookie } from './cookies.ts';

/** The token in the body, the refresh token only in the HttpOnly cookie. */
export function authenticatedResult(session: Authenticated): ApiResult {
  const { status, accessToken, tokenType, expiresIn } = session;
  return {
    statusCode: 200,
    body: { status, accessToken, tokenType, expiresIn },
    cookies: [refreshCookie(session.refreshToken, session.refreshMaxAgeSeconds, config().apiBasePath)],
  };
}

/** Public, and the same for everyone: other services may cache it (contract, amended 2026-11-26). */
export const CACHEABLE_PUBLIC = { 'Cache-Control': 'public, max-age=300' } as const;
