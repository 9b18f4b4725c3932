import * as routes from '../contract/routes.ts';
import { authenticatedResult } from '../http/auth-responses.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { termsOfUse } from '../runtime/services.ts';

const terms = await termsOfUse();

export const handler = apiHandler(routes.termsAccept, async (request) => {
  const session = await terms.accept({ ...request.body, ...request });
  return authenticatedResult(session);
});
