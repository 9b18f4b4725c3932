import { NotFoundError } from '../domain/errors.ts';
import { apiHandler } from '../http/api-handler.ts';
import { checkedSessions, trustedDevices } from '../runtime/services.ts';

const activeSessions = checkedSessions();
const devices = trustedDevices();

export const handler = apiHandler({ bearer: true }, async (request) => {
  const { member } = await activeSessions.authenticate(request.header('authorization'));
  const id = request.pathParameters['id'] ?? '';
  if (!(await devices.forget(member, id, { by: 'MEMBER', source: request }))) {
    throw new NotFoundError('not one of the member’s trusted devices');
  }
  return { statusCode: 204 };
});
