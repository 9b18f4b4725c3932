/**
 * The refresh token cookie: scoped to the session routes — under the path the API is really
 * served at ('' on the insurer's domain, '/v1-api' on the execute-api host) — never readable by scripts.
 */
export const REFRESH_COOKIE = '__Secure-mp_refresh';

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

/** A cookie an answer sets: the refresh token or the trusted device's. An empty value with no age clears it. */
export interface SetCookie {
  readonly name: 'refresh' | 'device';
  readonly value: string;
  readonly maxAgeSeconds: number;
}

const COOKIES = {
  refresh: { name: REFRESH_COOKIE, path: '/v1/session' },
  device: { name: DEVICE_COOKIE, path: '/v1' },
} as const;

/** The Set-Cookie header of `cookie`, under the path the API is really served at. */
export function setCookieHeader(cookie: SetCookie, apiBasePath: string): string {
  const { name, path } = COOKIES[cookie.name];
  return `${name}=${cookie.value}; Max-Age=${cookie.maxAgeSeconds}; Path=${apiBasePath}${path}; HttpOnly; Secure; SameSite=Strict`;
}
