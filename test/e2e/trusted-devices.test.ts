import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type ApiUnderTest,
  cookieHeader,
  deviceCookieHeader,
  deviceTokenFrom,
  mailTo,
  type Reply,
  refreshTokenFrom,
  startApiWithTerms,
  TEST_TERMS,
} from '../support/api-under-test.ts';
import { addMember, signedInMember } from '../support/members.ts';
import { runOps } from '../support/run-ops.ts';
import { secretWatch } from '../support/secret-watch.ts';

/** Issue 12: trusted devices, new-device verification by email, the member's sessions and devices. */
let api: ApiUnderTest;
const secrets = secretWatch({ logs: () => api.logs });
const remember = secrets.remember;

beforeAll(async () => {
  api = await startApiWithTerms();
});
afterAll(async () => {
  await api.stop();
});

const PHONE =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36';

const login = (nir: string, code: string, deviceToken?: string, headers: Record<string, string> = {}) =>
  api.call('POST', '/v1/login', {
    body: { nir: remember(nir), code: remember(code) },
    headers: { ...headers, ...deviceCookieHeader(deviceToken) },
  });

const verify = (challenge: string, code: string, rememberDevice = true, headers: Record<string, string> = {}) =>
  api.call('POST', '/v1/device/verify', {
    body: { challenge: remember(challenge), code: remember(code), rememberDevice },
    headers,
  });

const bearer = (reply: Reply) => ({ Authorization: `Bearer ${remember(reply.json.accessToken)}` });

function expectError(reply: Reply, status: number, code: string) {
  expect({ status: reply.status, code: reply.json?.error?.code }).toEqual({ status, code });
}

/** The 6 digits of the newest verification mail to `email`. */
async function mailedCode(email: string): Promise<string> {
  const mails = (await mailTo(api.sesEndpoint, email)).filter((m) => /vérification|verification/.test(m.subject));
  const code = /^(\d{6})$/m.exec(mails.at(-1)?.body.text ?? '')?.[1];
  if (!code) throw new Error('no verification code mailed');
  return remember(code);
}

/** A member with a personal code and the terms accepted, whose sign-in from `deviceToken`'s browser is trusted. */
async function member() {
  const m = await signedInMember(api, { remember, userAgent: PHONE });
  remember(m.deviceToken);
  return m;
}

