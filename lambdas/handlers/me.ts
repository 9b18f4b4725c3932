import * as routes from '../contract/routes.ts';
import { maskEmail } from '../domain/member-status.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { sessionGuard } from '../runtime/services.ts';

const activeSessions = sessionGuard();

export const handler = apiHandler(routes.me, activeSessions, async (request) => {
  const { member } = request.principal;
  return {
    statusCode: 200,
    body: {
      memberId: member.memberId,
      firstName: member.firstName,
      lastName: member.lastName,
      nir: member.maskedNir,
      emailOnFile: Boolean(member.email),
      ...(member.email ? { maskedEmail: maskEmail(member.email) } : {}),
      termsVersion: member.termsVersion ?? null,
    },
  };
});
