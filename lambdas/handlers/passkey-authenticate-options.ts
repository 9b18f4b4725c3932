import { apiHandler } from '../http/api-handler.ts';
import { passkeys } from '../runtime/passkey-services.ts';

const keys = await passkeys();

export const handler = apiHandler({}, async (request) => ({
  statusCode: 200,
  body: await keys.authenticationOptions(request),
}));
