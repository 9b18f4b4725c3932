import * as routes from '../contract/routes.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { passkeys, sessionGuard } from '../runtime/passkey-services.ts';

const activeSessions = sessionGuard();
const keys = await passkeys();

export const handler = apiHandler(routes.passkeyRename, activeSessions, async (request) => {
  const { member } = request.principal;
  await keys.rename(member, request.pathParameters['id'] ?? '', request.body.name, request);
  return { statusCode: 204 };
});
