import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parseCookies } from '../cookies.ts';
import { type ApiMiddleware, headerOf } from './types.ts';

function cookieHeaders(event: APIGatewayProxyEvent): string[] {
  for (const [key, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === 'cookie' && values) return values;
  }
  const single = headerOf(event, 'cookie');
  return single ? [single] : [];
}

/** The last step before the route: what it sees of its request, on the context (middy's way to hand data to a handler). */
export function apiRequest(): ApiMiddleware {
  return {
    before: (request) => {
      const { event, internal } = request;
      request.context.preflight = internal.preflight;
      request.context.api = {
        body: internal.body,
        requestId: internal.requestId,
        language: internal.language,
        sourceIp: event.requestContext?.identity?.sourceIp ?? 'unknown',
        userAgent: headerOf(event, 'user-agent') ?? '',
        cookies: parseCookies(cookieHeaders(event)),
        pathParameters: event.pathParameters ?? {},
        header: (name) => headerOf(event, name),
        ...(internal.principal ? { principal: internal.principal } : {}),
      };
    },
  };
}
