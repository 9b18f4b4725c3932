import { describe, expect, it } from '@jest/globals';
import { deviceLabel } from '../../../lambdas/domain/device-label.ts';
import { EMPTY_COUNTER, reserveAttempt, withdrawReservation } from '../../../lambdas/domain/lockout.ts';
import { DEVICE_TRUST_DAYS, LAST_USE_PRECISION_MS } from '../../../lambdas/domain/trusted-devices.ts';
import { domainWorld, SOURCE, TEST_POLICY } from '../../support/domain-world.ts';

const DAY = 24 * 60 * 60 * 1000;

/** A member with a personal code and a trusted device (proved by the mailed code), over the in-memory ports. */
async function memberWithDevice(options: Parameters<typeof domainWorld>[0] = {}) {
  const w = await domainWorld({ newDeviceVerification: true, ...options });
  const added = await w.addMemberWithPersonalCode();
  const pending = await w.login.login({ nir: added.nir, code: added.personalCode }, SOURCE);
  if (pending.status !== 'DEVICE_VERIFICATION_REQUIRED') throw new Error(`unexpected ${pending.status}`);
  const code = /^(\d{6})$/m.exec(w.mailer.sent.at(-1)!.text)![1]!;
  const verified = await w.deviceVerification.verify(
    { challenge: pending.challenge, code, rememberDevice: true },
    SOURCE,
  );
  const deviceToken = verified.device!.token;
  return { w, ...added, deviceToken, source: { ...SOURCE, deviceToken } };
}

describe('lockout arithmetic for a trusted device', () => {
  it('counts the attempt in the NIR’s 24-hour cap only, and is not refused by the NIR’s lock', () => {
    const locked = { ...EMPTY_COUNTER, lockedUntil: 10_000, lockLevel: 1, consecutive: 0, recentFailures: [1, 2, 3] };
    const r = reserveAttempt(locked, 5_000, TEST_POLICY.lockout, { trustedDevice: true });
    expect(r).toEqual({
      allowed: true,
      mode: 'DEVICE',
      reservedAt: 5_000,
      next: { ...locked, recentFailures: [1, 2, 3, 5_000] },
    });
  });

  it('the 24-hour cap still refuses a trusted device once every failure of the day is spent', () => {
    const full = { ...EMPTY_COUNTER, recentFailures: Array.from({ length: 20 }, (_, i) => 1_000 + i) };
    expect(reserveAttempt(full, 5_000, TEST_POLICY.lockout, { trustedDevice: true }).allowed).toBe(false);
  });

  it('withdrawing a reservation removes its failure and keeps the strangers’ count and lock', () => {
    const counter = { consecutive: 3, lockLevel: 2, lockedUntil: 9_000, recentFailures: [1, 5_000] };
    expect(withdrawReservation(counter, 5_000)).toEqual({ ...counter, recentFailures: [1] });
  });
});

