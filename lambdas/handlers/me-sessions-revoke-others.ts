import { apiHandler } from '../http/api-handler.ts';
import { sessions } from '../runtime/services.ts';

const activeSessions = await sessions();

export const handler = apiHandler({ bearer: true }, async (request) => {
  const { member, session } = await activeSessions.authenticate(request.header('authorization'));
  await activeSessions.endAll(member, { by: 'MEMBER', source: request }, session.sid);
  return { statusCode: 204 };
});