describe('new-device verification by email', () => {
  it('the right code from a new browser mails a one-time code; verifying it continues the sign-in and remembers the device', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode, undefined, { 'User-Agent': PHONE });
    expect(pending.status).toBe(200);
    expect(pending.json).toEqual({
      status: 'DEVICE_VERIFICATION_REQUIRED',
      channel: 'EMAIL',
      challenge: expect.stringMatching(/^[\w-]{43}$/),
      message: expect.stringContaining('10 minutes'),
    });
    expect(pending.headers.getSetCookie()).toEqual([]);
    remember(pending.json.challenge);

    const mail = (await mailTo(api.sesEndpoint, m.email)).filter((x) => x.subject.includes('vérification')).at(-1);
    expect(mail!.subject).toBe('Votre code de vérification — espace adhérent');
    // The digits on their own line, and no link at all.
    const code = await mailedCode(m.email);
    expect(mail!.body.text.split('\n')).toContain(code);
    expect(mail!.body.text).not.toMatch(/https?:/);
    expect(mail!.body.html).not.toContain('<a ');

    const verified = await verify(pending.json.challenge, code, true, { 'User-Agent': PHONE });
    expect(verified.status).toBe(200);
    expect(verified.json).toEqual({
      status: 'AUTHENTICATED',
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    remember(verified.json.accessToken);
    remember(refreshTokenFrom(verified));
    const device = remember(deviceTokenFrom(verified));
    expect(device).toMatch(/^[\w-]{43}$/);

    // Remembered: the next sign-in from this browser asks for nothing more.
    const next = await login(m.nir, m.personalCode, device);
    expect(next.json.status).toBe('AUTHENTICATED');
    remember(next.json.accessToken);

    // A notice names the device and the time, with no link that signs in.
    const notices = (await mailTo(api.sesEndpoint, m.email)).filter((x) => x.subject.includes('nouvel appareil'));
    expect(notices.length).toBeGreaterThanOrEqual(2); // the first sign-in's device, then this one
    expect(notices.at(-1)!.subject).toBe('Un nouvel appareil a été ajouté à votre espace adhérent');
    expect(notices.at(-1)!.body.text).toContain('Chrome · Android');
    expect(notices.at(-1)!.body.text).toContain('Si ce n’est pas vous, changez votre mot de passe');
    expect(notices.at(-1)!.body.text).not.toMatch(/https?:/);

    const audit = (await runOps(api.env, 'audit', '--nir', m.nir)).stdout;
    for (const event of ['LOGIN_DEVICE_VERIFICATION_REQUIRED', 'DEVICE_CODE_SENT', 'DEVICE_VERIFIED', 'DEVICE_ADDED'])
      expect(audit).toContain(event);
  });

  it('in English when the browser asks for English', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode, undefined, { 'Accept-Language': 'en' });
    remember(pending.json.challenge);
    expect(pending.json.message).toContain('new device');
    const mails = (await mailTo(api.sesEndpoint, m.email)).filter((x) => x.subject.includes('verification code'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Your verification code for the member area');
    await mailedCode(m.email);
  });

  it('without "remember", the sign-in continues but the browser stays new', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode);
    const verified = await verify(pending.json.challenge, await mailedCode(m.email), false);
    expect(verified.json.status).toBe('AUTHENTICATED');
    remember(verified.json.accessToken);
    remember(refreshTokenFrom(verified));
    expect(deviceTokenFrom(verified)).toBeUndefined();
    const next = await login(m.nir, m.personalCode);
    expect(next.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(next.json.challenge);
  });

  it('guessing the mailed code: a wrong code is INVALID_DEVICE_CODE, and after three the challenge is dead even for the right code', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode);
    const code = await mailedCode(m.email);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 3; i++) expectError(await verify(pending.json.challenge, wrong), 401, 'INVALID_DEVICE_CODE');
    expectError(await verify(pending.json.challenge, code), 401, 'INVALID_CHALLENGE');
  });

  it('a wrong mailed code says how many tries the challenge has left', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode);
    const wrong = (await mailedCode(m.email)) === '000000' ? '000001' : '000000';
    const messages = [];
    for (let i = 0; i < 3; i++) messages.push((await verify(pending.json.challenge, wrong)).json.error.message);
    expect(messages).toEqual([
      'Ce code de vérification n’est pas le bon. Vérifiez le code à 6 chiffres reçu par mail. Il vous reste 2 essais.',
      'Ce code de vérification n’est pas le bon. Vérifiez le code à 6 chiffres reçu par mail. Il vous reste un essai.',
      'Ce code de vérification n’est pas le bon. Vérifiez le code à 6 chiffres reçu par mail.',
    ]);
  });

  it('guessing the mailed code in parallel: twenty concurrent guesses get no more than three checks', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode);
    const code = await mailedCode(m.email);
    const guesses = Array.from({ length: 20 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const replies = await Promise.all(guesses.map((g) => verify(pending.json.challenge, g)));
    expect(replies.filter((r) => r.json?.error?.code === 'INVALID_DEVICE_CODE')).toHaveLength(3);
    expect(replies.filter((r) => r.json?.error?.code === 'INVALID_CHALLENGE')).toHaveLength(17);
  });

  it('replaying a used challenge: INVALID_CHALLENGE', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode);
    const code = await mailedCode(m.email);
    const first = await verify(pending.json.challenge, code);
    expect(first.json.status).toBe('AUTHENTICATED');
    remember(first.json.accessToken);
    remember(refreshTokenFrom(first));
    remember(deviceTokenFrom(first));
    expectError(await verify(pending.json.challenge, code), 401, 'INVALID_CHALLENGE');
  });

  it('a challenge issued before a code change opens nothing after it', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode);
    const code = await mailedCode(m.email);
    // From the member's own browser (the personal code from any other is DEVICE_NOT_TRUSTED).
    const changed = await api.call('POST', '/v1/code/change', {
      body: { nir: m.nir, currentCode: m.personalCode, newCode: '740386', newCodeConfirmation: '740386' },
      headers: deviceCookieHeader(m.deviceToken),
    });
    expect(changed.status).toBe(200);
    expectError(await verify(pending.json.challenge, code), 401, 'INVALID_CHALLENGE');
  });

  it('a new device with terms still to accept gets the terms step, and the device cookie with it', async () => {
    const m = await member();
    await api.services
      .termsStore()
      .publish({ version: '2026-09', url: 'https://portal.example/cgu/2026-09', publishedAt: Date.now() });
    try {
      const pending = await login(m.nir, m.personalCode);
      const verified = await verify(pending.json.challenge, await mailedCode(m.email));
      expect(verified.json).toEqual({
        status: 'TERMS_ACCEPTANCE_REQUIRED',
        terms: { version: '2026-09', url: 'https://portal.example/cgu/2026-09' },
        challenge: expect.stringMatching(/^[\w-]{43}$/),
      });
      remember(verified.json.challenge);
      expect(remember(deviceTokenFrom(verified))).toMatch(/^[\w-]{43}$/);
    } finally {
      await api.services.termsStore().publish({ ...TEST_TERMS, publishedAt: Date.now() });
    }
  });

  it('a member without email is not asked (no channel): the right code goes on to the terms, and a stranger’s lock does not stop the browser they chose to trust', async () => {
    const m = await addMember(api, { initialCode: '469135', email: '' });
    await api.call('POST', '/v1/code/change', {
      body: { nir: remember(m.nir), currentCode: '469135', newCode: '583927', newCodeConfirmation: '583927' },
    });
    const reply = await api.call('POST', '/v1/login', {
      body: { nir: m.nir, code: remember('583927'), rememberDevice: true },
    });
    expect(reply.json.status).toBe('TERMS_ACCEPTANCE_REQUIRED');
    remember(reply.json.challenge);
    // The member asked to trust this browser: a stranger's lock will not keep this member out of it.
    const device = remember(deviceTokenFrom(reply));
    for (let i = 0; i < 5; i++) expect((await login(m.nir, `90817${i}`)).status).toBe(401);
    expect((await login(m.nir, '583927')).status).toBe(429);
    const own = await login(m.nir, '583927', device);
    expect(own.json.status).toBe('TERMS_ACCEPTANCE_REQUIRED');
    remember(own.json.challenge);
  });

  it('uniform answers: a wrong code, with or without a device cookie, is the same 401 as an unknown NIR', async () => {
    const m = await member();
    const answers = [await login(m.nir, '902817'), await login(m.nir, '902817', m.deviceToken)];
    for (const reply of answers) {
      expect(reply.status).toBe(401);
      expect(reply.json.error.code).toBe('INVALID_CREDENTIALS');
    }
    expect(answers[0]!.text).toBe(answers[1]!.text);
  });
});

