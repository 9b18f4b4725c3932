import * as routes from '../contract/routes.ts';
import { authenticatedResult } from '../http/auth-responses.ts';
import { REFRESH_COOKIE } from '../http/cookies.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { sessionIssuer } from '../runtime/services.ts';

const activeSessions = sessionIssuer();

export const handler = apiHandler(routes.sessionRefresh, async (request) => {
  const session = await activeSessions.refresh(request.cookies[REFRESH_COOKIE], request);
  return authenticatedResult(session);
});
