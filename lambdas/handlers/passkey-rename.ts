import { apiHandler } from '../http/api-handler.ts';
import { PasskeyRenameRequest } from '../http/schemas.ts';
import { passkeys, sessionGuard } from '../runtime/passkey-services.ts';

const activeSessions = sessionGuard();
const keys = await passkeys();

export const handler = apiHandler({ body: PasskeyRenameRequest, bearer: true }, async (request) => {
  const { member } = await activeSessions.authenticate(request.header('authorization'));
  await keys.rename(member, request.pathParameters['id'] ?? '', request.body.name, request);
  return { statusCode: 204 };
});
