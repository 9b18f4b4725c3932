import { describe, expect, it } from '@jest/globals';
import { AppError } from '../../../lambdas/domain/errors.ts';
import { type DomainWorld, domainWorld, SOURCE } from '../../support/domain-world.ts';

/**
 * The process dies mid-request (a Lambda frozen for good, or killed) between two writes: each test
 * runs a flow once to count its writes, then again crashing at each write in turn, and checks what
 * the data says afterwards.
 */
class Crash extends Error {}

/** Every write of the world's stores and audit trail, counted; the `at`-th and all after it throw (the process is gone). */
function crashAt(w: DomainWorld, at: number): { writes: () => number } {
  let writes = 0;
  const wrap = (target: object, methods: readonly string[]) => {
    const t = target as Record<string, (...args: unknown[]) => unknown>;
    for (const name of methods) {
      const original = t[name]!.bind(target);
      t[name] = (...args: unknown[]) => {
        writes++;
        if (at > 0 && writes >= at) throw new Crash(`crash at write ${at}`);
        return original(...args);
      };
    }
  };
  wrap(w.attempts, ['saveCounter', 'reserveWindow', 'releaseWindow']);
  wrap(w.sessionStore, ['create', 'rotate', 'revoke']);
  wrap(w.members, ['setPersonalCode', 'replaceCodeHash', 'recordTermsAcceptance']);
  wrap(w.resetLinks, ['reserveUse', 'delete']);
  wrap(w.deviceStore, ['put', 'touch', 'delete']);
  wrap(w.events, ['record']);
  return { writes: () => writes };
}

/** A flow may end in one of the contract's refusals (a wrong code); anything else is a bug. */
function expectedRefusal(error: unknown): void {
  if (!(error instanceof AppError)) throw error;
}

/** Runs `flow` with no crash to count its writes, then once per write with a crash there. */
async function eachCrash(
  arrange: () => Promise<{ w: DomainWorld; flow: () => Promise<unknown> }>,
  check: (w: DomainWorld, crashedAt: number) => Promise<void> | void,
): Promise<number> {
  const clean = await arrange();
  const counter = crashAt(clean.w, 0);
  await clean.flow().catch(expectedRefusal);
  const total = counter.writes();
  expect(total).toBeGreaterThan(2);
  for (let at = 1; at <= total; at++) {
    const { w, flow } = await arrange();
    crashAt(w, at);
    await flow().catch((error: unknown) => {
      if (!(error instanceof Crash)) expectedRefusal(error);
    });
    await check(w, at);
  }
  return total;
}

const TERMS = { version: '2026-11', url: 'https://portal.example.org/cgu.pdf', publishedAt: 0 };

async function signedUpMember() {
  const w = await domainWorld();
  await w.termsStore.publish(TERMS);
  const m = await w.addMemberWithPersonalCode();
  const pending = await w.login.login({ nir: m.nir, code: m.personalCode }, SOURCE);
  if (pending.status !== 'TERMS_ACCEPTANCE_REQUIRED') throw new Error('unexpected');
  await w.termsOfUse.accept({ challenge: pending.challenge, version: TERMS.version, ...SOURCE });
  w.events.recorded.length = 0;
  return { w, ...m };
}

describe('a crash between two writes', () => {
  it('of a wrong sign-in loses no count: a code checked is a failure counted', async () => {
    await eachCrash(
      async () => {
        const m = await signedUpMember();
        let checks = 0;
        const matchAny = m.w.codeHasher.matchAny.bind(m.w.codeHasher);
        m.w.codeHasher.matchAny = async (...args) => {
          checks++;
          return matchAny(...args);
        };
        return {
          w: Object.assign(m.w, { checks: () => checks, key: m.key }),
          flow: () => m.w.login.login({ nir: m.nir, code: '902817' }, SOURCE),
        };
      },
      async (w) => {
        const { checks, key } = w as DomainWorld & { checks: () => number; key: string };
        const { counter } = await w.attempts.loadCounter(key);
        expect(counter.recentFailures.length).toBeGreaterThanOrEqual(checks());
      },
    );
  });

  it('of a right sign-in leaves no session without its audit entry', async () => {
    await eachCrash(
      async () => {
        const m = await signedUpMember();
        return {
          w: Object.assign(m.w, { key: m.key }),
          flow: () => m.w.login.login({ nir: m.nir, code: m.personalCode }, SOURCE),
        };
      },
      async (w) => {
        const { key } = w as DomainWorld & { key: string };
        // Beyond the session the terms acceptance opened beforehand, each one has its LOGIN_SUCCEEDED.
        const opened = (await w.sessionStore.listByMember(key)).length - 1;
        expect(w.events.count('LOGIN_SUCCEEDED')).toBeGreaterThanOrEqual(opened);
      },
    );
  });

  it('of a reset leaves no code changed with its link still working, and no session of the former code alive', async () => {
    await eachCrash(
      async () => {
        const m = await signedUpMember();
        await m.w.forgottenCode.request({ nir: m.nir }, SOURCE);
        await m.w.runJobs();
        const token = /#token=([A-Za-z0-9_-]{43})/.exec(m.w.mailer.sent.at(-1)!.text)![1]!;
        return {
          w: Object.assign(m.w, { token, key: m.key, old: m.personalCode, nir: m.nir }),
          flow: () =>
            m.w.codeReset.reset({ token, nir: m.nir, newCode: '305817', newCodeConfirmation: '305817' }, SOURCE),
        };
      },
      async (w) => {
        const { key } = w as DomainWorld & { key: string };
        const member = w.member(key);
        const changed = member.codeVersion > 1;
        if (changed) {
          // The link went with the change (the same write), and every earlier session with the former code.
          expect(member.resetTokenHash).toBeUndefined();
          for (const s of await w.sessionStore.listByMember(key))
            expect(s.codeVersion).toBeLessThan(member.codeVersion);
        } else {
          expect(member.resetTokenHash).toBeDefined();
        }
      },
    );
  });
});
