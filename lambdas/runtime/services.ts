import { type AccessEndsReport, runAccessEnds } from '../domain/access-ends-run.ts';
import { TokenSigner, TokenVerifier } from '../domain/access-tokens.ts';
import type { BackgroundJob } from '../domain/background-jobs.ts';
import type { ClientImportDependencies } from '../domain/client-import.ts';
import { CodeChange } from '../domain/code-change.ts';
import { CodeHasher } from '../domain/code-hashing.ts';
import { CredentialCheck } from '../domain/credential-check.ts';
import { DeviceVerification } from '../domain/device-verification.ts';
import { CodeReset, ForgottenCode, ForgottenCodeWork } from '../domain/forgotten-code.ts';
import { LetterExport, type LetterFiles, LetterQueue } from '../domain/letters.ts';
import { NirLocks, sendLockNotice } from '../domain/lock-recovery.ts';
import { Login } from '../domain/login.ts';
import { MemberAccess, type OperatorContext } from '../domain/member-access.ts';
import type { MemberImportDependencies } from '../domain/member-import.ts';
import { MemberMail } from '../domain/member-mail.ts';
import { PasskeyRemoval } from '../domain/passkey-removal.ts';
import { ResetLinkCheck } from '../domain/reset-link-check.ts';
import { SessionGuard, SessionIssuer } from '../domain/sessions.ts';
import { SignInSteps } from '../domain/sign-in-steps.ts';
import { SignedInCodeChange } from '../domain/signed-in-code-change.ts';
import { TermsOfUse } from '../domain/terms.ts';
import { TrustedDevices } from '../domain/trusted-devices.ts';
import {
  accessEndSchedule,
  accessStore,
  attemptStore,
  backgroundJobs,
  challengeStore,
  clock,
  codePepper,
  deviceChallengeStore,
  events,
  letterCodeKey,
  letterStore,
  mailer,
  members,
  nirLookupHasher,
  passkeyStore,
  refreshTokenKey,
  resetLinkStore,
  sessionStore,
  termsStore,
  tokenKeys,
  trustedDeviceStore,
} from './adapters.ts';
import { config } from './config.ts';
import { once } from './once.ts';
import { refreshing } from './refreshing.ts';

/**
 * The composition root: one factory per service, wired once over the ports of `adapters.ts` and the
 * configuration, built on first use and only when a handler asks for it (each handler's bundle keeps
 * only what it uses). The unit tests run this very graph over in-memory ports.
 */
export {
  accessStore,
  attemptStore,
  auditTrail,
  letterStore,
  members,
  nirLookupHasher,
  table,
  termsStore,
} from './adapters.ts';
export { config };

/** A rotation (`npm run ops -- rotate-signing-key`) reaches every function within this time, without a redeploy. */
const SIGNING_KEYS_MAX_AGE_MS = 5 * 60_000;

/**
 * The signer of the functions that issue access tokens. The key is looked up on first use and again
 * every 5 minutes, so that a rotation reaches every function without a redeploy.
 */
const tokenSigner = /* @__PURE__ */ once(
  () =>
    new TokenSigner(
      refreshing(() => tokenKeys().signingKey(), SIGNING_KEYS_MAX_AGE_MS),
      config().tokens,
      clock(),
    ),
);

/**
 * The verifier every function may hold (`/v1/me…`, logout, the passkey routes, the JWKS): the public
 * keys only, re-read every 5 minutes (and on a token naming a key not known yet).
 */
export const tokenVerifier = /* @__PURE__ */ once(
  () =>
    new TokenVerifier(
      { publicKeys: refreshing(() => tokenKeys().publicKeys(), SIGNING_KEYS_MAX_AGE_MS) },
      config().tokens,
      clock(),
    ),
);

export const codeHasher = /* @__PURE__ */ once(async () => new CodeHasher(await codePepper(), config().argon2));

/** Opens and refreshes sessions: the signer, and the refresh-token key (asked for only by a refresh). */
export const sessionIssuer = /* @__PURE__ */ once(
  () =>
    new SessionIssuer({
      sessions: sessionStore(),
      members: members(),
      tokens: tokenSigner(),
      // Only a refresh derives a successor: the key is asked for then, so that the functions that
      // start sessions need not be given it (the stack names it to session-refresh alone).
      refreshKey: { digest: async (message) => (await refreshTokenKey()).digest(message) },
      clock: clock(),
      events: events(),
    }),
);

/**
 * Checks and ends sessions (`/v1/me…`, logout, the passkey routes, customer service): the verifier
 * only — no signing key, no refresh-token key, in the type as in the bundle.
 */
export const sessionGuard = /* @__PURE__ */ once(
  () =>
    new SessionGuard({
      sessions: sessionStore(),
      members: members(),
      tokens: tokenVerifier(),
      clock: clock(),
      events: events(),
    }),
);

export const termsOfUse = /* @__PURE__ */ once(
  () =>
    new TermsOfUse({
      terms: termsStore(),
      challenges: challengeStore(),
      members: members(),
      sessions: sessionIssuer(),
      clock: clock(),
      events: events(),
    }),
);

export const memberMail = /* @__PURE__ */ once(
  () => new MemberMail(mailer(), events(), { portalUrl: config().portalBaseUrl, support: config().support }),
);

export const letterQueue = /* @__PURE__ */ once(
  () => new LetterQueue({ letters: letterStore(), clock: clock(), events: events() }),
);

/** The work of a background job: a forgotten-code request's branch, or a lock's notice. */
export async function runBackgroundJob(job: BackgroundJob): Promise<void> {
  if (job.kind === 'FORGOT') return forgottenCodeWork().process(job);
  return sendLockNotice(job, { members: members(), mail: memberMail() });
}

