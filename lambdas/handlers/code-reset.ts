import * as routes from '../contract/routes.ts';
import { withDeviceCookie } from '../http/auth-responses.ts';
import { message } from '../http/messages.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { codeReset } from '../runtime/services.ts';

const reset = await codeReset();

export const handler = apiHandler(routes.codeReset, async (request) => {
  const { device } = await reset.reset(request.body, request);
  const result = {
    statusCode: 200,
    body: { status: 'CODE_CHANGED', message: message('CODE_CHANGED', request.language) },
  };
  return device ? withDeviceCookie(result, device) : result;
});
