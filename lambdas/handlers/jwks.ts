import { apiHandler } from '../http/api-handler.ts';
import { accessTokens } from '../runtime/access-tokens.ts';
import { config } from '../runtime/config.ts';

const jwks = (await accessTokens()).jwks();

export const handler = apiHandler({ allowedOrigins: config().portalOrigins }, async () => ({
  statusCode: 200,
  body: jwks,
}));
