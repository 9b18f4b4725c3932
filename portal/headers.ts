/**
 * The portal's response headers — one definition, sent by the local stack's server and set by
 * CloudFront's response-headers policy (lib/portal.ts builds it from `portalHeaders`, and
 * test/infra/portal.test.ts holds the two equal): a strict CSP without inline script, no referrer,
 * no framing, no opener across origins, no powerful feature, and no request to any origin but the
 * portal's own and the API's.
 */
function contentSecurityPolicy(apiOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self' ${apiOrigin}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A year, subdomains included (browsers ignore it over the local stack's plain HTTP). */
export const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export function portalHeaders(apiOrigin: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(apiOrigin),
    'Strict-Transport-Security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

/**
 * The headers CloudFront sets through its security-headers behaviour (it refuses them as custom
 * headers); every other header of `portalHeaders` goes as a custom header.
 */
export const CLOUDFRONT_SECURITY_HEADERS = [
  'Content-Security-Policy',
  'Strict-Transport-Security',
  'Referrer-Policy',
  'X-Content-Type-Options',
  'X-Frame-Options',
] as const;
