/**
 * The domain wired as the composition root wires it (lambdas/runtime/services.ts), over the
 * in-memory ports: every orchestration runs for real, in milliseconds, without Java. Argon2 is
 * cheap here (the parameters are a deployment's choice; their floor is tested in config.test.ts).
 */
import { TokenSigner, TokenVerifier } from '../../lambdas/domain/access-tokens.ts';
import type { BackgroundJob } from '../../lambdas/domain/background-jobs.ts';
import { CodeChange } from '../../lambdas/domain/code-change.ts';
import type { SixDigitCode } from '../../lambdas/domain/code-format.ts';
import { CodeHasher } from '../../lambdas/domain/code-hashing.ts';
import { CredentialCheck, type CredentialPolicy } from '../../lambdas/domain/credential-check.ts';
import { DeviceVerification } from '../../lambdas/domain/device-verification.ts';
import { CodeReset, ForgottenCode, ForgottenCodeWork } from '../../lambdas/domain/forgotten-code.ts';
import { LetterExport, LetterQueue } from '../../lambdas/domain/letters.ts';
import { NirLocks, sendLockNotice } from '../../lambdas/domain/lock-recovery.ts';
import { Login } from '../../lambdas/domain/login.ts';
import type { Member } from '../../lambdas/domain/member.ts';
import { importMember } from '../../lambdas/domain/member-import.ts';
import { MemberMail } from '../../lambdas/domain/member-mail.ts';
import { type Nir, nirLookupKey } from '../../lambdas/domain/nir.ts';
import { PasskeyRemoval } from '../../lambdas/domain/passkey-removal.ts';
import { Passkeys } from '../../lambdas/domain/passkeys.ts';
import { SessionGuard, SessionIssuer } from '../../lambdas/domain/sessions.ts';
import { SignInSteps } from '../../lambdas/domain/sign-in-steps.ts';
import { newSigningKey, publicKeysOf, signingKeyOf } from '../../lambdas/domain/signing-keys.ts';
import { TermsOfUse } from '../../lambdas/domain/terms.ts';
import { TrustedDevices } from '../../lambdas/domain/trusted-devices.ts';
import {
  FakeClock,
  InMemoryAttempts,
  InMemoryChallenges,
  InMemoryDeviceChallenges,
  InMemoryLetterFiles,
  InMemoryLetters,
  InMemoryMembers,
  InMemoryPasskeys,
  InMemoryResetLinks,
  InMemorySessionStore,
  InMemoryTerms,
  InMemoryTrustedDevices,
  InMemoryWebAuthnChallenges,
  inMemoryKey,
  QueuedJobs,
  RecordingEvents,
  RecordingMailer,
} from './in-memory.ts';
import { uniqueNir } from './members.ts';

export const CHEAP_ARGON2 = { memoryKiB: 64, passes: 1, parallelism: 1 } as const;

export const TEST_POLICY: CredentialPolicy = {
  lockout: { maxConsecutiveFailures: 5, baseLockSeconds: 15 * 60, maxLockSeconds: 24 * 3600, maxFailuresPerDay: 20 },
  perIp: { maxEvents: 1000, windowSeconds: 3600 },
  perCode: { maxEvents: 1000, windowSeconds: 3600 },
};

export const SOURCE = { requestId: 'req-unit', sourceIp: '192.0.2.10', language: 'fr', userAgent: 'jest' } as const;
export const PORTAL_URL = 'https://portal.example.org';
/** The relying party of the passkey tests: the portal's host and origin. */
export const PASSKEY_SETTINGS = { rpId: 'portal.example.org', rpName: 'Espace adhérent', origins: [PORTAL_URL] };

