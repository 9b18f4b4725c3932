import * as routes from '../contract/routes.ts';
import { isoInstant } from '../http/instants.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { sessionGuard } from '../runtime/services.ts';

const activeSessions = sessionGuard();

export const handler = apiHandler(routes.meSessions, activeSessions, async (request) => {
  const { member, session: own } = request.principal;
  const list = await activeSessions.listActive(member);
  return {
    statusCode: 200,
    body: {
      sessions: list.map((s) => ({
        id: s.sid,
        startedAt: isoInstant(s.createdAt),
        lastUsedAt: isoInstant(s.lastRefreshAt),
        userAgent: s.userAgent ?? '',
        sourceIp: s.sourceIp ?? '',
        current: s.sid === own.sid,
        ...(s.deviceId === undefined ? {} : { deviceId: s.deviceId }),
      })),
    },
  };
});
