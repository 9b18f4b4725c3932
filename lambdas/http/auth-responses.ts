import type { Authenticated } from '../domain/sessions.ts';
import type { NextSignInStep } from '../domain/sign-in-steps.ts';
import type { RememberedDevice } from '../domain/trusted-devices.ts';
import { config } from '../runtime/config.ts';
import type { ApiResult } from './api-handler.ts';
import { deviceCookie, refreshCookie } from './cookies.ts';

/** The token in the body, the refresh token only in the HttpOnly cookie. */
export function authenticatedResult(session: Authenticated): ApiResult {
  const { status, accessToken, tokenType, expiresIn } = session;
  return {
    statusCode: 200,
    body: { status, accessToken, tokenType, expiresIn },
    cookies: [refreshCookie(session.refreshToken, session.refreshMaxAgeSeconds, config().apiBasePath)],
  };
}

/** The terms to accept (with their challenge), or the session; plus the trusted-device cookie when one was remembered. */
export function nextStepResult(step: NextSignInStep, device?: RememberedDevice): ApiResult {
  const result: ApiResult =
    step.status === 'AUTHENTICATED'
      ? authenticatedResult(step)
      : {
          statusCode: 200,
          body: {
            status: step.status,
            terms: { version: step.terms.version, url: step.terms.url },
            challenge: step.challenge,
          },
        };
  return device ? withDeviceCookie(result, device) : result;
}

export function withDeviceCookie(result: ApiResult, device: RememberedDevice): ApiResult {
  const cookie = deviceCookie(device.token, device.maxAgeSeconds, config().apiBasePath);
  return { ...result, cookies: [...(result.cookies ?? []), cookie] };
}

/** Public, and the same for everyone: other services may cache it (http-api-v1.md, GET /.well-known/openid-configuration). */
export const CACHEABLE_PUBLIC = { 'Cache-Control': 'public, max-age=300' } as const;
