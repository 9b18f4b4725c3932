import type { Authenticated } from '../domain/sessions.ts';
import type { NextSignInStep } from '../domain/sign-in-steps.ts';
import type { RememberedDevice } from '../domain/trusted-devices.ts';
import type { ApiResult } from './api-handler.ts';

/** The token in the body, the refresh token only in the HttpOnly cookie. */
export function authenticatedResult(session: Authenticated): ApiResult {
  const { status, accessToken, tokenType, expiresIn } = session;
  return {
    statusCode: 200,
    body: { status, accessToken, tokenType, expiresIn },
    cookies: [{ name: 'refresh', value: session.refreshToken, maxAgeSeconds: session.refreshMaxAgeSeconds }],
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
  const cookie = { name: 'device', value: device.token, maxAgeSeconds: device.maxAgeSeconds } as const;
  return { ...result, cookies: [...(result.cookies ?? []), cookie] };
}
