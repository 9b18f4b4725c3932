import { apiHandler } from '../http/api-handler.ts';

export const handler = apiHandler({}, async () => ({
  statusCode: 200,
  body: { status: 'ok' },
}));
