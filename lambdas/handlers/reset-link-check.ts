import * as routes from '../contract/routes.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { resetLinkCheck } from '../runtime/services.ts';

const links = resetLinkCheck();

export const handler = apiHandler(routes.resetLinkCheck, async (request) => {
  const { expiresAt } = await links.check(request.body.token);
  return { statusCode: 200, body: { status: 'RESET_LINK_VALID', expiresAt: new Date(expiresAt).toISOString() } };
});
