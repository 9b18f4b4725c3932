import * as routes from '../contract/routes.ts';
import { openApiDocument } from '../http/openapi.ts';
import { apiHandler } from '../runtime/api-handler.ts';

const document = openApiDocument();

export const handler = apiHandler(routes.openapi, async () => ({
  statusCode: 200,
  body: document,
}));
