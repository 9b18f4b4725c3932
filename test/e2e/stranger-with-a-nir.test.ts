import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { nirLookupKey } from '../../lambdas/domain/nir.ts';
import {
  type ApiUnderTest,
  deviceCookieHeader,
  deviceTokenFrom,
  mailTo,
  type Reply,
  refreshTokenFrom,
  startApiWithTerms,
} from '../support/api-under-test.ts';
import { addMember, mailedDeviceCode, signedInMember, uniqueNir } from '../support/members.ts';
import { letterCodeFor, memberWithPasskey, passkeySignIn, resetLinkFor } from '../support/recovery.ts';
import { runOps } from '../support/run-ops.ts';
import { secretWatch } from '../support/secret-watch.ts';

/**
 * Issue 19, the second attack review: what a stranger who knows a member's NIR (and perhaps a code,
 * but not the mailbox) could still do. One test per finding, named after the attack; each failed on
 * the main the issue was filed against.
 */
let api: ApiUnderTest;
const secrets = secretWatch({ logs: () => api.logs });
const remember = secrets.remember;

const OPTIONS_PER_IP = 40;

beforeAll(async () => {
  api = await startApiWithTerms({ PASSKEY_OPTIONS_IP_MAX_REQUESTS: String(OPTIONS_PER_IP) });
});
afterAll(async () => {
  await api.stop();
});

