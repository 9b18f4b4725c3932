import { type ApiMiddleware, addHeaders } from './types.ts';

const SECURITY_HEADERS = {
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
} as const;

/** The contract's security headers on every answer, errors included (a route may relax Cache-Control for public data). */
export function securityHeaders(): ApiMiddleware {
  const add: NonNullable<ApiMiddleware['after']> = (request) => addHeaders(request, SECURITY_HEADERS);
  return { after: add, onError: add };
}
