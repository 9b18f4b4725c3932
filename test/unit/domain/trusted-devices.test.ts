import { describe, expect, it } from '@jest/globals';
import { deviceLabel } from '../../../lambdas/domain/device-label.ts';
import { withdrawReservation } from '../../../lambdas/domain/lockout.ts';
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

const CAP = TEST_POLICY.lockout.maxFailuresPerDay;

/** Wrong codes, five at a time, each lock waited out, until the 24-hour cap is spent. */
async function failLockAfterLock(
  w: Awaited<ReturnType<typeof domainWorld>>,
  nir: string,
  source: Parameters<Awaited<ReturnType<typeof domainWorld>>['login']['login']>[1],
) {
  for (let lock = 0; lock < CAP / 5; lock++) {
    for (let i = 0; i < 5; i++) await expect(w.login.login({ nir, code: `90817${i}` }, source)).rejects.toThrow();
    w.clock.advance(2 ** lock * 15 * 60_000);
  }
}

describe('lockout arithmetic for a trusted device', () => {
  it('withdrawing a reservation removes its failure and keeps the rest of the counter', () => {
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

  it('a stranger who spends the NIR’s 24-hour cap does not stop the member’s trusted device, which counts nothing on the NIR', async () => {
    const { w, nir, key, personalCode, source } = await memberWithDevice();
    await failLockAfterLock(w, nir, SOURCE);
    expect((await w.attempts.loadCounter(key)).counter.recentFailures).toHaveLength(CAP);
    await expect(w.login.login({ nir, code: personalCode }, SOURCE)).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    const before = (await w.attempts.loadCounter(key)).counter;
    await expect(w.login.login({ nir, code: '808172' }, source)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(w.login.login({ nir, code: personalCode }, source)).resolves.toMatchObject({
      status: 'AUTHENTICATED',
    });
    expect((await w.attempts.loadCounter(key)).counter).toEqual(before);
  });

  it('a trusted device that fails as often as the 24-hour cap allows is forgotten (audited), and is a new browser again', async () => {
    const { w, nir, personalCode, source } = await memberWithDevice();
    await failLockAfterLock(w, nir, source);
    expect(w.events.names()).toContain('DEVICE_FORGOTTEN');
    await expect(w.login.login({ nir, code: personalCode }, source)).resolves.toMatchObject({
      status: 'DEVICE_VERIFICATION_REQUIRED',
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

  it('an attempt refused by the device’s lock costs the NIR nothing', async () => {
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

  it('a stage with newDeviceVerification off signs in without the mailbox step, and trusts no browser of a member with an email', async () => {
    const w = await domainWorld({ newDeviceVerification: false });
    const { nir, personalCode } = await w.addMemberWithPersonalCode();
    const outcome = await w.login.login({ nir, code: personalCode, rememberDevice: true }, SOURCE);
    expect(outcome).toMatchObject({ status: 'AUTHENTICATED' });
    expect(outcome).toHaveProperty('device', undefined);
    expect(w.events.names()).not.toContain('DEVICE_ADDED');
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
