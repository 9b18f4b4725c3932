import * as routes from '../contract/routes.ts';
import { nextStepResult } from '../http/auth-responses.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { deviceVerification } from '../runtime/services.ts';

const verification = await deviceVerification();

export const handler = apiHandler(routes.deviceVerify, async (request) => {
  const { device, ...step } = await verification.verify(request.body, request);
  return nextStepResult(step, device);
});
