import * as routes from '../contract/routes.ts';
import { apiHandler } from '../http/api-handler.ts';
import { sessionGuard, trustedDevices } from '../runtime/services.ts';

const activeSessions = sessionGuard();
const devices = trustedDevices();

/** Every other session ends, and every other trusted device is forgotten (contract, amended 2026-12-07). */
export const handler = apiHandler(routes.meSessionsRevokeOthers, activeSessions, async (request) => {
  const { member, session } = request.principal;
  const revoker = { by: 'MEMBER', source: request } as const;
  await activeSessions.endAll(member, revoker, session.sid);
  await devices.forgetAllBut(member, session.deviceId, revoker);
  return { statusCode: 204 };
});