export const trustedDevices = /* @__PURE__ */ once(
  () =>
    new TrustedDevices({
      devices: trustedDeviceStore(),
      mail: memberMail(),
      clock: clock(),
      events: events(),
    }),
);

const credentialCheck = /* @__PURE__ */ once(
  async () =>
    new CredentialCheck({
      attempts: attemptStore(),
      // Asked for when a NIR is hashed: the signed-in code change checks a member known by key, and
      // its function is not given the NIR lookup key.
      nirHasher: { digest: async (message) => (await nirLookupHasher()).digest(message) },
      codeHasher: await codeHasher(),
      policy: config().credentials,
      clock: clock(),
      events: events(),
      jobs: backgroundJobs(),
      devices: trustedDevices(),
    }),
);

export const signInSteps = /* @__PURE__ */ once(
  () =>
    new SignInSteps({
      termsStore: termsStore(),
      termsOfUse: termsOfUse(),
      sessions: sessionIssuer(),
      events: events(),
    }),
);

export const deviceVerification = /* @__PURE__ */ once(
  async () =>
    new DeviceVerification({
      challenges: deviceChallengeStore(),
      attempts: attemptStore(),
      members: members(),
      codeKey: await codePepper(),
      mail: memberMail(),
      devices: trustedDevices(),
      steps: signInSteps(),
      clock: clock(),
      events: events(),
    }),
);

export const login = /* @__PURE__ */ once(
  async () =>
    new Login({
      credentials: await credentialCheck(),
      members: members(),
      codeHasher: await codeHasher(),
      termsStore: termsStore(),
      steps: signInSteps(),
      devices: trustedDevices(),
      deviceVerification: config().newDeviceVerification ? await deviceVerification() : undefined,
      clock: clock(),
      events: events(),
    }),
);

export const nirLocks = /* @__PURE__ */ once(() => new NirLocks(attemptStore(), clock(), events()));

export const passkeyRemoval = /* @__PURE__ */ once(
  () => new PasskeyRemoval({ passkeys: passkeyStore(), members: members(), mail: memberMail(), events: events() }),
);

export const codeChange = /* @__PURE__ */ once(
  async () =>
    new CodeChange({
      credentials: await credentialCheck(),
      members: members(),
      codeHasher: await codeHasher(),
      mail: memberMail(),
      devices: trustedDevices(),
      locks: nirLocks(),
      passkeys: passkeyRemoval(),
      requireProvenDevice: config().newDeviceVerification,
      clock: clock(),
      events: events(),
    }),
);

/** "Changer mon mot de passe" in the member's space. */
export const signedInCodeChange = /* @__PURE__ */ once(
  async () =>
    new SignedInCodeChange({
      credentials: await credentialCheck(),
      members: members(),
      codeHasher: await codeHasher(),
      sessions: sessionGuard(),
      devices: trustedDevices(),
      mail: memberMail(),
      clock: clock(),
      events: events(),
    }),
);

export const forgottenCode = /* @__PURE__ */ once(
  async () =>
    new ForgottenCode({
      nirHasher: await nirLookupHasher(),
      jobs: backgroundJobs(),
      attempts: attemptStore(),
      perIp: config().forgotPerIp,
      clock: clock(),
      events: events(),
    }),
);

export const forgottenCodeWork = /* @__PURE__ */ once(
  () =>
    new ForgottenCodeWork({
      members: members(),
      resetLinks: resetLinkStore(),
      letters: letterQueue(),
      mail: memberMail(),
      clock: clock(),
      events: events(),
      portalBaseUrl: config().portalBaseUrl,
    }),
);

export const codeReset = /* @__PURE__ */ once(
  async () =>
    new CodeReset({
      members: members(),
      resetLinks: resetLinkStore(),
      nirHasher: await nirLookupHasher(),
      codeHasher: await codeHasher(),
      locks: nirLocks(),
      passkeys: passkeyRemoval(),
      mail: memberMail(),
      devices: trustedDevices(),
      clock: clock(),
      events: events(),
    }),
);

export const resetLinkCheck = /* @__PURE__ */ once(
  () => new ResetLinkCheck({ resetLinks: resetLinkStore(), members: members(), clock: clock() }),
);

/** The letter batch, writing to `files` (a folder for the CLI, the bucket for the scheduled function). */
export async function letterExport(files: LetterFiles): Promise<LetterExport> {
  return new LetterExport({
    letters: letterStore(),
    files,
    members: members(),
    codeHasher: await codeHasher(),
    codeDeriver: await letterCodeKey(),
    clock: clock(),
    events: events(),
  });
}

export const memberAccess = /* @__PURE__ */ once(() => new MemberAccess(accessStore(), clock()));

/** What a members file's rows are imported with (the CLI's import-members and the feed's workers). */
export async function memberImportDependencies(context: OperatorContext): Promise<MemberImportDependencies> {
  return {
    members: members(),
    nirHasher: await nirLookupHasher(),
    codeHasher: await codeHasher(),
    clock: clock(),
    initialCodeValidDays: config().initialCodeValidDays,
    clientAccess: { access: memberAccess(), context },
    endSchedule: accessEndSchedule(),
  };
}

/** What a clients file's rows are imported with (import-clients and the feed's workers). */
export const clientImportDependencies = (context: OperatorContext): ClientImportDependencies => ({
  access: memberAccess(),
  schedule: accessEndSchedule(),
  clock: clock(),
  context,
});

/** The scheduled run that records the ends of access due (hourly in AWS, `run-access-ends` for operators). */
export const accessEndsRun = (context: OperatorContext): Promise<AccessEndsReport> =>
  runAccessEnds(
    { schedule: accessEndSchedule(), members: members(), store: accessStore(), access: memberAccess(), clock: clock() },
    context,
  );
