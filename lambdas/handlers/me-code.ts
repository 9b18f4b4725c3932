import * as routes from '../contract/routes.ts';
import { DEVICE_COOKIE } from '../http/cookies.ts';
import { message } from '../http/messages.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { sessionGuard, signedInCodeChange } from '../runtime/services.ts';

const codes = await signedInCodeChange();

export const handler = apiHandler(routes.meCode, sessionGuard(), async (request) => {
  await codes.change(request.principal, request.body, { ...request, deviceToken: request.cookies[DEVICE_COOKIE] });
  return { statusCode: 200, body: { status: 'CODE_CHANGED', message: message('CODE_CHANGED', request.language) } };
});
