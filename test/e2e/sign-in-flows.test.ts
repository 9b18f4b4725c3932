import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createApiClient } from '../../client/api-client.ts';
import { keys } from '../../lambdas/adapters/dynamo/table.ts';
import { nirWindows } from '../../lambdas/domain/code-blocklist.ts';
import { nirLookupKey } from '../../lambdas/domain/nir.ts';
import {
  type ApiUnderTest,
  cookieHeader,
  deviceCookieHeader,
  deviceTokenFrom,
  mailTo,
  type Reply,
  refreshTokenFrom,
  startApiWithTerms,
} from '../support/api-under-test.ts';
import { addMember, mailedDeviceCode, signedInMember, uniqueNir } from '../support/members.ts';
import { runOps } from '../support/run-ops.ts';
import { secretWatch } from '../support/secret-watch.ts';

let api: ApiUnderTest;
/** Every NIR, code and token used below: the log scan at the end looks for each. */
const secrets = secretWatch({ logs: () => api.logs });
const remember = secrets.remember;

beforeAll(async () => {
  api = await startApiWithTerms();
});
afterAll(async () => {
  await api.stop();
});

const login = (nir: string, code: string, headers: Record<string, string> = {}) =>
  api.call('POST', '/v1/login', { body: { nir: remember(nir), code: remember(code) }, headers });
const change = (
  nir: string,
  currentCode: string,
  newCode: string,
  newCodeConfirmation = newCode,
  extra: { rememberDevice?: boolean; headers?: Record<string, string> } = {},
) =>
  api.call('POST', '/v1/code/change', {
    body: {
      nir: remember(nir),
      currentCode: remember(currentCode),
      newCode: remember(newCode),
      newCodeConfirmation,
      ...(extra.rememberDevice === undefined ? {} : { rememberDevice: extra.rememberDevice }),
    },
    headers: extra.headers ?? {},
  });

/** A member who has personalised their code and accepted the terms: signed in. */
const signedIn = () => signedInMember(api, { remember });

function expectError(reply: Reply, status: number, code: string) {
  expect({ status: reply.status, code: reply.json?.error?.code }).toEqual({ status, code });
  expect(typeof reply.json.error.message).toBe('string');
}

