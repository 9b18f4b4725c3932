import * as routes from '../contract/routes.ts';
import { NotFoundError } from '../domain/errors.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { sessionGuard, trustedDevices } from '../runtime/services.ts';

const activeSessions = sessionGuard();
const devices = trustedDevices();

/** A forgotten device must verify again, and the sessions opened from it end at once (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do"). */
export const handler = apiHandler(routes.meDeviceForget, activeSessions, async (request) => {
  const { member } = request.principal;
  const id = request.pathParameters['id'] ?? '';
  const revoker = { by: 'MEMBER', source: request } as const;
  if (!(await devices.forget(member, id, revoker))) {
    throw new NotFoundError('not one of the member’s trusted devices');
  }
  await activeSessions.endOpenedFrom(member, id, revoker);
  return { statusCode: 204 };
});
