import * as routes from '../contract/routes.ts';
import { apiHandler } from '../http/api-handler.ts';
import { clearedRefreshCookie, REFRESH_COOKIE } from '../http/cookies.ts';
import { config, sessionGuard } from '../runtime/services.ts';

const activeSessions = sessionGuard();

export const handler = apiHandler(routes.sessionLogout, async (request) => {
  await activeSessions.logout(request.cookies[REFRESH_COOKIE], request);
  return { statusCode: 204, cookies: [clearedRefreshCookie(config().apiBasePath)] };
});