describe('first sign-in: initial code → personal code → terms → session', () => {
  it('the initial code only opens the code-change form', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    const reply = await login(member.nir, member.initialCode);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'CODE_CHANGE_REQUIRED', message: expect.stringContaining('6 chiffres') });
    expect(reply.headers.getSetCookie()).toEqual([]);
  });

  it('refuses a change whose confirmation differs, a weak code, or a wrong current code', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    expectError(await change(member.nir, member.initialCode, '583927', '583928'), 400, 'CODE_CONFIRMATION_MISMATCH');
    expectError(await change(member.nir, member.initialCode, '123456'), 400, 'WEAK_CODE');
    expectError(await change(member.nir, member.initialCode, member.nir.slice(2, 8)), 400, 'WEAK_CODE');
    expectError(await change(member.nir, '111119', '583927'), 401, 'INVALID_CREDENTIALS');
    expectError(await change(member.nir, member.initialCode, '58392'), 400, 'INVALID_CODE_FORMAT');
    expectError(await change('295109912611199', member.initialCode, '583927'), 400, 'INVALID_NIR');
  });

  it('walks the whole first sign-in, and the access token verifies with the JWKS', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    // The statement's code opens the code-change form; it never replaces the mailbox (issue 19, N2).
    const changed = await change(member.nir, member.initialCode, '583927', '583927', { rememberDevice: true });
    expect(changed.status).toBe(200);
    expect(changed.json).toEqual({
      status: 'CODE_CHANGED',
      message: 'Votre modification a été prise en compte. Vous pouvez vous connecter avec votre nouveau mot de passe.',
    });
    expect(changed.headers.getSetCookie()).toEqual([]);
    // The initial code is dead once a personal code exists.
    expectError(await login(member.nir, member.initialCode), 401, 'INVALID_CREDENTIALS');

    // The first sign-in from this browser proves the mailbox, and the member trusts the browser.
    const newBrowser = await login(member.nir, '583927');
    expect(newBrowser.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(newBrowser.json.challenge);
    const pending = await api.call('POST', '/v1/device/verify', {
      body: {
        challenge: newBrowser.json.challenge,
        code: remember(await mailedDeviceCode(api, member.email)),
        rememberDevice: true,
      },
    });
    const device = remember(deviceTokenFrom(pending));
    expect(pending.headers.getSetCookie().find((c) => c.startsWith('__Secure-mp_device='))).toMatch(
      /^__Secure-mp_device=[\w-]{43}; Max-Age=15552000; Path=\/v1; HttpOnly; Secure; SameSite=Strict$/,
    );
    expect(pending.status).toBe(200);
    expect(pending.json).toEqual({
      status: 'TERMS_ACCEPTANCE_REQUIRED',
      terms: { version: '2026-01', url: 'https://portal.example/cgu/2026-01' },
      challenge: expect.stringMatching(/^[\w-]{43}$/),
    });
    remember(pending.json.challenge);

    expectError(
      await api.call('POST', '/v1/terms/accept', { body: { challenge: pending.json.challenge, version: '2025-12' } }),
      409,
      'TERMS_VERSION_MISMATCH',
    );
    const accepted = await api.call('POST', '/v1/terms/accept', {
      body: { challenge: pending.json.challenge, version: '2026-01' },
      headers: { 'User-Agent': 'jest-e2e' },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.json).toEqual({
      status: 'AUTHENTICATED',
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    const [cookie] = accepted.headers.getSetCookie();
    expect(cookie).toMatch(/^__Secure-mp_refresh=[\w-]{22}\.[\w-]{43}; /);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/v1/session'])
      expect(cookie).toContain(attribute);
    remember(accepted.json.accessToken);
    remember(refreshTokenFrom(accepted));

    // The challenge is single use.
    expectError(
      await api.call('POST', '/v1/terms/accept', { body: { challenge: pending.json.challenge, version: '2026-01' } }),
      401,
      'INVALID_CHALLENGE',
    );

    const keysReply = await api.call('GET', '/.well-known/jwks.json');
    expect(keysReply.status).toBe(200);
    const { payload } = await jwtVerify(accepted.json.accessToken, createLocalJWKSet(keysReply.json), {
      issuer: api.env['JWT_ISSUER']!,
      audience: api.env['JWT_AUDIENCE']!,
      algorithms: ['ES256'],
    });
    expect(decodeProtectedHeader(accepted.json.accessToken).kid).toBe(keysReply.json.keys[0].kid);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(900);
    expect(payload.sub).not.toContain(member.nir);
    expect(payload).toEqual(
      expect.objectContaining({ sub: expect.any(String), sid: expect.any(String), jti: expect.any(String) }),
    );

    const me = await api.call('GET', '/v1/me', { headers: { Authorization: `Bearer ${accepted.json.accessToken}` } });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({
      memberId: payload.sub,
      firstName: 'Claire',
      lastName: 'Dubois',
      nir: `${member.nir[0]} ${member.nir.slice(1, 3)} ** ** *** *** ${member.nir.slice(13)}`,
      emailOnFile: true,
      maskedEmail: expect.stringMatching(/^[a-z]•••@example\.org$/),
      termsVersion: '2026-01',
    });

    // Next sign-in goes straight to a session; the acceptance is kept as proof.
    const again = await login(member.nir, '583927', deviceCookieHeader(device));
    expect(again.json.status).toBe('AUTHENTICATED');
    remember(again.json.accessToken);
    remember(refreshTokenFrom(again));
  });

  it('emails a notice without any secret after a code change', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    await change(member.nir, member.initialCode, '583927');
    const mails = await mailTo(api.sesEndpoint, member.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('modifié');
    expect(mails[0]!.body.text).not.toMatch(/583927|469135/);
  });

  it('a newly published terms version must be accepted again at next sign-in', async () => {
    const member = await signedIn();
    await api.services
      .termsStore()
      .publish({ version: '2026-06', url: 'https://portal.example/cgu/2026-06', publishedAt: Date.now() });
    try {
      const reply = await login(member.nir, member.personalCode, deviceCookieHeader(member.deviceToken));
      expect(reply.json.status).toBe('TERMS_ACCEPTANCE_REQUIRED');
      expect(reply.json.terms.version).toBe('2026-06');
      remember(reply.json.challenge);
      expect((await api.call('GET', '/v1/terms/current')).json).toEqual({
        version: '2026-06',
        url: 'https://portal.example/cgu/2026-06',
        publishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    } finally {
      await api.services
        .termsStore()
        .publish({ version: '2026-01', url: 'https://portal.example/cgu/2026-01', publishedAt: Date.now() });
    }
  });
});

describe('sessions that really end', () => {
  it('rotates the refresh token, and a replayed older one revokes the whole session', async () => {
    const member = await signedIn();
    const first = remember(refreshTokenFrom(member.session))!;
    const refreshed = await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(first) });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.status).toBe('AUTHENTICATED');
    const second = remember(refreshTokenFrom(refreshed))!;
    expect(second).not.toBe(first);
    remember(refreshed.json.accessToken);
    // Within 10 seconds, the rotated token gets the same successor (two tabs): nothing revoked.
    const again = await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(first) });
    expect(refreshTokenFrom(again)).toBe(second);
    remember(again.json.accessToken);
    const third = remember(
      refreshTokenFrom(await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(second) })),
    )!;

    // Two rotations old: a replay, whatever the time.
    expectError(
      await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(first) }),
      401,
      'SESSION_EXPIRED',
    );
    // The replay killed the session: even the latest token and access token are dead now.
    expectError(
      await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(third) }),
      401,
      'SESSION_EXPIRED',
    );
    expectError(
      await api.call('GET', '/v1/me', { headers: { Authorization: `Bearer ${refreshed.json.accessToken}` } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('two tabs refreshing at once stay signed in: 5 concurrent refreshes with one cookie all succeed', async () => {
    const member = await signedIn();
    const cookie = remember(refreshTokenFrom(member.session))!;
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => api.call('POST', '/v1/session/refresh', { headers: cookieHeader(cookie) })),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const successors = new Set(replies.map((r) => remember(refreshTokenFrom(r))));
    expect(successors.size).toBe(1);
    for (const r of replies) remember(r.json.accessToken);
    const next = await api.call('POST', '/v1/session/refresh', { headers: cookieHeader([...successors][0]!) });
    expect(next.status).toBe(200);
    remember(refreshTokenFrom(next));
    remember(next.json.accessToken);
  });

  it('logout revokes the session at once', async () => {
    const member = await signedIn();
    const refresh = remember(refreshTokenFrom(member.session))!;
    const bye = await api.call('POST', '/v1/session/logout', { headers: cookieHeader(refresh) });
    expect(bye.status).toBe(204);
    expect(bye.headers.getSetCookie()[0]).toContain('Max-Age=0');
    expectError(
      await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(refresh) }),
      401,
      'SESSION_EXPIRED',
    );
    expectError(
      await api.call('GET', '/v1/me', { headers: { Authorization: `Bearer ${member.session.json.accessToken}` } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('a code change revokes every session, /v1/me refuses older tokens at once, and the trusted devices are forgotten', async () => {
    const member = await signedIn();
    const other = await login(member.nir, member.personalCode, deviceCookieHeader(member.deviceToken));
    expect(other.json.status).toBe('AUTHENTICATED');
    remember(other.json.accessToken);
    remember(refreshTokenFrom(other));
    const fromTheirBrowser = { headers: deviceCookieHeader(member.deviceToken) };
    expect((await change(member.nir, member.personalCode, '740386', '740386', fromTheirBrowser)).status).toBe(200);
    for (const token of [member.session.json.accessToken, other.json.accessToken]) {
      expectError(
        await api.call('GET', '/v1/me', { headers: { Authorization: `Bearer ${token}` } }),
        401,
        'UNAUTHENTICATED',
      );
    }
    expectError(
      await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(refreshTokenFrom(member.session)!) }),
      401,
      'SESSION_EXPIRED',
    );
    // The device trusted before the change must prove the mailbox again.
    const next = await login(member.nir, '740386', deviceCookieHeader(member.deviceToken));
    expect(next.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(next.json.challenge);
  });

  it('refresh without a cookie, or with garbage, is SESSION_EXPIRED; /v1/me without a token is UNAUTHENTICATED', async () => {
    expectError(await api.call('POST', '/v1/session/refresh'), 401, 'SESSION_EXPIRED');
    expectError(
      await api.call('POST', '/v1/session/refresh', { headers: cookieHeader('x.y') }),
      401,
      'SESSION_EXPIRED',
    );
    expectError(await api.call('GET', '/v1/me'), 401, 'UNAUTHENTICATED');
    expectError(
      await api.call('GET', '/v1/me', { headers: { Authorization: 'Bearer not.a.jwt' } }),
      401,
      'UNAUTHENTICATED',
    );
  });
});

describe('answers that reveal no account', () => {
  it('an unknown NIR and a wrong code get the same 401, byte for byte', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    const wrong = await login(member.nir, '802467');
    const unknown = await login(uniqueNir(), '802467');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.text).toBe(wrong.text);
    // Everyone is told the rule before it bites — it reveals nothing: the same for every NIR and code.
    expect(wrong.json.error.message).toBe(
      'Numéro de sécurité sociale ou mot de passe incorrect. Si vous avez reçu plusieurs courriers, seul le mot de passe du plus récent est valable. Par sécurité, après 5 mots de passe incorrects, la connexion est suspendue 15 minutes.',
    );
  });

  it('a locked NIR gets 429 with Retry-After of at least 15 minutes, right code included', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    for (let i = 0; i < 5; i++) expectError(await login(member.nir, `80246${i}`), 401, 'INVALID_CREDENTIALS');
    const locked = await login(member.nir, member.initialCode);
    expectError(locked, 429, 'TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(890);
  });

  it('a deactivated member gets 401 for a wrong code and 403 only for the right one', async () => {
    const member = await signedIn();
    const key = await nirLookupKey(await api.services.nirLookupHasher(), member.nir);
    await api.table.client.send(
      new UpdateCommand({
        TableName: api.table.name,
        Key: keys.member(key),
        UpdateExpression: 'SET deactivatedAt = :now',
        ExpressionAttributeValues: { ':now': Date.now() },
      }),
    );
    expectError(await login(member.nir, '802467'), 401, 'INVALID_CREDENTIALS');
    expectError(await login(member.nir, member.personalCode), 403, 'ACCOUNT_DEACTIVATED');
    expectError(
      await api.call('GET', '/v1/me', { headers: { Authorization: `Bearer ${member.session.json.accessToken}` } }),
      401,
      'UNAUTHENTICATED',
    );
  });
});

