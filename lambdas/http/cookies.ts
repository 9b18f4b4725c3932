/** The refresh token cookie: scoped to the session routes, never readable by scripts. */
export const REFRESH_COOKIE = '__Secure-mp_refresh';
const SCOPE = 'Path=/v1/session; HttpOnly; Secure; SameSite=Strict';

export const refreshCookie = (token: string, maxAgeSeconds: number): string =>
  `${REFRESH_COOKIE}=${token}; Max-Age=${maxAgeSeconds}; ${SCOPE}`;

export const clearedRefreshCookie = (): string => `${REFRESH_COOKIE}=; Max-Age=0; ${SCOPE}`;

export function parseCookies(headerValues: readonly string[]): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const header of headerValues) {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) cookies[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  return cookies;
}