describe('« Renvoyer le code »', () => {
  const resend = (challenge: string) =>
    api.call('POST', '/v1/device/resend', { body: { challenge: remember(challenge) } });

  it('mails a new code for the same challenge: the new one continues the sign-in, the previous one no longer works', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode);
    const first = await mailedCode(m.email);
    const resent = await resend(pending.json.challenge);
    expect(resent.status).toBe(200);
    expect(resent.json).toEqual({ status: 'DEVICE_CODE_SENT', message: expect.stringContaining('nouveau code') });
    const second = await mailedCode(m.email);
    if (second !== first) expectError(await verify(pending.json.challenge, first), 401, 'INVALID_DEVICE_CODE');
    const verified = await verify(pending.json.challenge, second);
    expect(verified.json.status).toBe('AUTHENTICATED');
    remember(verified.json.accessToken);
    remember(refreshTokenFrom(verified));
    remember(deviceTokenFrom(verified));
  });

  it('resending to get more guesses: the wrong codes already given stay counted across new codes', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode);
    const wrong = (await mailedCode(m.email)) === '000000' ? '000001' : '000000';
    expectError(await verify(pending.json.challenge, wrong), 401, 'INVALID_DEVICE_CODE');
    expectError(await verify(pending.json.challenge, wrong), 401, 'INVALID_DEVICE_CODE');
    expect((await resend(pending.json.challenge)).status).toBe(200);
    const code = await mailedCode(m.email);
    const other = code === '000000' ? '000001' : '000000';
    const last = await verify(pending.json.challenge, other);
    expectError(last, 401, 'INVALID_DEVICE_CODE');
    expect(last.json.error.message).not.toContain('essai');
    // Three checks in all: the challenge is dead, even for the new code, and cannot be resent.
    expectError(await verify(pending.json.challenge, code), 401, 'INVALID_CHALLENGE');
    expectError(await resend(pending.json.challenge), 401, 'INVALID_CHALLENGE');
  });

  it('resending without end: a challenge is resent three times at most', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode);
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push((await resend(pending.json.challenge)).status);
    expect(replies).toEqual([200, 200, 200, 401]);
    const mails = (await mailTo(api.sesEndpoint, m.email)).filter((x) => /vérification/.test(x.subject));
    expect(mails.length).toBeGreaterThanOrEqual(4);
  });

  it('a used, forged or malformed challenge gets INVALID_CHALLENGE or 400, and no mail', async () => {
    const m = await member();
    const pending = await login(m.nir, m.personalCode);
    const verified = await verify(pending.json.challenge, await mailedCode(m.email));
    remember(verified.json.accessToken);
    remember(refreshTokenFrom(verified));
    remember(deviceTokenFrom(verified));
    const before = (await mailTo(api.sesEndpoint, m.email)).length;
    expectError(await resend(pending.json.challenge), 401, 'INVALID_CHALLENGE');
    expectError(await resend('A'.repeat(43)), 401, 'INVALID_CHALLENGE');
    expect((await api.call('POST', '/v1/device/resend', { body: {} })).status).toBe(400);
    expect((await mailTo(api.sesEndpoint, m.email)).length).toBe(before);
  });
});