describe('bad input never gets a 500', () => {
  it.each([
    ['not JSON', 400, 'MALFORMED_REQUEST', { rawBody: '{"nir": ' }],
    ['no body', 400, 'MALFORMED_REQUEST', { rawBody: '' }],
    ['a JSON array', 400, 'MALFORMED_REQUEST', { body: [1, 2] }],
    ['a missing field', 400, 'MALFORMED_REQUEST', { body: { nir: '295109912611193' } }],
    ['a number for the code', 400, 'MALFORMED_REQUEST', { body: { nir: '295109912611193', code: 123456 } }],
    ['null fields', 400, 'MALFORMED_REQUEST', { body: { nir: null, code: null } }],
    ['a bad NIR key', 400, 'INVALID_NIR', { body: { nir: '295109912611199', code: '123456' } }],
    ['a 5-digit code', 400, 'INVALID_CODE_FORMAT', { body: { nir: '295109912611193', code: '12345' } }],
    [
      'a body over 16 KiB',
      413,
      'PAYLOAD_TOO_LARGE',
      { body: { nir: '295109912611193', code: '123456', pad: 'x'.repeat(17_000) } },
    ],
  ] as const)('login with %s → %i %s', async (_what, status, code, options) => {
    expectError(await api.call('POST', '/v1/login', options as never), status, code);
  });

  it('names the faulty fields without echoing their values', async () => {
    const reply = await api.call('POST', '/v1/code/change', { body: { nir: 'secret-ish', currentCode: 1 } });
    expectError(reply, 400, 'MALFORMED_REQUEST');
    expect(Object.keys(reply.json.error.fields).sort()).toEqual(['currentCode', 'newCode', 'newCodeConfirmation']);
    expect(reply.text).not.toContain('secret-ish');
  });

  it.each([
    ['GET', '/v1/nothing-here'],
    ['GET', '/v1/login'],
    ['DELETE', '/v1/me'],
    ['POST', '/'],
  ])('%s %s → 404 NOT_FOUND', async (method, path) => {
    expectError(await api.call(method, path), 404, 'NOT_FOUND');
  });

  it('answers in English when asked', async () => {
    const reply = await api.call('POST', '/v1/login', {
      body: { nir: '1', code: '1' },
      headers: { 'Accept-Language': 'en-GB,en;q=0.9' },
    });
    expect(reply.json.error.message).toContain('social security number');
  });
});