const STRANGER = { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0' };

const login = (nir: string, code: string, deviceToken?: string, extra: Record<string, unknown> = {}) =>
  api.call('POST', '/v1/login', {
    body: { nir: remember(nir), code: remember(code), ...extra },
    headers: deviceCookieHeader(deviceToken),
  });
const change = (nir: string, currentCode: string, newCode: string, deviceToken?: string, rememberDevice?: boolean) =>
  api.call('POST', '/v1/code/change', {
    body: {
      nir,
      currentCode: remember(currentCode),
      newCode: remember(newCode),
      newCodeConfirmation: newCode,
      ...(rememberDevice === undefined ? {} : { rememberDevice }),
    },
    headers: { ...STRANGER, ...deviceCookieHeader(deviceToken) },
  });
const reset = (token: string, nir: string, newCode: string, rememberDevice?: boolean) =>
  api.call('POST', '/v1/code/reset', {
    body: { token: remember(token), nir, newCode: remember(newCode), newCodeConfirmation: newCode, rememberDevice },
  });
const bearer = (reply: Reply) => ({ Authorization: `Bearer ${remember(reply.json.accessToken)}` });

function expectError(reply: Reply, status: number, code: string) {
  expect({ status: reply.status, code: reply.json?.error?.code }).toEqual({ status, code });
}

const keyOf = async (nir: string) => nirLookupKey(await api.services.nirLookupHasher(), nir as never);
const failuresOnNir = async (nir: string) =>
  (await api.services.attemptStore().loadCounter(await keyOf(nir))).counter.recentFailures.length;

/**
 * The stranger has spent the NIR's 24-hour cap: 25 failures in the last hours (written as the
 * sign-ins would have left them, 2 to 20 hours ago — the clock moved, not waited for).
 */
async function strangerSpentTheCap(nir: string): Promise<void> {
  const attempts = api.services.attemptStore();
  const key = await keyOf(nir);
  const now = Date.now();
  const { version } = await attempts.loadCounter(key);
  const failures = Array.from({ length: 25 }, (_, i) => now - (20 - i * 0.75) * 3_600_000);
  const counter = { consecutive: 0, lockLevel: 5, lockedUntil: 0, recentFailures: failures };
  expect(await attempts.saveCounter(key, counter, version, Math.ceil(now / 1000) + 86_400)).toBe(true);
  expect((await login(nir, '917364')).status).toBe(429);
}

describe('N1 — a stranger with only the NIR keeps the member out', () => {
  it('N1: five wrong sign-ins and 22 wrong code changes during the lock do not keep the member’s trusted device out, and spend nothing of the NIR’s cap', async () => {
    const m = await signedInMember(api, { remember });
    for (let i = 0; i < 5; i++) expect((await login(m.nir, `90817${i}`)).status).toBe(401);
    for (let i = 0; i < 22; i++) expect((await change(m.nir, `80817${i % 10}`, '739164')).status).toBe(429);
    // Counted once each, in the lock: the code-change form has a letter-recovery budget of its own.
    expect(await failuresOnNir(m.nir)).toBe(5);
    const own = await login(m.nir, m.personalCode, m.deviceToken);
    expect(own.status).toBe(200);
    expect(own.json.status).toBe('AUTHENTICATED');
    remember(refreshTokenFrom(own));
  });

  it('N1: a stranger who spent the 24-hour cap does not keep the member’s trusted device out, whose attempts count nothing on the NIR', async () => {
    const m = await signedInMember(api, { remember });
    await strangerSpentTheCap(m.nir);
    expectError(await login(m.nir, '902817', m.deviceToken), 401, 'INVALID_CREDENTIALS');
    const own = await login(m.nir, m.personalCode, m.deviceToken);
    expect(own.json.status).toBe('AUTHENTICATED');
    remember(refreshTokenFrom(own));
    expect(await failuresOnNir(m.nir)).toBe(25);
  });

  it('N1: a stranger who spent the 24-hour cap does not keep the member out of a passkey sign-in', async () => {
    const m = await memberWithPasskey(api, remember);
    await strangerSpentTheCap(m.nir);
    expect((await passkeySignIn(api, m.authenticator, remember)).json.status).toBe('AUTHENTICATED');
  });

  it('N1: after a stranger spent the 24-hour cap, the reset link clears it: the new code is taken at once', async () => {
    const m = await addMember(api, { initialCode: '469135' });
    await strangerSpentTheCap(m.nir);
    const token = await resetLinkFor(api, m.nir, m.email);
    expect((await reset(token, m.nir, '583927')).status).toBe(200);
    const next = await login(m.nir, '583927');
    expect(next.json?.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(next.json.challenge);
  });

  it('N1: after a stranger spent the 24-hour cap, the reset link may trust the browser it was used in: no second mailed code', async () => {
    const m = await addMember(api, { initialCode: '469135' });
    await strangerSpentTheCap(m.nir);
    const token = await resetLinkFor(api, m.nir, m.email);
    const done = await reset(token, m.nir, '583927', true);
    expect(done.status).toBe(200);
    const device = remember(deviceTokenFrom(done));
    expect(device).toBeDefined();
    expect((await login(m.nir, '583927', device)).json.status).toBe('TERMS_ACCEPTANCE_REQUIRED');
  });

  it('N1: after a stranger spent the 24-hour cap, customer service’s unlock clears it, and says so', async () => {
    const m = await addMember(api, { initialCode: '469135' });
    await strangerSpentTheCap(m.nir);
    const status = await runOps(api.env, 'member-status', '--nir', m.nir);
    expect(status.stdout).toMatch(
      /locked\s+yes, until .*\(24-hour cap reached\); trusted devices and passkeys still sign in/,
    );
    expect(status.stdout).toMatch(/failed attempts \(24 h\)\s+25/);
    const unlocked = await runOps(api.env, 'unlock', '--nir', m.nir);
    expect(unlocked.stdout).toContain('24-hour cap cleared');
    expect((await login(m.nir, m.initialCode)).json.status).toBe('CODE_CHANGE_REQUIRED');
    expect((await runOps(api.env, 'unlock', '--nir', m.nir)).stdout).toContain('nothing changed');
  });

  it('N1: after a stranger spent the 24-hour cap, the letter’s temporary code still changes the code and clears the cap', async () => {
    const m = await addMember(api, { initialCode: '469135', email: '' });
    const temporaryCode = remember(await letterCodeFor(api, m.nir));
    await strangerSpentTheCap(m.nir);
    expect((await change(m.nir, '908179', '583927')).status).toBe(429);
    expect((await change(m.nir, temporaryCode, '583927')).status).toBe(200);
    expect((await login(m.nir, '583927')).json.status).toBe('TERMS_ACCEPTANCE_REQUIRED');
    expect(await failuresOnNir(m.nir)).toBe(0);
  });

  it('N1: the letter-recovery budget is bounded: after 10 wrong codes on the form during a lock, even the letter’s code waits', async () => {
    const m = await addMember(api, { initialCode: '469135', email: '' });
    const temporaryCode = remember(await letterCodeFor(api, m.nir));
    for (let i = 0; i < 5; i++) await login(m.nir, `90817${i}`);
    const answers: Reply[] = [];
    for (let i = 0; i < 10; i++) answers.push(await change(m.nir, `70817${i}`, '583927'));
    answers.push(await change(m.nir, temporaryCode, '583927'));
    for (const reply of answers) expectError(reply, 429, 'TOO_MANY_ATTEMPTS');
    // The same answer whether a code was checked or not: nothing tells the budget apart from the lock.
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });
});

describe('N2 — the statement’s or a letter’s code gives a trusted browser without the mailbox', () => {
  it('N2: the initial code with rememberDevice trusts no browser of a member with an email: the next sign-in asks for the mailed code', async () => {
    const m = await addMember(api, { initialCode: '469135' });
    const changed = await change(m.nir, m.initialCode, '583927', undefined, true);
    expect(changed.status).toBe(200);
    expect(deviceTokenFrom(changed)).toBeUndefined();
    const next = await login(m.nir, '583927');
    expect(next.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(next.json.challenge);
  });

  it('N2: for a member without email, only a code change that asks (rememberDevice: true) trusts the browser', async () => {
    const plain = await addMember(api, { initialCode: '469135', email: '' });
    expect(deviceTokenFrom(await change(plain.nir, plain.initialCode, '583927'))).toBeUndefined();
    const asking = await addMember(api, { initialCode: '469135', email: '' });
    const trusted = await change(asking.nir, asking.initialCode, '583927', undefined, true);
    expect(remember(deviceTokenFrom(trusted))).toBeDefined();
  });
});

describe('N3 — an intruder’s passkey survives the member’s recovery', () => {
  it('N3: an intruder’s passkey does not survive the member’s reset link: it no longer signs in, and the notice names it', async () => {
    const intruder = await memberWithPasskey(api, remember, 'Clé de l’intrus');
    const passkeys = await api.call('POST', '/v1/passkeys/code-sign-in', {
      body: { enabled: false },
      headers: { Authorization: `Bearer ${intruder.token}` },
    });
    expect(passkeys.status).toBe(204);
    const token = await resetLinkFor(api, intruder.nir, intruder.email);
    expect((await reset(token, intruder.nir, '739164')).status).toBe(200);
    expectError(await passkeySignIn(api, intruder.authenticator, remember), 401, 'PASSKEY_REFUSED');
    // Passkey-only ended with them: the member's new code opens the account.
    expect((await login(intruder.nir, '739164')).json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    const notice = (await mailTo(api.sesEndpoint, intruder.email)).filter((m) => m.subject.includes('modifié')).pop()!;
    expect(notice.body.text).toContain('« Clé de l’intrus »');
    const audit = await runOps(api.env, 'audit', '--nir', intruder.nir);
    expect(audit.stdout).toMatch(/PASSKEY_REMOVED\s+SUCCESS .*reason=RESET_LINK/);
  });

  it('N3: an intruder’s passkey does not survive the letter’s code', async () => {
    const m = await memberWithPasskey(api, remember);
    // The member loses the mailbox too: a letter, asked by customer service.
    await runOps(api.env, 'request-letter', '--nir', m.nir);
    const temporaryCode = remember(await letterCodeFor(api, m.nir));
    expect((await change(m.nir, temporaryCode, '739164')).status).toBe(200);
    expectError(await passkeySignIn(api, m.authenticator, remember), 401, 'PASSKEY_REFUSED');
  });

  it('N3: customer service removes an intruder’s passkeys with sign-out --passkeys', async () => {
    const m = await memberWithPasskey(api, remember, 'Clé inconnue');
    const out = await runOps(api.env, 'sign-out', '--nir', m.nir, '--passkeys');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('removed 1 passkey');
    expect(out.stdout).toContain('"Clé inconnue"');
    expectError(await passkeySignIn(api, m.authenticator, remember), 401, 'PASSKEY_REFUSED');
  });
});

describe('N4 — whoever knows the personal code, without the mailbox, changes it', () => {
  it('N4: the personal code on the code-change form from a browser the member never proved: 403 DEVICE_NOT_TRUSTED, nothing changed', async () => {
    const m = await signedInMember(api, { remember });
    const refused = await change(m.nir, m.personalCode, '739164');
    expectError(refused, 403, 'DEVICE_NOT_TRUSTED');
    expect(refused.json.error.message).toContain('connectez-vous');
    const own = await login(m.nir, m.personalCode, m.deviceToken);
    expect(own.json.status).toBe('AUTHENTICATED');
    remember(refreshTokenFrom(own));
    // From the member's own browser, the change works, and that browser stays trusted.
    const mine = await change(m.nir, m.personalCode, '739164', m.deviceToken);
    expect(mine.status).toBe(200);
    const device = remember(deviceTokenFrom(mine));
    expect((await login(m.nir, '739164', device)).json.status).toBe('AUTHENTICATED');
  });

  it('N4: DEVICE_NOT_TRUSTED comes only after a right code: a wrong one gets the same 401 as an unknown NIR, with or without a device', async () => {
    const m = await signedInMember(api, { remember });
    const answers = [
      await change(m.nir, '902817', '739164'),
      await change(m.nir, '902817', '739164', m.deviceToken),
      await change(uniqueNir(), '902817', '739164'),
    ];
    for (const reply of answers) expectError(reply, 401, 'INVALID_CREDENTIALS');
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });
});

describe('N5 — a browser trusted without the member’s choice', () => {
  it('N5: a plain sign-in of a member without email trusts no browser; asking (rememberDevice: true) does', async () => {
    const m = await addMember(api, { initialCode: '469135', email: '' });
    expect((await change(m.nir, m.initialCode, '583927')).status).toBe(200);
    const plain = await login(m.nir, '583927');
    expect(plain.json.status).toBe('TERMS_ACCEPTANCE_REQUIRED');
    expect(deviceTokenFrom(plain)).toBeUndefined();
    remember(plain.json.challenge);
    const asking = await login(m.nir, '583927', undefined, { rememberDevice: true });
    expect(remember(deviceTokenFrom(asking))).toBeDefined();
    remember(asking.json.challenge);
  });

  it('N5: a passkey sign-in on a shared computer sets no device cookie unless asked', async () => {
    const m = await memberWithPasskey(api, remember);
    const plain = await passkeySignIn(api, m.authenticator, remember);
    expect(plain.json.status).toBe('AUTHENTICATED');
    expect(deviceTokenFrom(plain)).toBeUndefined();
    expect(deviceTokenFrom(await passkeySignIn(api, m.authenticator, remember, true))).toBeDefined();
  });
});

describe('N6 — forgetting a device leaves its sessions; ending sessions leaves devices', () => {
  /** A second browser of the member, proved by the mailed code: its device cookie and its session. */
  async function secondBrowser(m: Awaited<ReturnType<typeof signedInMember>>) {
    const pending = await login(m.nir, m.personalCode);
    remember(pending.json.challenge);
    const code = remember(await mailedDeviceCode(api, m.email));
    const verified = await api.call('POST', '/v1/device/verify', {
      body: { challenge: pending.json.challenge, code, rememberDevice: true },
    });
    expect(verified.json.status).toBe('AUTHENTICATED');
    remember(refreshTokenFrom(verified));
    return { deviceToken: remember(deviceTokenFrom(verified))!, session: verified };
  }

  it('N6: a forgotten device’s sessions end with it: its access token and its refresh cookie stop working at once', async () => {
    const m = await signedInMember(api, { remember });
    const other = await secondBrowser(m);
    const devices = await api.call('GET', '/v1/me/devices', { headers: bearer(m.session) });
    expect(devices.json.devices).toHaveLength(2);
    // Newest first: the second browser's.
    const theirs = devices.json.devices[0];
    const forgotten = await api.call('DELETE', `/v1/me/devices/${remember(theirs.id)}`, { headers: bearer(m.session) });
    expect(forgotten.status).toBe(204);
    expect((await api.call('GET', '/v1/me', { headers: bearer(other.session) })).status).toBe(401);
    const refresh = await api.call('POST', '/v1/session/refresh', {
      headers: { Cookie: `__Secure-mp_refresh=${refreshTokenFrom(other.session)}` },
    });
    expectError(refresh, 401, 'SESSION_EXPIRED');
    // The caller's session, from the other device, goes on.
    expect((await api.call('GET', '/v1/me', { headers: bearer(m.session) })).status).toBe(200);
  });

  it('N6: "end my other sessions" also forgets every other trusted device', async () => {
    const m = await signedInMember(api, { remember });
    const other = await secondBrowser(m);
    expect((await api.call('POST', '/v1/me/sessions/revoke-others', { headers: bearer(m.session) })).status).toBe(204);
    expect((await api.call('GET', '/v1/me', { headers: bearer(other.session) })).status).toBe(401);
    const again = await login(m.nir, m.personalCode, other.deviceToken);
    expect(again.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(again.json.challenge);
    const mine = await login(m.nir, m.personalCode, m.deviceToken);
    expect(mine.json.status).toBe('AUTHENTICATED');
    remember(refreshTokenFrom(mine));
  });
});

describe('N7 — anonymous passkey ceremonies without limit', () => {
  it('N7: a stranger’s flood of anonymous passkey options from one IP is cut off with 429 and Retry-After', async () => {
    const answers: Reply[] = [];
    for (let i = 0; i < OPTIONS_PER_IP + 10; i++)
      answers.push(await api.call('POST', '/v1/passkeys/authenticate/options'));
    for (const a of answers) remember(a.json?.challenge);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(OPTIONS_PER_IP);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused[0]!.json.error.code).toBe('TOO_MANY_ATTEMPTS');
  });
});

describe('L11 — a reset link outlives an email change', () => {
  it('L11: a reset link mailed to the former address stops working once an import changes the email', async () => {
    const m = await addMember(api, { initialCode: '469135' });
    const token = await resetLinkFor(api, m.nir, m.email);
    await addMember(api, { initialCode: '469135', nir: m.nir, email: `new-${m.email}` });
    expectError(await reset(token, m.nir, '583927'), 400, 'INVALID_RESET_TOKEN');
    // An import that keeps the address keeps the link.
    const kept = await addMember(api, { initialCode: '469135' });
    const link = await resetLinkFor(api, kept.nir, kept.email);
    await addMember(api, { initialCode: '469135', nir: kept.nir, email: kept.email });
    expect((await reset(link, kept.nir, '583927')).status).toBe(200);
  });
});

describe('logs', () => {
  it('the attacks above and the member’s recoveries leave no NIR, code, link, device cookie or challenge in the logs', async () => {
    const before = api.logs.length;
    const m = await signedInMember(api, { remember });
    await change(m.nir, m.personalCode, '739164');
    await strangerSpentTheCap(m.nir);
    const token = await resetLinkFor(api, m.nir, m.email);
    await reset(token, m.nir, '739164', true);
    const logs = api.logs.slice(before);
    expect(logs.length).toBeGreaterThan(5);
    expect(secrets.foundIn(logs)).toEqual([]);
  });
});
