import { apiHandler } from '../http/api-handler.ts';
import { authenticatedResult } from '../http/auth-responses.ts';
import { TermsAcceptRequest } from '../http/schemas.ts';
import { config, termsOfUse } from '../runtime/services.ts';

const terms = await termsOfUse();

export const handler = apiHandler(
  { body: TermsAcceptRequest, allowedOrigins: config().portalOrigins },
  async (request) => {
    const session = await terms.accept({ ...request.body, ...request });
    return authenticatedResult(session);
  },
);