export async function domainWorld(
  options: { policy?: Partial<CredentialPolicy>; forgotPerIp?: number; newDeviceVerification?: boolean } = {},
) {
  const clock = new FakeClock();
  const events = new RecordingEvents();
  const mailer = new RecordingMailer();
  const jobs = new QueuedJobs();
  const members = new InMemoryMembers();
  const deviceStore = new InMemoryTrustedDevices();
  const attempts = new InMemoryAttempts(members, deviceStore);
  const sessionStore = new InMemorySessionStore(members, events);
  const termsStore = new InMemoryTerms();
  const resetLinks = new InMemoryResetLinks();
  const letterStore = new InMemoryLetters(members);
  const letterFiles = new InMemoryLetterFiles();
  const nirHasher = inMemoryKey();
  const codeHasher = new CodeHasher(inMemoryKey(), CHEAP_ARGON2);
  const secret = { current: await newSigningKey(), previous: [] };
  const [signingKey, publicKeys] = await Promise.all([signingKeyOf(secret), publicKeysOf(secret)]);
  const tokenSettings = { issuer: 'https://auth.example.org', audience: 'member-portal' };
  const mail = new MemberMail(mailer, events, { portalUrl: PORTAL_URL });
  const sessions = new SessionIssuer({
    sessions: sessionStore,
    members,
    tokens: new TokenSigner(async () => signingKey, tokenSettings, clock),
    refreshKey: inMemoryKey(),
    clock,
    events,
  });
  const verifier = new TokenVerifier({ publicKeys: async () => publicKeys }, tokenSettings, clock);
  const guard = new SessionGuard({
    sessions: sessionStore,
    members,
    tokens: verifier,
    clock,
    events,
  });
  const termsOfUse = new TermsOfUse({
    terms: termsStore,
    challenges: new InMemoryChallenges(),
    members,
    sessions,
    clock,
    events,
  });
  const devices = new TrustedDevices({ devices: deviceStore, mail, clock, events });
  const credentials = new CredentialCheck({
    attempts,
    nirHasher,
    codeHasher,
    policy: { ...TEST_POLICY, ...options.policy },
    clock,
    events,
    jobs,
    devices,
  });
  const steps = new SignInSteps({ termsStore, termsOfUse, sessions, events });
  const deviceVerification = new DeviceVerification({
    challenges: new InMemoryDeviceChallenges(),
    attempts,
    members,
    codeKey: inMemoryKey(),
    mail,
    devices,
    steps,
    clock,
    events,
  });
  const passkeyStore = new InMemoryPasskeys();
  const webauthnChallenges = new InMemoryWebAuthnChallenges();
  const passkeys = new Passkeys({
    attempts,
    optionsPerIp: { maxEvents: 100, windowSeconds: 900 },
    challengeKey: inMemoryKey(),
    passkeys: passkeyStore,
    challenges: webauthnChallenges,
    members,
    devices,
    steps,
    mail,
    settings: PASSKEY_SETTINGS,
    clock,
    events,
  });
  const letterQueue = new LetterQueue({ letters: letterStore, clock, events });
  const locks = new NirLocks(attempts, clock, events);
  const passkeyRemoval = new PasskeyRemoval(passkeyStore, events);
  const forgottenCodeWork = new ForgottenCodeWork({
    members,
    resetLinks,
    letters: letterQueue,
    mail,
    clock,
    events,
    portalBaseUrl: PORTAL_URL,
  });

  const world = {
    clock,
    events,
    mailer,
    jobs,
    members,
    attempts,
    sessionStore,
    termsStore,
    resetLinks,
    letterStore,
    letterFiles,
    codeHasher,
    sessions,
    guard,
    verifier,
    termsOfUse,
    locks,
    letterQueue,
    forgottenCodeWork,
    deviceStore,
    devices,
    passkeyStore,
    webauthnChallenges,
    passkeys,
    deviceVerification,
    login: new Login({
      credentials,
      members,
      codeHasher,
      termsStore,
      steps,
      devices,
      // Off unless asked: the unit tests of other flows sign in without the mailbox step.
      deviceVerification: options.newDeviceVerification ? deviceVerification : undefined,
      events,
    }),
    codeChange: new CodeChange({
      credentials,
      members,
      codeHasher,
      mail,
      devices,
      locks,
      passkeys: passkeyRemoval,
      requireProvenDevice: options.newDeviceVerification ?? false,
      clock,
      events,
    }),
    forgottenCode: new ForgottenCode({
      nirHasher,
      jobs,
      attempts,
      perIp: { maxEvents: options.forgotPerIp ?? 100, windowSeconds: 3600 },
      clock,
      events,
    }),
    codeReset: new CodeReset({
      members,
      resetLinks,
      nirHasher,
      codeHasher,
      locks,
      passkeys: passkeyRemoval,
      mail,
      devices,
      clock,
      events,
    }),
    letterExport: new LetterExport({
      letters: letterStore,
      files: letterFiles,
      members,
      codeHasher,
      codeDeriver: inMemoryKey(),
      clock,
      events,
    }),

    /** The member's key (the NIR's keyed hash). */
    keyOf: (nir: Nir) => nirLookupKey(nirHasher, nir),

    /** A member as the import creates them: an initial code, an email (or only a postal address). */
    async addMember(
      profile: { initialCode?: string; email?: string | null; clientId?: string } = {},
    ): Promise<{ nir: Nir; key: string; initialCode: SixDigitCode }> {
      const nir = uniqueNir();
      const initialCode = (profile.initialCode ?? '482915') as SixDigitCode;
      const outcome = await importMember(
        {
          nir,
          lastName: 'Dubois',
          firstName: 'Claire',
          email: profile.email === null ? undefined : (profile.email ?? `claire.${nir.slice(-6)}@example.org`),
          addressLine1: '1 rue de la Paix',
          postalCode: '75002',
          city: 'Paris',
          country: 'FR',
          clientId: profile.clientId,
          initialCode,
        },
        { members, nirHasher, codeHasher, clock, initialCodeValidDays: 365 },
      );
      if (outcome.result === 'rejected') throw new Error(outcome.reason);
      return { nir, key: await nirLookupKey(nirHasher, nir), initialCode };
    },

    /** A member who already chose `personalCode` (as after the first sign-in's form). */
    async addMemberWithPersonalCode(personalCode = '739164', profile: { email?: string | null } = {}) {
      const added = await world.addMember(profile);
      const member = members.peek(added.key)!;
      await members.setPersonalCode(added.key, {
        hash: await codeHasher.hashCode(personalCode, member.codeSalt),
        expectedCodeVersion: member.codeVersion,
        now: clock.now(),
      });
      return { ...added, personalCode };
    },

    member: (key: string): Member => {
      const member = members.peek(key);
      if (!member) throw new Error('no such member');
      return member;
    },

    /** Runs the hand-offs as the worker function would. */
    runJobs: () =>
      jobs.runAll((job: BackgroundJob) =>
        job.kind === 'FORGOT' ? forgottenCodeWork.process(job) : sendLockNotice(job, { members, mail }),
      ),
  };
  return world;
}

export type DomainWorld = Awaited<ReturnType<typeof domainWorld>>;
