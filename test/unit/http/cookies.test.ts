import { describe, expect, it } from '@jest/globals';
import { clearedRefreshCookie, parseCookies, refreshCookie } from '../../../lambdas/http/cookies.ts';

describe('the refresh cookie', () => {
  it('is scoped to the session routes under the path the API is served at, HttpOnly, Secure, SameSite=Strict', () => {
    expect(refreshCookie('sid.secret', 1800, '')).toBe(
      '__Secure-mp_refresh=sid.secret; Max-Age=1800; Path=/v1/session; HttpOnly; Secure; SameSite=Strict',
    );
    // On the execute-api host, the browser sees /v1-api/v1/session/refresh: a /v1/session path would never match it.
    expect(refreshCookie('sid.secret', 1800, '/v1-api')).toContain('; Path=/v1-api/v1/session;');
    expect(clearedRefreshCookie('/v1-api')).toBe(
      '__Secure-mp_refresh=; Max-Age=0; Path=/v1-api/v1/session; HttpOnly; Secure; SameSite=Strict',
    );
  });
});

describe('the cookie header parser', () => {
  it('stops prototype tampering: cookies named __proto__ or constructor are plain cookies, and absent names are absent', () => {
    const cookies = parseCookies(['__proto__=a; constructor=b', 'x=1']);
    const proto = '__proto__';
    expect(cookies[proto]).toBe('a');
    expect(cookies.constructor).toBe('b');
    expect(cookies.x).toBe('1');
    expect(parseCookies(['x=1']).toString).toBeUndefined();
  });
});
