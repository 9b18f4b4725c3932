import { apiHandler } from '../http/api-handler.ts';
import { passkeys, sessionGuard } from '../runtime/passkey-services.ts';

const activeSessions = sessionGuard();
const keys = await passkeys();

export const handler = apiHandler({ bearer: true }, async (request) => {
  const { member, session } = await activeSessions.authenticate(request.header('authorization'));
  return { statusCode: 200, body: await keys.registrationOptions(member, session) };
});
