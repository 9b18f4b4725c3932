import * as routes from '../contract/routes.ts';
import { DEVICE_COOKIE } from '../http/cookies.ts';
import { isoInstant } from '../http/instants.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { sessionGuard, trustedDevices } from '../runtime/services.ts';

const activeSessions = sessionGuard();
const devices = trustedDevices();

export const handler = apiHandler(routes.meDevices, activeSessions, async (request) => {
  const { member } = request.principal;
  const list = await devices.list(member, request.cookies[DEVICE_COOKIE]);
  return {
    statusCode: 200,
    body: {
      devices: list.map((d) => ({
        id: d.id,
        label: d.label,
        createdAt: isoInstant(d.createdAt),
        lastUsedAt: isoInstant(d.lastUsedAt),
        current: d.current,
      })),
    },
  };
});
