import * as routes from '../contract/routes.ts';
import { withDeviceCookie } from '../http/auth-responses.ts';
import { DEVICE_COOKIE } from '../http/cookies.ts';
import { message } from '../http/messages.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { codeChange } from '../runtime/services.ts';

const codes = await codeChange();

export const handler = apiHandler(routes.codeChange, async (request) => {
  const { device } = await codes.change(request.body, { ...request, deviceToken: request.cookies[DEVICE_COOKIE] });
  const result = {
    statusCode: 200,
    body: { status: 'CODE_CHANGED', message: message('CODE_CHANGED', request.language) },
  };
  return device ? withDeviceCookie(result, device) : result;
});
