import { NotFoundError } from '../domain/errors.ts';
import { apiHandler } from '../http/api-handler.ts';

/** The catch-all route: every unknown path or method gets the contract's 404 envelope. */
export const handler = apiHandler({}, async () => {
  throw new NotFoundError();
});
