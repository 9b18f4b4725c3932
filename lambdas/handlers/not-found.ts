import { NOT_FOUND_ROUTE } from '../contract/routes.ts';
import { NotFoundError } from '../domain/errors.ts';
import { apiHandler } from '../runtime/api-handler.ts';

/** The catch-all route: every unknown path or method gets the contract's 404 envelope. */
export const handler = apiHandler(NOT_FOUND_ROUTE, async () => {
  throw new NotFoundError();
});
