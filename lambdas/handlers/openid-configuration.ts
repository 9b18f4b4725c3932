import * as routes from '../contract/routes.ts';
import { tokenMetadata } from '../domain/token-metadata.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { config } from '../runtime/config.ts';

const metadata = tokenMetadata(config().tokens.issuer);

export const handler = apiHandler(routes.openidConfiguration, async () => ({
  statusCode: 200,
  body: metadata,
}));
