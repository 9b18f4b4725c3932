import * as routes from '../contract/routes.ts';
import { REFRESH_COOKIE } from '../http/cookies.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { sessionGuard } from '../runtime/services.ts';

const activeSessions = sessionGuard();

export const handler = apiHandler(routes.sessionLogout, async (request) => {
  await activeSessions.logout(request.cookies[REFRESH_COOKIE], request);
  return { statusCode: 204, cookies: [{ name: 'refresh', value: '', maxAgeSeconds: 0 }] };
});
