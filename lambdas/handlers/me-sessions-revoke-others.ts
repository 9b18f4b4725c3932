import { apiHandler } from '../http/api-handler.ts';
import { checkedSessions } from '../runtime/services.ts';

const activeSessions = checkedSessions();

export const handler = apiHandler({ bearer: true }, async (request) => {
  const { member, session } = await activeSessions.authenticate(request.header('authorization'));
  await activeSessions.endAll(member, { by: 'MEMBER', source: request }, session.sid);
  return { statusCode: 204 };
});
