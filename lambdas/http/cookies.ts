/**
 * The refresh token cookie: scoped to the session routes — under the path the API is really
 * served at ('' on the insurer's domain, '/v1-api' on the execute-api host) — never readable by scripts.
 */
export const REFRESH_COOKIE = '__Secure-mp_refresh';

const scope = (apiBasePath: string) => `Path=${apiBasePath}/v1/session; HttpOnly; Secure; SameSite=Strict`;

export const refreshCookie = (token: string, maxAgeSeconds: number, apiBasePath: string): string =>
  `${REFRESH_COOKIE}=${token}; Max-Age=${maxAgeSeconds}; ${scope(apiBasePath)}`;

export const clearedRefreshCookie = (apiBasePath: string): string =>
  `${REFRESH_COOKIE}=; Max-Age=0; ${scope(apiBasePath)}`;

/** Name → value, last one wins. No prototype: a cookie named `__proto__` is a cookie like any other. */
export function parseCookies(headerValues: readonly string[]): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null);
  for (const header of headerValues) {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) cookies[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  return cookies;
}

/**
 * The trusted-device cookie (http-api-v1.md, POST /v1/device/verify): sent to every route under /v1 — the
 * sign-in reads it — never readable by scripts, at most 180 days.
 */
export const DEVICE_COOKIE = '__Secure-mp_device';

export const deviceCookie = (token: string, maxAgeSeconds: number, apiBasePath: string): string =>
  `${DEVICE_COOKIE}=${token}; Max-Age=${maxAgeSeconds}; Path=${apiBasePath}/v1; HttpOnly; Secure; SameSite=Strict`;
