import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import * as routes from '../contract/routes.ts';
import { passkeyJson } from '../http/passkey-answers.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { passkeys, sessionGuard } from '../runtime/passkey-services.ts';

const activeSessions = sessionGuard();
const keys = await passkeys();

export const handler = apiHandler(routes.passkeyRegister, activeSessions, async (request) => {
  const { member, session } = request.principal;
  const response = request.body.response as unknown as RegistrationResponseJSON;
  const added = await keys.register(member, session, { response, name: request.body.name }, request);
  return {
    statusCode: 201,
    body: {
      passkey: passkeyJson(added),
    },
  };
});
