import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { apiHandler } from '../http/api-handler.ts';
import { passkeyJson } from '../http/passkey-answers.ts';
import { PasskeyRegisterRequest } from '../http/schemas.ts';
import { passkeys, sessionGuard } from '../runtime/passkey-services.ts';

const activeSessions = sessionGuard();
const keys = await passkeys();

export const handler = apiHandler({ body: PasskeyRegisterRequest, bearer: true }, async (request) => {
  const { member, session } = await activeSessions.authenticate(request.header('authorization'));
  const response = request.body.response as unknown as RegistrationResponseJSON;
  const added = await keys.register(member, session, { response, name: request.body.name }, request);
  return {
    statusCode: 201,
    body: {
      passkey: passkeyJson(added),
    },
  };
});
