import { apiHandler } from '../http/api-handler.ts';
import { CodeSignInRequest } from '../http/schemas.ts';
import { passkeys, sessionGuard } from '../runtime/passkey-services.ts';

const activeSessions = sessionGuard();
const keys = await passkeys();

export const handler = apiHandler({ body: CodeSignInRequest, bearer: true }, async (request) => {
  const { member, session } = await activeSessions.authenticate(request.header('authorization'));
  await keys.setCodeSignIn(member, session, request.body.enabled, request);
  return { statusCode: 204 };
});
