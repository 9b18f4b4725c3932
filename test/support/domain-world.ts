/**
 * The service graph of the composition root (lambdas/runtime/services.ts) — the very module, not a
 * copy — wired over in-memory ports that stand in for lambdas/runtime/adapters.ts, with a test
 * configuration in place of lambdas/runtime/config.ts: every orchestration runs for real, in
 * milliseconds, without Java. Argon2 is cheap here (the parameters are a deployment's choice; their
 * floor is tested in config.test.ts).
 */
import { jest } from '@jest/globals';
import type { BackgroundJob } from '../../lambdas/domain/background-jobs.ts';
import type { SixDigitCode } from '../../lambdas/domain/code-format.ts';
import type { CredentialPolicy } from '../../lambdas/domain/credential-check.ts';
import { sendLockNotice } from '../../lambdas/domain/lock-recovery.ts';
import type { Member } from '../../lambdas/domain/member.ts';
import { importMember } from '../../lambdas/domain/member-import.ts';
import { type Nir, nirLookupKey } from '../../lambdas/domain/nir.ts';
import { newSigningKey, publicKeysOf, signingKeyOf } from '../../lambdas/domain/signing-keys.ts';
import type * as Adapters from '../../lambdas/runtime/adapters.ts';
import type { Config } from '../../lambdas/runtime/config.ts';
import { InMemoryLetterFiles, inMemoryKey, inMemoryPorts } from './in-memory.ts';
import { uniqueNir } from './members.ts';

const CHEAP_ARGON2 = { memoryKiB: 64, passes: 1, parallelism: 1 } as const;

export const TEST_POLICY: CredentialPolicy = {
  lockout: { maxConsecutiveFailures: 5, baseLockSeconds: 15 * 60, maxLockSeconds: 24 * 3600, maxFailuresPerDay: 20 },
  perIp: { maxEvents: 1000, windowSeconds: 3600 },
  perCode: { maxEvents: 1000, windowSeconds: 3600 },
};

export const SOURCE = { requestId: 'req-unit', sourceIp: '192.0.2.10', language: 'fr', userAgent: 'jest' } as const;
export const PORTAL_URL = 'https://portal.example.org';
/** The relying party of the passkey tests: the portal's host and origin. */
export const PASSKEY_SETTINGS = { rpId: 'portal.example.org', rpName: 'Espace adhérent', origins: [PORTAL_URL] };

interface WorldOptions {
  readonly policy?: Partial<CredentialPolicy>;
  readonly forgotPerIp?: number;
  readonly newDeviceVerification?: boolean;
}

function testConfig(options: WorldOptions): Config {
  return {
    tableName: 'unit-world',
    region: 'eu-west-3',
    dynamodbEndpoint: undefined,
    sesEndpoint: undefined,
    keys: { source: 'local', dir: '/nonexistent' },
    tokens: { issuer: 'https://auth.example.org', audience: 'member-portal' },
    apiBasePath: '',
    portalOrigins: [PORTAL_URL],
    portalBaseUrl: PORTAL_URL,
    mail: { from: 'espace-adherent@example.org', configurationSet: undefined },
    support: { phone: '09 69 32 10 00', hours: 'du lundi au vendredi, de 9 h à 18 h', url: undefined },
    accountWorker: undefined,
    lambdaEndpoint: undefined,
    lettersBucket: undefined,
    failedJobsQueueUrl: undefined,
    lettersKeyId: undefined,
    feedBucket: undefined,
    feedKeyId: undefined,
    auditRetentionDays: { keep: 365, short: 30 },
    initialCodeValidDays: 365,
    forgotPerIp: { maxEvents: options.forgotPerIp ?? 100, windowSeconds: 3600 },
    passkeyOptionsPerIp: { maxEvents: 100, windowSeconds: 900 },
    credentials: { ...TEST_POLICY, ...options.policy },
    // Off unless asked: the unit tests of other flows sign in without the mailbox step.
    newDeviceVerification: options.newDeviceVerification ?? false,
    passkeys: PASSKEY_SETTINGS,
    argon2: CHEAP_ARGON2,
  };
}

/** The world being built: the stand-in modules hand out its ports while its services are wired. */
let building: { ports: ReturnType<typeof inMemoryPorts>; config: Config } | undefined;
const current = () => {
  if (!building) throw new Error('the unit world hands out ports only while a world is wired');
  return building;
};
const notInTheUnitWorld = (what: string) => () => {
  throw new Error(`${what} has no in-memory stand-in: use the integration tests (DynamoDB Local)`);
};