describe('headers on every response', () => {
  it('carries x-request-id and the security headers, on success and on error', async () => {
    for (const reply of [
      await api.call('GET', '/v1/health'),
      await api.call('POST', '/v1/login', { rawBody: 'x' }),
      await api.call('GET', '/nope'),
    ]) {
      expect(reply.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
      expect(reply.headers.get('strict-transport-security')).toContain('max-age=');
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('allows CORS only for the configured portal origin', async () => {
    const allowed = await api.call('GET', '/v1/health', { headers: { Origin: 'http://localhost:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await api.call('GET', '/v1/health', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await api.call('OPTIONS', '/v1/login', {
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('serves the health check and the OpenAPI document', async () => {
    expect((await api.call('GET', '/v1/health')).json).toEqual({ status: 'ok' });
    const doc = await api.call('GET', '/v1/openapi.json');
    expect(doc.json.openapi).toMatch(/^3\./);
    expect(doc.json.paths['/v1/login'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/LoginRequest',
    });
    expect(doc.json.components.schemas.LoginRequest.required).toEqual(['nir', 'code']);
    expect(doc.json.components.schemas.Error.properties.error.properties.code.type).toBe('string');
  });
});

describe('cross-site requests (security review, item 5)', () => {
  it('a cross-site form posting text/plain is refused 415 before any code is checked (login CSRF)', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    remember(member.nir);
    const form = (code: string) =>
      api.call('POST', '/v1/login', {
        rawBody: JSON.stringify({ nir: member.nir, code: remember(code) }),
        headers: { 'Content-Type': 'text/plain', Origin: 'http://localhost:5173' },
      });
    for (let i = 0; i < 6; i++) expectError(await form(`80246${i}`), 415, 'UNSUPPORTED_MEDIA_TYPE');
    // None of them counted: the NIR is not locked, the right code still works.
    expect((await login(member.nir, member.initialCode)).json.status).toBe('CODE_CHANGE_REQUIRED');
  });

  it("another site's page cannot make its visitors' browsers send attempts: 403 ORIGIN_NOT_ALLOWED", async () => {
    const member = await addMember(api, { initialCode: '469135' });
    remember(member.nir);
    for (const [method, path, body] of [
      ['POST', '/v1/login', { nir: member.nir, code: '802467' }],
      ['POST', '/v1/code/forgot', { nir: member.nir }],
      ['POST', '/v1/session/logout', undefined],
    ] as const) {
      const reply = await api.call(method, path, {
        ...(body ? { body } : {}),
        headers: { Origin: 'https://evil.example' },
      });
      expectError(reply, 403, 'ORIGIN_NOT_ALLOWED');
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    }
    expectError(
      await api.call('POST', '/v1/login', { body: { nir: member.nir, code: '802467' }, headers: { Origin: 'null' } }),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
    // The portal, and clients that send no Origin (curl, servers), are unaffected.
    expect((await login(member.nir, member.initialCode, { Origin: 'http://localhost:5173' })).json.status).toBe(
      'CODE_CHANGE_REQUIRED',
    );
    expect((await login(member.nir, member.initialCode)).json.status).toBe('CODE_CHANGE_REQUIRED');
    // Reading is not changing state: GET from elsewhere answers, without CORS.
    expect((await api.call('GET', '/v1/health', { headers: { Origin: 'https://evil.example' } })).status).toBe(200);
  });
});

describe('sign-ins racing a code change (security review, item 3)', () => {
  it('many concurrent sign-ins with the old code while the code changes leave no session usable after the change', async () => {
    const member = await signedIn();
    const old = member.personalCode;
    // The sign-ins from a second trusted browser of the member; the change from the first (the personal
    // code changes nothing from an unproven one). Each browser's attempts race on its own counter.
    const pending = await login(member.nir, old);
    const second = await api.call('POST', '/v1/device/verify', {
      body: {
        challenge: remember(pending.json.challenge),
        code: remember(await mailedDeviceCode(api, member.email)),
        rememberDevice: true,
      },
    });
    remember(second.json.accessToken);
    remember(refreshTokenFrom(second));
    const secondDevice = remember(deviceTokenFrom(second))!;
    const [changed, ...signIns] = await Promise.all([
      change(member.nir, old, '740386', '740386', { headers: deviceCookieHeader(member.deviceToken) }),
      ...Array.from({ length: 20 }, () => login(member.nir, old, deviceCookieHeader(secondDevice))),
    ]);
    expect(changed!.status).toBe(200);
    const sessions = signIns.filter((r) => r.json?.status === 'AUTHENTICATED');
    for (const s of sessions) {
      remember(s.json.accessToken);
      expectError(
        await api.call('GET', '/v1/me', { headers: { Authorization: `Bearer ${s.json.accessToken}` } }),
        401,
        'UNAUTHENTICATED',
      );
      expectError(
        await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(remember(refreshTokenFrom(s))!) }),
        401,
        'SESSION_EXPIRED',
      );
    }
    expect(signIns.every((r) => [200, 401, 429].includes(r.status))).toBe(true);
  });

  it('a terms challenge issued before a code change opens no session after it', async () => {
    // Without email: the browser the member asks to trust is trusted from the statement's code.
    const member = await addMember(api, { initialCode: '469135', email: '' });
    remember(member.nir);
    const device = deviceTokenFrom(
      await change(member.nir, member.initialCode, '583927', '583927', { rememberDevice: true }),
    );
    const pending = await login(member.nir, '583927', deviceCookieHeader(remember(device)));
    expect(pending.json.status).toBe('TERMS_ACCEPTANCE_REQUIRED');
    remember(pending.json.challenge);
    await change(member.nir, '583927', '740386');
    expectError(
      await api.call('POST', '/v1/terms/accept', { body: { challenge: pending.json.challenge, version: '2026-01' } }),
      401,
      'INVALID_CHALLENGE',
    );
  });
});

describe('what is stored (security review, items 2 and 7)', () => {
  it('a table dump holds nothing derived from the NIR but its lookup key: no digest of its windows', async () => {
    const member = await addMember(api, { initialCode: '469135', email: 'claire.dubois@example.org' });
    remember(member.nir);
    const key = await nirLookupKey(await api.services.nirLookupHasher(), member.nir);
    const { Item } = await api.table.client.send(new GetCommand({ TableName: api.table.name, Key: keys.member(key) }));
    expect(Item!['nirWindowDigests']).toBeUndefined();
    const codeHasher = await api.services.codeHasher();
    const dump = JSON.stringify(Item);
    for (const window of nirWindows(member.nir)) {
      const peppered = await codeHasher.pepper(window);
      expect(dump).not.toContain(peppered.subarray(0, 16).toString('base64url'));
      expect(dump).not.toContain(window);
    }
  });

  it('attempts on unknown NIRs fill no trail for a year: their audit items go after 30 days, refusals during a lock leave none', async () => {
    const unknown = remember(uniqueNir());
    for (let i = 0; i < 8; i++) await login(unknown, `70246${i}`);
    const key = await nirLookupKey(await api.services.nirLookupHasher(), unknown);
    const { Items = [] } = await api.table.client.send(
      new QueryCommand({
        TableName: api.table.name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.audit(key, '').pk },
      }),
    );
    // 5 failures and the one lock; nothing for the three attempts refused during the lock.
    expect(Items.map((i) => i['event']).sort()).toEqual(['LOCKOUT_STARTED', ...Array(5).fill('LOGIN_FAILED')].sort());
    const in31Days = Date.now() / 1000 + 31 * 24 * 3600;
    for (const item of Items) expect(item['expiresAt']).toBeLessThan(in31Days);
  });
});

describe('tokens that other services can verify (security review of the deployed stack)', () => {
  it('another service verifies an access token from the issuer metadata alone (remote JWKS)', async () => {
    const member = await signedIn();
    const discovery = await api.call('GET', '/.well-known/openid-configuration');
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get('cache-control')).toBe('public, max-age=300');
    expect(discovery.json).toMatchObject({
      issuer: api.base,
      jwks_uri: `${api.base}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['ES256'],
    });
    const keys = createRemoteJWKSet(new URL(discovery.json.jwks_uri));
    const { payload } = await jwtVerify(member.session.json.accessToken, keys, {
      issuer: discovery.json.issuer,
      audience: api.env['JWT_AUDIENCE']!,
      algorithms: discovery.json.id_token_signing_alg_values_supported,
    });
    expect(payload.sub).toEqual(expect.any(String));
    expect((await api.call('GET', '/.well-known/jwks.json')).headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('rotate-signing-key makes a new key, keeps the previous public key published, and prints nothing secret', async () => {
    const dir = api.env['LOCAL_KEYS_DIR']!;
    const before = JSON.parse(await readFile(join(dir, 'jwt-public-keys.json'), 'utf8')) as {
      keys: Array<{ kid: string }>;
    };
    const run = await runOps(api.env, 'rotate-signing-key');
    expect(run.code).toBe(0);
    const after = JSON.parse(await readFile(join(dir, 'jwt-public-keys.json'), 'utf8')) as {
      keys: Array<Record<string, string>>;
    };
    expect(after.keys.map((k) => k.kid)).toEqual([expect.any(String), before.keys[0]!.kid]);
    expect(after.keys.every((k) => k['d'] === undefined)).toBe(true);
    expect(run.stdout).toContain(after.keys[0]!['kid']);
    const secret = JSON.parse(await readFile(join(dir, 'jwt-signing.json'), 'utf8')) as {
      current: Record<string, string>;
    };
    expect(`${run.stdout}${run.stderr}`).not.toContain(secret.current['d']!);
  });
});

describe('logs', () => {
  // Every test above is also checked after it runs (secretWatch): this one needs no other test.
  it('a first sign-in, a refresh, a failed attempt and a logout leave no NIR, code or token in the logs', async () => {
    const before = api.logs.length;
    const member = await signedIn();
    remember(member.session.json.accessToken);
    const refreshed = await api.call('POST', '/v1/session/refresh', {
      headers: cookieHeader(remember(refreshTokenFrom(member.session))!),
    });
    remember(refreshed.json.accessToken);
    expect((await login(member.nir, '111111')).status).toBe(401);
    await api.call('POST', '/v1/session/logout', { headers: cookieHeader(remember(refreshTokenFrom(refreshed))!) });

    expect(api.logs.length - before).toBeGreaterThan(8);
    expect(secrets.foundIn(api.logs.slice(before))).toEqual([]);
  });
});

describe('headers a client could forge', () => {
  it('an X-Forwarded-For sent by the client does not change the source IP that is throttled and audited', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    remember(member.nir);
    const reply = await login(member.nir, '802467', { 'X-Forwarded-For': '203.0.113.9', 'X-Real-IP': '203.0.113.9' });
    expect(reply.status).toBe(401);
    const audit = (await runOps(api.env, 'audit', '--nir', member.nir)).stdout;
    expect(audit).toMatch(/LOGIN_FAILED\s+FAILURE\s+ip=127\.0\.0\.1/);
    expect(audit).not.toContain('203.0.113.9');
  });
});

describe('the typed client (integrators)', () => {
  it('signs in, typed end to end: the answer narrows by its status', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    remember(member.nir);
    const client = createApiClient(api.base);
    const { data, error, response } = await client.POST('/v1/login', {
      body: { nir: member.nir, code: member.initialCode },
    });
    expect(error).toBeUndefined();
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(data?.status).toBe('CODE_CHANGE_REQUIRED');
    if (data?.status === 'CODE_CHANGE_REQUIRED') expect(data.message).toContain('6 chiffres');
    const refused = await client.POST('/v1/login', { body: { nir: member.nir, code: '802467' } });
    expect(refused.error?.error.code).toBe('INVALID_CREDENTIALS');
  });
});
