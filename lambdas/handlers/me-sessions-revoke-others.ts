import * as routes from '../contract/routes.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { sessionGuard, trustedDevices } from '../runtime/services.ts';

const activeSessions = sessionGuard();
const devices = trustedDevices();

/** Every other session ends, and every other trusted device is forgotten (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do"). */
export const handler = apiHandler(routes.meSessionsRevokeOthers, activeSessions, async (request) => {
  const { member, session } = request.principal;
  const revoker = { by: 'MEMBER', source: request } as const;
  await activeSessions.endAll(member, revoker, session.sid);
  await devices.forgetAllBut(member, session.deviceId, revoker);
  return { statusCode: 204 };
});
