import { apiHandler } from '../http/api-handler.ts';
import { message } from '../http/messages.ts';
import { CodeForgotRequest } from '../http/schemas.ts';
import { forgottenCode } from '../runtime/services.ts';

const forgotten = await forgottenCode();

export const handler = apiHandler({ body: CodeForgotRequest }, async (request) => {
  await forgotten.request(request.body, request);
  return {
    statusCode: 202,
    body: { status: 'REQUEST_ACCEPTED', message: message('REQUEST_ACCEPTED', request.language) },
  };
});
