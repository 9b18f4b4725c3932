import * as routes from '../contract/routes.ts';
import { message } from '../http/messages.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { deviceVerification } from '../runtime/services.ts';

const verification = await deviceVerification();

export const handler = apiHandler(routes.deviceResend, async (request) => {
  await verification.resend(request.body.challenge, request);
  return {
    statusCode: 200,
    body: { status: 'DEVICE_CODE_SENT', message: message('DEVICE_CODE_SENT', request.language) },
  };
});
