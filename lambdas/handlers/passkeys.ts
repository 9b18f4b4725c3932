import * as routes from '../contract/routes.ts';
import { passkeyJson } from '../http/passkey-answers.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { passkeys, sessionGuard } from '../runtime/passkey-services.ts';

const activeSessions = sessionGuard();
const keys = await passkeys();

export const handler = apiHandler(routes.passkeys, activeSessions, async (request) => {
  const { member } = request.principal;
  const list = await keys.list(member);
  return {
    statusCode: 200,
    body: {
      passkeys: list.map(passkeyJson),
      codeSignIn: member.codeSignInDisabled !== true,
    },
  };
});
