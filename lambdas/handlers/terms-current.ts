import * as routes from '../contract/routes.ts';
import { currentTerms } from '../domain/terms.ts';
import { isoInstant } from '../http/instants.ts';
import { apiHandler } from '../runtime/api-handler.ts';
import { termsStore } from '../runtime/services.ts';

const terms = termsStore();

export const handler = apiHandler(routes.termsCurrent, async () => {
  const current = await currentTerms(terms);
  return {
    statusCode: 200,
    body: { version: current.version, url: current.url, publishedAt: isoInstant(current.publishedAt) },
  };
});
