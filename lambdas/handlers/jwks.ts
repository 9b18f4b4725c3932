import * as routes from '../contract/routes.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { tokenVerifier } from '../runtime/services.ts';

/** The public keys only: this function never reads the private key (re-read at most every 5 minutes). */
const tokens = tokenVerifier();

export const handler = apiHandler(routes.jwks, async () => ({
  statusCode: 200,
  body: await tokens.jwks(),
}));
