import * as routes from '../contract/routes.ts';
import { message } from '../http/messages.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { forgottenCode } from '../runtime/services.ts';

const forgotten = await forgottenCode();

export const handler = apiHandler(routes.codeForgot, async (request) => {
  await forgotten.request(request.body, request);
  return {
    statusCode: 202,
    body: { status: 'REQUEST_ACCEPTED', message: message('REQUEST_ACCEPTED', request.language) },
  };
});
