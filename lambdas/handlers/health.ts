import * as routes from '../contract/routes.ts';
import { apiHandler } from '../runtime/api-handler.ts';

export const handler = apiHandler(routes.health, async () => ({
  statusCode: 200,
  body: { status: 'ok' },
}));
