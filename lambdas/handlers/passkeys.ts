import { apiHandler } from '../http/api-handler.ts';
import { passkeys, sessions } from '../runtime/passkey-services.ts';

const activeSessions = await sessions();
const keys = await passkeys();

const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());

export const handler = apiHandler({ bearer: true }, async (request) => {
  const { member } = await activeSessions.authenticate(request.header('authorization'));
  const list = await keys.list(member);
  return {
    statusCode: 200,
    body: {
      passkeys: list.map((p) => ({ ...p, createdAt: iso(p.createdAt), lastUsedAt: iso(p.lastUsedAt) })),
      codeSignIn: member.codeSignInDisabled !== true,
    },
  };
});
