import { apiHandler } from '../http/api-handler.ts';
import { sessionGuard } from '../runtime/services.ts';

const activeSessions = sessionGuard();

export const handler = apiHandler({ bearer: true }, async (request) => {
  const { member } = await activeSessions.authenticate(request.header('authorization'));
  return {
    statusCode: 200,
    body: {
      memberId: member.memberId,
      firstName: member.firstName,
      lastName: member.lastName,
      nir: member.maskedNir,
      emailOnFile: Boolean(member.email),
      termsVersion: member.termsVersion ?? null,
    },
  };
});
