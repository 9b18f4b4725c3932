import { beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoAttemptStore } from '../../lambdas/adapters/dynamo/attempt-store.ts';
import { DynamoMemberRepository } from '../../lambdas/adapters/dynamo/member-repository.ts';
import type { Table } from '../../lambdas/adapters/dynamo/table.ts';
import { LocalHmacKey } from '../../lambdas/adapters/keys/local-key-files.ts';
import type { BackgroundJob } from '../../lambdas/domain/background-jobs.ts';
import { parseCode } from '../../lambdas/domain/code-format.ts';
import { CodeHasher, OWASP_MINIMUM, type PepperedCode } from '../../lambdas/domain/code-hashing.ts';
import { CredentialCheck, type CredentialPolicy } from '../../lambdas/domain/credential-check.ts';
import { InvalidCredentialsError, TooManyAttemptsError } from '../../lambdas/domain/errors.ts';
import { DAY_MS } from '../../lambdas/domain/lockout.ts';
import { importMemberRecord } from '../../lambdas/domain/member-row.ts';
import { type Nir, nirKey, nirLookupKey, parseNir } from '../../lambdas/domain/nir.ts';
import { silentEvents } from '../support/in-memory.ts';
import { memberRow } from '../support/member-rows.ts';
import { prepareTestEnvironment } from '../support/test-environment.ts';

/** Counts every code verification: the thing lockout and the throttles must bound. */
class CountingHasher extends CodeHasher {
  verifications = 0;
  override async matchAny(peppered: PepperedCode, stored: readonly (string | undefined)[]): Promise<number> {
    this.verifications++;
    return super.matchAny(peppered, stored);
  }
}

const policy: CredentialPolicy = {
  lockout: { maxConsecutiveFailures: 5, baseLockSeconds: 900, maxLockSeconds: 86_400, maxFailuresPerDay: 25 },
  perIp: { maxEvents: 100, windowSeconds: 900 },
  perCode: { maxEvents: 30, windowSeconds: 3600 },
};
const events = silentEvents;

let table: Table;
let serial = 100_000;
const freshNir = (): Nir => {
  const body = `18405${String(serial++).padStart(8, '0')}`;
  return parseNir(`${body}${String(nirKey(body)).padStart(2, '0')}`);
};

function setup(overrides: Partial<CredentialPolicy> = {}, clock = { now: () => Date.now() }) {
  const nirHasher = new LocalHmacKey(Buffer.alloc(32, 1));
  const codeHasher = new CountingHasher(new LocalHmacKey(Buffer.alloc(32, 2)), OWASP_MINIMUM);
  const members = new DynamoMemberRepository(table);
  const attempts = new DynamoAttemptStore(table);
  const jobs: BackgroundJob[] = [];
  const check = new CredentialCheck({
    attempts,
    nirHasher,
    codeHasher,
    policy: { ...policy, ...overrides },
    clock,
    events,
    jobs: { dispatch: async (job) => void jobs.push(job) },
    devices: { forgetAfterFailures: async () => undefined },
  });
  const addMember = (nir: Nir, initialCode: string, email = 'm@example.org') =>
    importMemberRecord(memberRow({ nir, email, initialCode }), {
      members,
      nirHasher,
      codeHasher,
      clock,
      initialCodeValidDays: 365,
    });
  return { check, codeHasher, attempts, nirHasher, addMember, jobs };
}

/** A source IP and a wrong code of their own per call, unless a test shares one: tests do not throttle each other. */
let ipSerial = 0;
let codeSerial = 600_000;
const source = (ip = `10.${Math.floor(ipSerial / 250)}.${ipSerial++ % 250}.1`) => ({
  sourceIp: ip,
  requestId: 'r',
  language: 'fr' as const,
});
const wrongCode = () => parseCode(String(codeSerial++));
const accept = async () => undefined;

async function outcome(p: Promise<unknown>): Promise<'ok' | '401' | '429'> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    if (error instanceof InvalidCredentialsError) return '401';
    if (error instanceof TooManyAttemptsError) return '429';
    throw error;
  }
}

beforeAll(async () => {
  ({ table } = await prepareTestEnvironment());
});

