import { randomUUID } from 'node:crypto';
import { negotiateLanguage } from '../messages.ts';
import { type ApiMiddleware, addHeaders, headerOf } from './types.ts';

/**
 * Who the request is: its id (API Gateway's, so that logs, access logs and answers share it), the
 * language of its messages, when it started. Every answer carries the id as `x-request-id`.
 */
export function requestContext(): ApiMiddleware {
  const tag: NonNullable<ApiMiddleware['after']> = (request) =>
    addHeaders(request, { 'x-request-id': request.internal.requestId });
  return {
    before: (request) => {
      request.internal.startedAt = performance.now();
      request.internal.requestId = request.event.requestContext?.requestId || randomUUID();
      request.internal.language = negotiateLanguage(headerOf(request.event, 'accept-language'));
    },
    after: tag,
    onError: tag,
  };
}
