import * as routes from '../contract/routes.ts';
import { apiHandler } from '../http/api-handler.ts';
import { openApiDocument } from '../http/openapi.ts';

const document = openApiDocument();

export const handler = apiHandler(routes.openapi, async () => ({
  statusCode: 200,
  body: document,
}));
