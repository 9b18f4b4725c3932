import * as routes from '../contract/routes.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { passkeys } from '../runtime/passkey-services.ts';

const keys = await passkeys();

export const handler = apiHandler(routes.passkeyAuthenticateOptions, async (request) => ({
  statusCode: 200,
  body: await keys.authenticationOptions(request),
}));