describe('device cookies that are not the member’s own', () => {
  it('another member’s device cookie, a forged one and a forgotten one are simply absent', async () => {
    const [alice, bob] = [await member(), await member()];
    const forged = remember('A'.repeat(43));
    for (const token of [bob.deviceToken, forged, 'not a token']) {
      const reply = await login(alice.nir, alice.personalCode, token);
      expect(reply.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
      remember(reply.json.challenge);
    }
  });
});

describe('a lock must not keep the member’s own device out', () => {
  it('a stranger locks the NIR: other clients get 429, the member’s trusted device still signs in', async () => {
    const m = await member();
    for (let i = 0; i < 5; i++) expect((await login(m.nir, `90817${i}`)).status).toBe(401);
    const stranger = await login(m.nir, m.personalCode);
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(800);
    // From the trusted device: a wrong code is judged (not refused by the lock), the right one signs in.
    expectError(await login(m.nir, '902817', m.deviceToken), 401, 'INVALID_CREDENTIALS');
    const own = await login(m.nir, m.personalCode, m.deviceToken);
    expect(own.json.status).toBe('AUTHENTICATED');
    remember(own.json.accessToken);
    // The member's success forgives none of the stranger's guesses: the NIR stays locked for others.
    expect((await login(m.nir, m.personalCode)).status).toBe(429);
  });

  it('five wrong codes from a trusted device lock that device only: another browser is unaffected', async () => {
    const m = await member();
    for (let i = 0; i < 5; i++) expectError(await login(m.nir, `90817${i}`, m.deviceToken), 401, 'INVALID_CREDENTIALS');
    const locked = await login(m.nir, m.personalCode, m.deviceToken);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    // The NIR itself is not locked: another browser goes on to the mailed code.
    const elsewhere = await login(m.nir, m.personalCode);
    expect(elsewhere.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(elsewhere.json.challenge);
    expect((await runOps(api.env, 'audit', '--nir', m.nir)).stdout).toMatch(/LOCKOUT_STARTED\s+INFO .*scope=DEVICE/);
  });
});

describe("the member's sessions and devices", () => {
  it('lists the sessions newest first with the current one marked; ends one at once; 404 for any other id', async () => {
    const m = await member();
    const second = await login(m.nir, m.personalCode, m.deviceToken, { 'User-Agent': 'Firefox/140 second tab' });
    remember(refreshTokenFrom(second));
    const list = await api.call('GET', '/v1/me/sessions', { headers: bearer(second) });
    expect(list.status).toBe(200);
    expect(list.json.sessions).toEqual([
      {
        id: expect.any(String),
        startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        lastUsedAt: expect.any(String),
        userAgent: 'Firefox/140 second tab',
        sourceIp: expect.any(String),
        current: true,
        deviceId: expect.any(String),
      },
      expect.objectContaining({ userAgent: PHONE, current: false }),
    ]);
    const [, first] = list.json.sessions;
    // Both opened from the member's trusted device: the sessions name it, as GET /v1/me/devices does.
    const devices = await api.call('GET', '/v1/me/devices', { headers: bearer(second) });
    const [device] = devices.json.devices;
    remember(device.id);
    expect(list.json.sessions.map((s: { deviceId?: string }) => s.deviceId)).toEqual([device.id, device.id]);

    expectError(await api.call('DELETE', '/v1/me/sessions/nope', { headers: bearer(second) }), 404, 'NOT_FOUND');
    // Someone else's session is not found either.
    const other = await member();
    const othersId = (await api.call('GET', '/v1/me/sessions', { headers: bearer(other.session) })).json.sessions[0].id;
    expectError(await api.call('DELETE', `/v1/me/sessions/${othersId}`, { headers: bearer(second) }), 404, 'NOT_FOUND');

    const ended = await api.call('DELETE', `/v1/me/sessions/${first.id}`, { headers: bearer(second) });
    expect(ended.status).toBe(204);
    expectError(await api.call('GET', '/v1/me', { headers: bearer(m.session) }), 401, 'UNAUTHENTICATED');
    expectError(
      await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(refreshTokenFrom(m.session)!) }),
      401,
      'SESSION_EXPIRED',
    );
    expect((await api.call('GET', '/v1/me', { headers: bearer(second) })).status).toBe(200);
    expect((await runOps(api.env, 'audit', '--nir', m.nir)).stdout).toMatch(
      /SESSION_REVOKED\s+SUCCESS\s+ip=.*reason=MEMBER/,
    );
  });

  it('"sign out everywhere else" ends every other session and keeps this one', async () => {
    const m = await member();
    const here = await login(m.nir, m.personalCode, m.deviceToken);
    remember(refreshTokenFrom(here));
    const out = await api.call('POST', '/v1/me/sessions/revoke-others', { headers: bearer(here) });
    expect(out.status).toBe(204);
    expectError(await api.call('GET', '/v1/me', { headers: bearer(m.session) }), 401, 'UNAUTHENTICATED');
    const left = await api.call('GET', '/v1/me/sessions', { headers: bearer(here) });
    expect(left.json.sessions).toEqual([expect.objectContaining({ current: true })]);
  });

  it('lists the trusted devices with the current one marked; forgetting one makes it verify again', async () => {
    const m = await member();
    const list = await api.call('GET', '/v1/me/devices', {
      headers: { ...bearer(m.session), ...deviceCookieHeader(m.deviceToken) },
    });
    expect(list.status).toBe(200);
    expect(list.json.devices).toEqual([
      {
        id: expect.stringMatching(/^[\w-]{22}$/),
        label: 'Chrome · Android',
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        current: true,
      },
    ]);
    const [device] = list.json.devices;
    remember(device.id);
    const other = await member();
    expectError(
      await api.call('DELETE', `/v1/me/devices/${device.id}`, { headers: bearer(other.session) }),
      404,
      'NOT_FOUND',
    );
    const forgotten = await api.call('DELETE', `/v1/me/devices/${device.id}`, { headers: bearer(m.session) });
    expect(forgotten.status).toBe(204);
    // The session opened from it ended with it (issue 19, N6).
    expectError(await api.call('GET', '/v1/me/devices', { headers: bearer(m.session) }), 401, 'UNAUTHENTICATED');
    const again = await login(m.nir, m.personalCode, m.deviceToken);
    expect(again.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(again.json.challenge);
    expect((await runOps(api.env, 'audit', '--nir', m.nir)).stdout).toMatch(
      /DEVICE_FORGOTTEN\s+SUCCESS\s+ip=.*reason=MEMBER/,
    );
  });

  it('a code change forgets every trusted device (audited)', async () => {
    const m = await member();
    await api.call('POST', '/v1/code/change', {
      body: { nir: m.nir, currentCode: m.personalCode, newCode: remember('740386'), newCodeConfirmation: '740386' },
      headers: deviceCookieHeader(m.deviceToken),
    });
    const again = await login(m.nir, '740386', m.deviceToken);
    expect(again.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(again.json.challenge);
    expect((await runOps(api.env, 'audit', '--nir', m.nir)).stdout).toMatch(
      /DEVICE_FORGOTTEN\s+SUCCESS\s+.*reason=CODE_CHANGED/,
    );
  });

  it('without a token these routes are 401 UNAUTHENTICATED with WWW-Authenticate', async () => {
    for (const [method, path] of [
      ['GET', '/v1/me/sessions'],
      ['DELETE', '/v1/me/sessions/x'],
      ['POST', '/v1/me/sessions/revoke-others'],
      ['GET', '/v1/me/devices'],
      ['DELETE', '/v1/me/devices/x'],
    ] as const) {
      const reply = await api.call(method, path);
      expectError(reply, 401, 'UNAUTHENTICATED');
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });
});

describe('logs', () => {
  // Every test above is also checked after it runs (secretWatch): this one needs no other test.
  it('a new-device sign-in, a wrong and a right mailed code, a remembered device, its listing and its forgetting leave no device cookie, device id, mailed code or challenge in the logs', async () => {
    const before = api.logs.length;
    const m = await member();
    const pending = await login(m.nir, m.personalCode);
    remember(pending.json.challenge);
    const code = await mailedCode(m.email);
    expect((await verify(pending.json.challenge, code === '000000' ? '000001' : '000000')).status).toBe(401);
    const verified = await verify(pending.json.challenge, code);
    remember(refreshTokenFrom(verified));
    const device = remember(deviceTokenFrom(verified));
    const listed = await api.call('GET', '/v1/me/devices', {
      headers: { ...bearer(verified), ...deviceCookieHeader(device) },
    });
    for (const d of listed.json.devices) remember(d.id);
    const sessions = await api.call('GET', '/v1/me/sessions', { headers: bearer(verified) });
    for (const s of sessions.json.sessions) remember(s.id);
    const current = listed.json.devices.find((d: { current: boolean }) => d.current);
    expect((await api.call('DELETE', `/v1/me/devices/${current.id}`, { headers: bearer(verified) })).status).toBe(204);
    expect((await login(m.nir, m.personalCode, device)).json.status).toBe('DEVICE_VERIFICATION_REQUIRED');

    expect(api.logs.length - before).toBeGreaterThan(10);
    expect(secrets.foundIn(api.logs.slice(before))).toEqual([]);
  });
});
