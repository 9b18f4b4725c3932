import { apiHandler } from '../http/api-handler.ts';
import { openApiDocument } from '../http/openapi.ts';
import { config } from '../runtime/config.ts';

const document = openApiDocument();

export const handler = apiHandler({ allowedOrigins: config().portalOrigins }, async () => ({
  statusCode: 200,
  body: document,
}));