describe('trusted devices (domain, in-memory ports)', () => {
  it('a stranger’s lock on the NIR does not stop the member’s trusted device', async () => {
    const { w, nir, personalCode, source } = await memberWithDevice();
    for (let i = 0; i < 5; i++) await expect(w.login.login({ nir, code: `90817${i}` }, SOURCE)).rejects.toThrow();
    await expect(w.login.login({ nir, code: personalCode }, SOURCE)).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    await expect(w.login.login({ nir, code: personalCode }, source)).resolves.toMatchObject({
      status: 'AUTHENTICATED',
    });
  });

  it('the NIR’s 24-hour cap counts the trusted device’s failures too', async () => {
    const { w, nir, personalCode, source } = await memberWithDevice({
      policy: { lockout: { ...TEST_POLICY.lockout, maxConsecutiveFailures: 10, maxFailuresPerDay: 6 } },
    });
    for (let i = 0; i < 3; i++) await expect(w.login.login({ nir, code: `90817${i}` }, SOURCE)).rejects.toThrow();
    for (let i = 0; i < 3; i++) await expect(w.login.login({ nir, code: `80817${i}` }, source)).rejects.toThrow();
    // Six failures today, three of them from the device: the cap refuses even the device's right code.
    await expect(w.login.login({ nir, code: personalCode }, source)).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
  });

  it('five failures from the device lock the device, whose lock escalates like the NIR’s', async () => {
    const { w, nir, personalCode, source } = await memberWithDevice();
    for (let i = 0; i < 5; i++)
      await expect(w.login.login({ nir, code: `90817${i}` }, source)).rejects.toMatchObject({
        code: 'INVALID_CREDENTIALS',
      });
    await expect(w.login.login({ nir, code: personalCode }, source)).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      retryAfterSeconds: 900,
    });
    w.clock.advance(901_000);
    for (let i = 0; i < 5; i++) await expect(w.login.login({ nir, code: `90817${i}` }, source)).rejects.toThrow();
    await expect(w.login.login({ nir, code: personalCode }, source)).rejects.toMatchObject({
      retryAfterSeconds: 1800,
    });
  });

  it('an attempt refused by the device’s lock costs the NIR nothing: its reservation is given back exactly', async () => {
    const { w, nir, key, personalCode, source } = await memberWithDevice();
    for (let i = 0; i < 5; i++) await expect(w.login.login({ nir, code: `90817${i}` }, source)).rejects.toThrow();
    const before = (await w.attempts.loadCounter(key)).counter;
    await expect(w.login.login({ nir, code: personalCode }, source)).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    expect((await w.attempts.loadCounter(key)).counter).toEqual(before);
  });

  it('writes a device’s last use at most once an hour: a sign-in within the hour writes nothing for the device', async () => {
    const m = await memberWithDevice();
    const lastUse = async () => (await m.w.devices.list((await m.w.members.get(m.key))!))[0]!.lastUsedAt;
    const trustedAt = await lastUse();
    let touches = 0;
    const touch = m.w.deviceStore.touch.bind(m.w.deviceStore);
    m.w.deviceStore.touch = async (...args) => {
      touches++;
      return touch(...args);
    };
    m.w.clock.advance(LAST_USE_PRECISION_MS - 1000);
    expect((await m.w.login.login({ nir: m.nir, code: m.personalCode }, m.source)).status).toBe('AUTHENTICATED');
    expect(touches).toBe(0);
    expect(await lastUse()).toBe(trustedAt);
    m.w.clock.advance(2000);
    expect((await m.w.login.login({ nir: m.nir, code: m.personalCode }, m.source)).status).toBe('AUTHENTICATED');
    expect(touches).toBe(1);
    expect(await lastUse()).toBe(trustedAt + LAST_USE_PRECISION_MS + 1000);
  });

  it('a device expires after 180 days: it is simply absent', async () => {
    const { w, nir, personalCode, source } = await memberWithDevice();
    w.clock.advance(DEVICE_TRUST_DAYS * DAY + 1);
    await expect(w.login.login({ nir, code: personalCode }, source)).resolves.toMatchObject({
      status: 'DEVICE_VERIFICATION_REQUIRED',
    });
  });

  it('the mailed code is stored only as a keyed hash, and the challenge dies after ten minutes', async () => {
    const w = await domainWorld({ newDeviceVerification: true });
    const { nir, personalCode } = await w.addMemberWithPersonalCode();
    const pending = await w.login.login({ nir, code: personalCode }, SOURCE);
    if (pending.status !== 'DEVICE_VERIFICATION_REQUIRED') throw new Error(`unexpected ${pending.status}`);
    const code = /^(\d{6})$/m.exec(w.mailer.sent.at(-1)!.text)![1]!;
    w.clock.advance(10 * 60 * 1000);
    await expect(
      w.deviceVerification.verify({ challenge: pending.challenge, code, rememberDevice: false }, SOURCE),
    ).rejects.toMatchObject({ code: 'INVALID_CHALLENGE' });
  });

  it('whoever knows the code gets at most ten mailed codes a day (thirty guesses at them), and the limit is audited', async () => {
    const w = await domainWorld({ newDeviceVerification: true });
    const { nir, personalCode } = await w.addMemberWithPersonalCode();
    for (let i = 0; i < 10; i++)
      await expect(w.login.login({ nir, code: personalCode }, SOURCE)).resolves.toMatchObject({
        status: 'DEVICE_VERIFICATION_REQUIRED',
      });
    await expect(w.login.login({ nir, code: personalCode }, SOURCE)).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    expect(w.mailer.sent.filter((m) => m.subject.includes('vérification'))).toHaveLength(10);
    expect(w.events.names()).toContain('DEVICE_CODES_LIMITED');
    w.clock.advance(DAY);
    await expect(w.login.login({ nir, code: personalCode }, SOURCE)).resolves.toMatchObject({
      status: 'DEVICE_VERIFICATION_REQUIRED',
    });
  });

  it('mailed codes come from the CSPRNG: six digits, a fresh one for every challenge', async () => {
    const w = await domainWorld({ newDeviceVerification: true });
    const { nir, personalCode } = await w.addMemberWithPersonalCode();
    const codes: string[] = [];
    for (let i = 0; i < 10; i++) {
      await w.login.login({ nir, code: personalCode }, SOURCE);
      codes.push(/^(\d{6})$/m.exec(w.mailer.sent.at(-1)!.text)![1]!);
    }
    expect(new Set(codes).size).toBeGreaterThanOrEqual(9);
  });

  it('a stage with newDeviceVerification off signs in without the mailbox step', async () => {
    const w = await domainWorld({ newDeviceVerification: false });
    const { nir, personalCode } = await w.addMemberWithPersonalCode();
    const outcome = await w.login.login({ nir, code: personalCode }, SOURCE);
    expect(outcome).toMatchObject({ status: 'AUTHENTICATED', device: { token: expect.any(String) } });
    // The browser is remembered all the same (for the lockout), and the member told of it.
    expect(w.events.names()).toContain('DEVICE_ADDED');
    expect(w.mailer.sent.at(-1)!.subject).toBe('Un nouvel appareil a été ajouté à votre espace adhérent');
  });
});

describe('device labels', () => {
  it.each([
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari · iPhone',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0',
      'Edge · Windows',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0', 'Firefox · Linux'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      'Chrome · macOS',
    ],
    ['curl/8.5', '?'],
    [undefined, '?'],
  ])('%s → %s', (userAgent, label) => {
    expect(deviceLabel(userAgent)).toBe(label);
  });
});
