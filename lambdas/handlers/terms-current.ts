import { apiHandler } from '../http/api-handler.ts';
import { config, termsOfUse } from '../runtime/services.ts';

const terms = await termsOfUse();

export const handler = apiHandler({ allowedOrigins: config().portalOrigins }, async () => {
  const current = await terms.current();
  return {
    statusCode: 200,
    body: { version: current.version, url: current.url, publishedAt: new Date(current.publishedAt).toISOString() },
  };
});
