import { describe, expect, it } from '@jest/globals';
import { parseCookies, setCookieHeader } from '../../../lambdas/http/cookies.ts';

describe('the refresh cookie', () => {
  it('is scoped to the session routes under the path the API is served at, HttpOnly, Secure, SameSite=Strict', () => {
    const refresh = { name: 'refresh', value: 'sid.secret', maxAgeSeconds: 1800 } as const;
    expect(setCookieHeader(refresh, '')).toBe(
      '__Secure-mp_refresh=sid.secret; Max-Age=1800; Path=/v1/session; HttpOnly; Secure; SameSite=Strict',
    );
    // On the execute-api host, the browser sees /v1-api/v1/session/refresh: a /v1/session path would never match it.
    expect(setCookieHeader(refresh, '/v1-api')).toContain('; Path=/v1-api/v1/session;');
    expect(setCookieHeader({ name: 'refresh', value: '', maxAgeSeconds: 0 }, '/v1-api')).toBe(
      '__Secure-mp_refresh=; Max-Age=0; Path=/v1-api/v1/session; HttpOnly; Secure; SameSite=Strict',
    );
  });
});

describe('the trusted-device cookie', () => {
  it('is sent to every route under /v1 (the sign-in reads it), HttpOnly, Secure, SameSite=Strict', () => {
    expect(setCookieHeader({ name: 'device', value: 'd', maxAgeSeconds: 60 }, '/v1-api')).toBe(
      '__Secure-mp_device=d; Max-Age=60; Path=/v1-api/v1; HttpOnly; Secure; SameSite=Strict',
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
