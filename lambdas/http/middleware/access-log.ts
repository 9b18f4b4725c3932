import { logger } from '../../runtime/logger.ts';
import type { ApiMiddleware } from './types.ts';

/** One line per request: id, route, status, error code, duration — never a body, a header or a query string. */
export function accessLog(): ApiMiddleware {
  const log: NonNullable<ApiMiddleware['after']> = (request) => {
    const { response, internal, event } = request;
    logger.info('request', {
      requestId: internal.requestId,
      method: event.httpMethod,
      route: event.resource,
      status: response?.statusCode,
      errorCode: internal.errorCode,
      durationMs: Math.round(performance.now() - internal.startedAt),
    });
  };
  return { after: log, onError: log };
}
