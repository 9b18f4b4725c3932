import { apiHandler } from '../http/api-handler.ts';
import { passkeys, sessionGuard } from '../runtime/passkey-services.ts';

const activeSessions = sessionGuard();
const keys = await passkeys();

export const handler = apiHandler({ bearer: true }, async (request) => {
  const { member, session } = await activeSessions.authenticate(request.header('authorization'));
  await keys.remove(member, session, request.pathParameters['id'] ?? '', request);
  return { statusCode: 204 };
});