describe('credential check against DynamoDB Local', () => {
  it('50 concurrent wrong attempts on one NIR yield at most 5 checks of the code, and the counter loses no update', async () => {
    const { check, codeHasher, attempts, nirHasher, addMember } = setup();
    const nir = freshNir();
    await addMember(nir, '583927');
    codeHasher.verifications = 0;

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        outcome(check.verify(nir, parseCode(String(100_000 + i)), source(`192.0.2.${i}`), accept)),
      ),
    );

    expect(results.filter((r) => r === '401')).toHaveLength(5);
    expect(results.filter((r) => r === '429')).toHaveLength(45);
    expect(codeHasher.verifications).toBe(5);
    const { counter, version } = await attempts.loadCounter(await nirLookupKey(nirHasher, nir));
    expect(counter.recentFailures).toHaveLength(5);
    expect(counter.lockedUntil).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(version).toBe(5);
  });

  it('locks a NIR that has no account exactly like one that has (a lock reveals nothing)', async () => {
    const { check, addMember } = setup();
    const known = freshNir();
    const unknown = freshNir();
    await addMember(known, '583927');
    const run = async (nir: Nir) => {
      const out = [];
      for (let i = 0; i < 6; i++) out.push(await outcome(check.verify(nir, wrongCode(), source(), accept)));
      return out;
    };
    const expected = ['401', '401', '401', '401', '401', '429'];
    expect(await run(known)).toEqual(expected);
    expect(await run(unknown)).toEqual(expected);
  });

  it('hands off one lock notice per lock, for a known and an unknown NIR alike (same work, same time)', async () => {
    const { check, addMember, jobs } = setup();
    const known = freshNir();
    await addMember(known, '583927');
    for (const nir of [known, freshNir()]) {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          outcome(check.verify(nir, parseCode(String(200_000 + i)), source(), accept)),
        ),
      );
    }
    expect(jobs.map((j) => j.kind)).toEqual(['LOCK_NOTICE', 'LOCK_NOTICE']);
  });

  it('right code after the lock is still refused until it ends', async () => {
    const { check, addMember } = setup();
    const nir = freshNir();
    await addMember(nir, '583927');
    for (let i = 0; i < 5; i++) await outcome(check.verify(nir, wrongCode(), source(), accept));
    expect(await outcome(check.verify(nir, parseCode('583927'), source(), accept))).toBe('429');
  });

  it('a success resets the consecutive count', async () => {
    const { check, addMember } = setup();
    const nir = freshNir();
    await addMember(nir, '583927');
    for (let i = 0; i < 4; i++) await outcome(check.verify(nir, wrongCode(), source(), accept));
    expect(await outcome(check.verify(nir, parseCode('583927'), source(), accept))).toBe('ok');
    for (let i = 0; i < 4; i++) expect(await outcome(check.verify(nir, wrongCode(), source(), accept))).toBe('401');
  });

  it('a stranger cannot escalate a lock for ever: after an expired lock and a quiet day, the next lock is 15 minutes again', async () => {
    // From the real time: DynamoDB Local deletes items whose TTL has passed, and a clock fixed in the past
    // made this test's items expire under it (a session vanished in CI).
    let now = Date.now();
    const { check, attempts, nirHasher } = setup({}, { now: () => now });
    const nir = freshNir();
    const key = await nirLookupKey(nirHasher, nir);
    const lockFor = async () => {
      for (let i = 0; i < 5; i++) await outcome(check.verify(nir, wrongCode(), source(), accept));
      const { counter } = await attempts.loadCounter(key);
      return (counter.lockedUntil - now) / 60_000;
    };
    expect(await lockFor()).toBe(15);
    now += 20 * 60_000;
    expect(await lockFor()).toBe(30);
    // The lock ends; a whole day passes without a failure.
    now += 30 * 60_000 + DAY_MS;
    expect(await lockFor()).toBe(15);
  });

  it('stops spraying: one code tried on many NIRs is throttled across accounts', async () => {
    const { check } = setup({ perCode: { maxEvents: 10, windowSeconds: 3600 } });
    const results = [];
    for (let i = 0; i < 14; i++)
      results.push(await outcome(check.verify(freshNir(), parseCode('246813'), source(`198.51.100.${i}`), accept)));
    expect(results.slice(0, 10).every((r) => r === '401')).toBe(true);
    expect(results.slice(10)).toEqual(['429', '429', '429', '429']);
    // Another code is not affected.
    expect(await outcome(check.verify(freshNir(), parseCode('975310'), source('198.51.100.99'), accept))).toBe('401');
  });

  it('throttles one source IP after its failures across many NIRs', async () => {
    const { check } = setup({ perIp: { maxEvents: 8, windowSeconds: 900 } });
    const ip = '203.0.113.77';
    const results = [];
    for (let i = 0; i < 11; i++)
      results.push(await outcome(check.verify(freshNir(), parseCode(String(300_000 + i)), source(ip), accept)));
    expect(results.slice(0, 8).every((r) => r === '401')).toBe(true);
    expect(results.slice(8)).toEqual(['429', '429', '429']);
    expect(await outcome(check.verify(freshNir(), parseCode('300999'), source('203.0.113.78'), accept))).toBe('401');
  });

  it('successes give their throttle reservations back: a busy office IP is not throttled by its members signing in', async () => {
    const { check, addMember } = setup({ perIp: { maxEvents: 3, windowSeconds: 900 } });
    const ip = '203.0.113.90';
    const nir = freshNir();
    await addMember(nir, '583927');
    for (let i = 0; i < 6; i++)
      expect(await outcome(check.verify(nir, parseCode('583927'), source(ip), accept))).toBe('ok');
    for (let i = 0; i < 3; i++)
      expect(await outcome(check.verify(freshNir(), parseCode('583927'), source(ip), accept))).toBe('401');
    expect(await outcome(check.verify(freshNir(), parseCode('583927'), source(ip), accept))).toBe('429');
  });
});

describe('throttles that cannot be raced (security review, item 4)', () => {
  it('150 concurrent wrong attempts from one source IP on 150 unknown NIRs check at most the per-IP limit of codes', async () => {
    const { check, codeHasher } = setup({
      perIp: { maxEvents: 100, windowSeconds: 900 },
      perCode: { maxEvents: 1000, windowSeconds: 3600 },
    });
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        outcome(check.verify(freshNir(), parseCode(String(400_000 + i)), source('203.0.113.200'), accept)),
      ),
    );
    expect(codeHasher.verifications).toBeLessThanOrEqual(100);
    expect(results.filter((r) => r === '401')).toHaveLength(codeHasher.verifications);
    expect(results.filter((r) => r === '429').length).toBeGreaterThanOrEqual(50);
  });

  it('one code sprayed on 60 NIRs at once is checked at most the per-code limit of times', async () => {
    const { check, codeHasher } = setup({ perCode: { maxEvents: 30, windowSeconds: 3600 } });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        outcome(check.verify(freshNir(), parseCode('864209'), source(`198.18.0.${i}`), accept)),
      ),
    );
    expect(codeHasher.verifications).toBeLessThanOrEqual(30);
    expect(results.filter((r) => r === '429').length).toBeGreaterThanOrEqual(30);
  });
});
