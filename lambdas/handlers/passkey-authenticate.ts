import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import * as routes from '../contract/routes.ts';
import { nextStepResult } from '../http/auth-responses.ts';
import { DEVICE_COOKIE } from '../http/cookies.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { passkeys } from '../runtime/passkey-services.ts';

const keys = await passkeys();

export const handler = apiHandler(routes.passkeyAuthenticate, async (request) => {
  const response = request.body.response as unknown as AuthenticationResponseJSON;
  const { device, ...step } = await keys.authenticate(
    { response, rememberDevice: request.body.rememberDevice },
    { ...request, deviceToken: request.cookies[DEVICE_COOKIE] },
  );
  return nextStepResult(step, device);
});
