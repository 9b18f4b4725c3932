import { OriginNotAllowedError } from '../../domain/errors.ts';
import { type ApiMiddleware, headerOf } from './types.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A browser always says where a cross-site request comes from: a state-changing request carrying
 * an `Origin` that is not the portal's is refused (login CSRF, attempts spread over the browsers of
 * another site's visitors). Requests without `Origin` (curl, servers) are not browsers' and pass.
 */
export function originGuard(allowedOrigins: readonly string[]): ApiMiddleware {
  const allowed = new Set(allowedOrigins);
  return {
    before: (request) => {
      const origin = headerOf(request.event, 'origin');
      if (STATE_CHANGING.has(request.event.httpMethod) && origin !== undefined && !allowed.has(origin)) {
        throw new OriginNotAllowedError('origin not allowed');
      }
    },
  };
}
