import * as routes from '../contract/routes.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { passkeys, sessionGuard } from '../runtime/passkey-services.ts';

const activeSessions = sessionGuard();
const keys = await passkeys();

export const handler = apiHandler(routes.passkeyRegisterOptions, activeSessions, async (request) => {
  const { member, session } = request.principal;
  return { statusCode: 200, body: await keys.registrationOptions(member, session) };
});
