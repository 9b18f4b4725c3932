import { type ApiMiddleware, addHeaders, headerOf } from './types.ts';

/**
 * CORS for the portal's origins only: the answer names the origin only when it is one of them, with
 * credentials (the refresh cookie). A preflight is flagged here and answered without running the route.
 */
export function cors(allowedOrigins: readonly string[]): ApiMiddleware {
  const allowed = new Set(allowedOrigins);
  const decorate: NonNullable<ApiMiddleware['after']> = (request) => {
    const origin = headerOf(request.event, 'origin');
    addHeaders(request, {
      Vary: 'Origin',
      ...(origin !== undefined && allowed.has(origin)
        ? {
            'Access-Control-Allow-Origin': origin,
            'Access-Control-Allow-Credentials': 'true',
            'Access-Control-Expose-Headers': 'x-request-id, Retry-After, WWW-Authenticate',
            ...(request.internal.preflight
              ? {
                  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
                  'Access-Control-Allow-Headers': 'Content-Type, Authorization, Accept-Language',
                  'Access-Control-Max-Age': '600',
                }
              : {}),
          }
        : {}),
    });
  };
  return {
    before: (request) => {
      request.internal.preflight = request.event.httpMethod === 'OPTIONS';
    },
    after: decorate,
    onError: decorate,
  };
}
