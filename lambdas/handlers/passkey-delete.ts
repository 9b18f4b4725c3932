import * as routes from '../contract/routes.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { passkeys, sessionGuard } from '../runtime/passkey-services.ts';

const activeSessions = sessionGuard();
const keys = await passkeys();

export const handler = apiHandler(routes.passkeyDelete, activeSessions, async (request) => {
  const { member, session } = request.principal;
  await keys.remove(member, session, request.pathParameters['id'] ?? '', request);
  return { statusCode: 204 };
});
