import * as routes from '../contract/routes.ts';
import { apiHandler } from '../http/api-handler.ts';
import { authenticatedResult } from '../http/auth-responses.ts';
import { termsOfUse } from '../runtime/services.ts';

const terms = await termsOfUse();

export const handler = apiHandler(routes.termsAccept, async (request) => {
  const session = await terms.accept({ ...request.body, ...request });
  return authenticatedResult(session);
});
