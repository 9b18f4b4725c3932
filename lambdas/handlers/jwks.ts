import { apiHandler } from '../http/api-handler.ts';
import { accessTokens, config } from '../runtime/services.ts';

const jwks = (await accessTokens()).jwks();

export const handler = apiHandler({ allowedOrigins: config().portalOrigins }, async () => ({
  statusCode: 200,
  body: jwks,
}));