// Keys hold no state: one per test file, shared by its worlds (a late use reaches the same key).
const KEYS = {
  nirLookup: inMemoryKey(),
  codePepper: inMemoryKey(),
  refreshToken: inMemoryKey(),
  letterCode: inMemoryKey(),
  passkeyChallenge: inMemoryKey(),
};
const signingSecret = { current: await newSigningKey(), previous: [] };
const [signingKey, publicKeys] = await Promise.all([signingKeyOf(signingSecret), publicKeysOf(signingSecret)]);

const IN_MEMORY_ADAPTERS: typeof Adapters = {
  clock: () => current().ports.clock,
  table: notInTheUnitWorld('the table'),
  auditTrail: notInTheUnitWorld('the audit trail'),
  events: () => current().ports.events as unknown as ReturnType<typeof Adapters.events>,
  nirLookupHasher: async () => KEYS.nirLookup,
  codePepper: async () => KEYS.codePepper,
  refreshTokenKey: async () => KEYS.refreshToken,
  letterCodeKey: async () => KEYS.letterCode,
  passkeyChallengeKey: async () => KEYS.passkeyChallenge,
  tokenKeys: () => ({ signingKey: async () => signingKey, publicKeys: async () => publicKeys }),
  members: () => current().ports.members as unknown as ReturnType<typeof Adapters.members>,
  termsStore: () => current().ports.termsStore as unknown as ReturnType<typeof Adapters.termsStore>,
  attemptStore: () => current().ports.attempts as unknown as ReturnType<typeof Adapters.attemptStore>,
  sessionStore: () => current().ports.sessionStore as unknown as ReturnType<typeof Adapters.sessionStore>,
  challengeStore: () => current().ports.challenges as unknown as ReturnType<typeof Adapters.challengeStore>,
  deviceChallengeStore: () =>
    current().ports.deviceChallenges as unknown as ReturnType<typeof Adapters.deviceChallengeStore>,
  trustedDeviceStore: () => current().ports.deviceStore as unknown as ReturnType<typeof Adapters.trustedDeviceStore>,
  resetLinkStore: () => current().ports.resetLinks as unknown as ReturnType<typeof Adapters.resetLinkStore>,
  letterStore: () => current().ports.letterStore as unknown as ReturnType<typeof Adapters.letterStore>,
  passkeyStore: () => current().ports.passkeyStore as unknown as ReturnType<typeof Adapters.passkeyStore>,
  webAuthnChallengeStore: () =>
    current().ports.webauthnChallenges as unknown as ReturnType<typeof Adapters.webAuthnChallengeStore>,
  accessStore: notInTheUnitWorld('the access store'),
  accessEndSchedule: notInTheUnitWorld('the access-end schedule'),
  mailer: () => current().ports.mailer as unknown as ReturnType<typeof Adapters.mailer>,
  backgroundJobs: () => current().ports.jobs,
};

jest.unstable_mockModule('../../lambdas/runtime/adapters.ts', () => IN_MEMORY_ADAPTERS);
jest.unstable_mockModule('../../lambdas/runtime/config.ts', () => ({ config: () => current().config }));
const services = await import('../../lambdas/runtime/services.ts');
const { passkeys: passkeyService } = await import('../../lambdas/runtime/passkey-services.ts');
const { forgetBuiltValues } = await import('../../lambdas/runtime/once.ts');

export async function domainWorld(options: WorldOptions = {}) {
  const ports = inMemoryPorts();
  const letterFiles = new InMemoryLetterFiles();
  building = { ports, config: testConfig(options) };
  forgetBuiltValues();
  const built = {
    codeHasher: await services.codeHasher(),
    sessions: services.sessionIssuer(),
    guard: services.sessionGuard(),
    verifier: services.tokenVerifier(),
    termsOfUse: services.termsOfUse(),
    locks: services.nirLocks(),
    letterQueue: services.letterQueue(),
    forgottenCodeWork: services.forgottenCodeWork(),
    devices: services.trustedDevices(),
    passkeys: await passkeyService(),
    deviceVerification: await services.deviceVerification(),
    login: await services.login(),
    codeChange: await services.codeChange(),
    forgottenCode: await services.forgottenCode(),
    codeReset: await services.codeReset(),
    letterExport: await services.letterExport(letterFiles),
    mail: services.memberMail(),
  };
  building = undefined;
  const { clock, members, jobs } = ports;
  const { codeHasher, mail, forgottenCodeWork } = built;
  const nirHasher = KEYS.nirLookup;

  const world = {
    ...ports,
    letterFiles,
    ...built,

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
