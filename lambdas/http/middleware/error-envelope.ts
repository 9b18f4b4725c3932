import { AppError, TooManyAttemptsError, UnauthenticatedError } from '../../domain/errors.ts';
import { logger } from '../../runtime/logger.ts';
import { isDependencyUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../dependency-failure.ts';
import { errorMessage, message } from '../messages.ts';
import { toProxyResult } from './proxy-result.ts';
import { type ApiMiddleware, headerOf } from './types.ts';

/**
 * The one place errors become answers: an AppError is its contract code and status, in the
 * member's language (with Retry-After when it must wait, WWW-Authenticate on a bearer route);
 * a dependency that did not answer is a 503 with Retry-After; anything else is a 500. Both bodies
 * carry the request id and nothing else — the detail goes to the log.
 */
export function errorEnvelope(options: { readonly bearer: boolean }): ApiMiddleware {
  return {
    onError: (request) => {
      const { error, internal } = request;
      internal.errorCode = error instanceof AppError ? error.code : 'INTERNAL';
      if (error instanceof AppError) {
        const headers: Record<string, string> = {};
        if (error instanceof TooManyAttemptsError) headers['Retry-After'] = String(error.retryAfterSeconds);
        if (error instanceof UnauthenticatedError && options.bearer) {
          // RFC 6750: a token was presented and refused, or none was.
          headers['WWW-Authenticate'] = headerOf(request.event, 'authorization')
            ? 'Bearer error="invalid_token"'
            : 'Bearer';
        }
        const body = {
          error: {
            code: error.code,
            message: errorMessage(error, internal.language),
            ...(error.fields ? { fields: error.fields } : {}),
          },
        };
        request.response = toProxyResult({ statusCode: error.statusCode, headers, body });
        return;
      }
      const unavailable = isDependencyUnavailable(error);
      if (unavailable) internal.errorCode = 'SERVICE_UNAVAILABLE';
      logger.error(unavailable ? 'dependency unavailable' : 'unhandled error', {
        requestId: internal.requestId,
        errorName: error instanceof Error ? error.name : typeof error,
        errorMessage: error instanceof Error ? error.message : undefined,
      });
      const code = unavailable ? 'SERVICE_UNAVAILABLE' : 'INTERNAL';
      request.response = toProxyResult({
        statusCode: unavailable ? 503 : 500,
        headers: unavailable ? { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } : {},
        body: { error: { code, message: message(code, internal.language), requestId: internal.requestId } },
      });
    },
  };
}
