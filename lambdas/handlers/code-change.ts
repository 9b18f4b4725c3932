import { apiHandler } from '../http/api-handler.ts';
import { message } from '../http/messages.ts';
import { CodeChangeRequest } from '../http/schemas.ts';
import { codeChange } from '../runtime/services.ts';

const codes = await codeChange();

export const handler = apiHandler({ body: CodeChangeRequest }, async (request) => {
  await codes.change(request.body, request);
  return { statusCode: 200, body: { status: 'CODE_CHANGED', message: message('CODE_CHANGED', request.language) } };
});
