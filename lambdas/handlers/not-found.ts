import { NotFoundError } from '../domain/errors.ts';
import { apiHandler } from '../http/api-handler.ts';
import { config } from '../runtime/config.ts';

/** The catch-all route: every unknown path or method gets the contract's 404 envelope. */
export const handler = apiHandler({ allowedOrigins: config().portalOrigins }, async () => {
  throw new NotFoundError();
});
