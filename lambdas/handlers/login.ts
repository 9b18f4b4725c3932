import * as routes from '../contract/routes.ts';
import { nextStepResult } from '../http/auth-responses.ts';
import { DEVICE_COOKIE } from '../http/cookies.ts';
import { message } from '../http/messages.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { login } from '../runtime/services.ts';

const signIn = await login();

export const handler = apiHandler(routes.login, async (request) => {
  const outcome = await signIn.login(request.body, { ...request, deviceToken: request.cookies[DEVICE_COOKIE] });
  switch (outcome.status) {
    case 'CODE_CHANGE_REQUIRED':
    case 'DEVICE_VERIFICATION_REQUIRED':
      return {
        statusCode: 200,
        body: { ...outcome, message: message(outcome.status, request.language) },
      };
    default: {
      const { device, ...step } = outcome;
      return nextStepResult(step, device);
    }
  }
});
