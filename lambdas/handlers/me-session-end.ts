import * as routes from '../contract/routes.ts';
import { NotFoundError } from '../domain/errors.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { sessionGuard } from '../runtime/services.ts';

const activeSessions = sessionGuard();

export const handler = apiHandler(routes.meSessionEnd, activeSessions, async (request) => {
  const { member } = request.principal;
  const id = request.pathParameters['id'] ?? '';
  // Another member's session, an ended one or a made-up id: the same 404.
  if (!(await activeSessions.end(member, id, { by: 'MEMBER', source: request }))) {
    throw new NotFoundError('not one of the member’s active sessions');
  }
  return { statusCode: 204 };
});
