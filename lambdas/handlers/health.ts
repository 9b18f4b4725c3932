import { apiHandler } from '../http/api-handler.ts';
import { config } from '../runtime/config.ts';

export const handler = apiHandler({ allowedOrigins: config().portalOrigins }, async () => ({
  statusCode: 200,
  body: { status: 'ok' },
}));
