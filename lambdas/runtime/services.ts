import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { AWS_CLIENT_LIMITS } from '../adapters/client-limits.ts';
import { LambdaJobs } from '../adapters/dispatch/lambda-jobs.ts';
import { DynamoAccessStore } from '../adapters/dynamo/access-store.ts';
import { DynamoAttemptStore } from '../adapters/dynamo/attempt-store.ts';
import { DynamoAuditTrail } from '../adapters/dynamo/audit-trail.ts';
import { DynamoChallengeStore } from '../adapters/dynamo/challenge-store.ts';
import { DynamoDeviceChallengeStore } from '../adapters/dynamo/device-challenge-store.ts';
import { DynamoTrustedDeviceStore } from '../adapters/dynamo/device-store.ts';
import { DynamoLetterStore } from '../adapters/dynamo/letter-store.ts';
import { DynamoMemberRepository } from '../adapters/dynamo/member-repository.ts';
import { DynamoPasskeyStore } from '../adapters/dynamo/passkey-store.ts';
import { DynamoResetLinkStore } from '../adapters/dynamo/reset-link-store.ts';
import { DynamoSessionStore } from '../adapters/dynamo/session-store.ts';
import { documentClient, type Table } from '../adapters/dynamo/table.ts';
import { DynamoTermsStore } from '../adapters/dynamo/terms-store.ts';
import { KmsHmacKey } from '../adapters/keys/kms-hmac-key.ts';
import {
  CODE_PEPPER_KEY_FILE,
  LETTER_CODE_KEY_FILE,
  LocalHmacKey,
  NIR_LOOKUP_KEY_FILE,
  PASSKEY_CHALLENGE_KEY_FILE,
  REFRESH_TOKEN_KEY_FILE,
} from '../adapters/keys/local-key-files.ts';
import { sesClient } from '../adapters/mail/ses-client.ts';
import { SesMailer } from '../adapters/mail/ses-mailer.ts';
import { AuditedEvents } from '../domain/audit.ts';
import type { BackgroundJob, BackgroundJobs } from '../domain/background-jobs.ts';
import { CodeChange } from '../domain/code-change.ts';
import { CodeHasher } from '../domain/code-hashing.ts';
import { CredentialCheck } from '../domain/credential-check.ts';
import { DeviceVerification } from '../domain/device-verification.ts';
import { CodeReset, ForgottenCode, ForgottenCodeWork } from '../domain/forgotten-code.ts';
import { LetterExport, type LetterFiles, LetterQueue } from '../domain/letters.ts';
import { NirLocks, sendLockNotice } from '../domain/lock-recovery.ts';
import { Login } from '../domain/login.ts';
import { MemberAccess } from '../domain/member-access.ts';
import { MemberMail } from '../domain/member-mail.ts';
import { PasskeyRemoval } from '../domain/passkey-removal.ts';
import { type KeyedHasher, systemClock } from '../domain/ports.ts';
import { SessionGuard, SessionIssuer } from '../domain/sessions.ts';
import { SignInSteps } from '../domain/sign-in-steps.ts';
import { TermsOfUse } from '../domain/terms.ts';
import { TrustedDevices } from '../domain/trusted-devices.ts';
import { tokenSigner } from './access-tokens.ts';
import { type Config, config } from './config.ts';
import { logSecurityEvent } from './logger.ts';
import { once } from './once.ts';
import { tokenVerifier } from './token-verifier.ts';

/**
 * The composition root: adapters chosen from configuration, built once per cold start and only
 * when a handler asks for them (each handler's bundle keeps only what it uses).
 */
export { config };

export const table = /* @__PURE__ */ once(
  (): Table => ({
    name: config().tableName,
    client: documentClient({ region: config().region, endpoint: config().dynamodbEndpoint }),
  }),
);
/** Logged, and kept in the audit trail of the NIR concerned. */
export const auditTrail = /* @__PURE__ */ once(() => new DynamoAuditTrail(table(), config().auditRetentionDays));
export const events = /* @__PURE__ */ once(() => new AuditedEvents(auditTrail(), logSecurityEvent, systemClock));

/** Like the table's client: bounded waits, so that a KMS that stops answering is a 503, not a hung function. */
const kms = /* @__PURE__ */ once(() => new KMSClient({ region: config().region, ...AWS_CLIENT_LIMITS }));

type AwsKeys = Extract<Config['keys'], { source: 'aws' }>;

/** An HMAC key held outside the database: a local key file, or a KMS HMAC key on AWS. */
function keyedHash(localFile: string, kmsKeyId: (keys: AwsKeys) => string | undefined, variable: string) {
  return once(async (): Promise<KeyedHasher> => {
    const keys = config().keys;
    if (keys.source === 'local') return LocalHmacKey.fromFile(join(keys.dir, localFile));
    const keyId = kmsKeyId(keys);
    if (!keyId) throw new Error(`Invalid configuration: ${variable} is required by this function`);
    return new KmsHmacKey(kms(), keyId);
  });
}
const nirHasher = /* @__PURE__ */ keyedHash(
  NIR_LOOKUP_KEY_FILE,
  (keys) => keys.nirLookupKeyId,
  'NIR_LOOKUP_KMS_KEY_ID',
);
const codePepper = /* @__PURE__ */ keyedHash(
  CODE_PEPPER_KEY_FILE,
  (keys) => keys.codePepperKeyId,
  'CODE_PEPPER_KMS_KEY_ID',
);
const refreshTokenKey = /* @__PURE__ */ keyedHash(
  REFRESH_TOKEN_KEY_FILE,
  (keys) => keys.refreshTokenKeyId,
  'REFRESH_TOKEN_KMS_KEY_ID',
);
const letterCodeKey = /* @__PURE__ */ keyedHash(
  LETTER_CODE_KEY_FILE,
  (keys) => keys.letterCodeKeyId,
  'LETTER_CODE_KMS_KEY_ID',
);
export const passkeyChallengeKey = /* @__PURE__ */ keyedHash(
  PASSKEY_CHALLENGE_KEY_FILE,
  (keys) => keys.passkeyChallengeKeyId,
  'PASSKEY_CHALLENGE_KMS_KEY_ID',
);

export const members = /* @__PURE__ */ once(() => new DynamoMemberRepository(table()));
export const termsStore = /* @__PURE__ */ once(() => new DynamoTermsStore(table()));
export const codeHasher = /* @__PURE__ */ once(async () => new CodeHasher(await codePepper(), config().argon2));
export const attemptStore = /* @__PURE__ */ once(() => new DynamoAttemptStore(table()));
export { nirHasher as nirLookupHasher };

const sessionStore = /* @__PURE__ */ once(() => new DynamoSessionStore(table(), config().auditRetentionDays));

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
      clock: systemClock,
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
      clock: systemClock,
      events: events(),
    }),
);

export const termsOfUse = /* @__PURE__ */ once(
  async () =>
    new TermsOfUse({
      terms: termsStore(),
      challenges: new DynamoChallengeStore(table()),
      members: members(),
      sessions: sessionIssuer(),
      clock: systemClock,
      events: events(),
    }),
);

const mailer = /* @__PURE__ */ once(
  () =>
    new SesMailer(sesClient(config().region, config().sesEndpoint), config().mail.from, config().mail.configurationSet),
);

export const memberMail = /* @__PURE__ */ once(
  () => new MemberMail(mailer(), events(), { portalUrl: config().portalBaseUrl }),
);

const resetLinks = /* @__PURE__ */ once(() => new DynamoResetLinkStore(table()));
const letterStore = /* @__PURE__ */ once(() => new DynamoLetterStore(table()));

export const letterQueue = /* @__PURE__ */ once(
  () => new LetterQueue({ letters: letterStore(), clock: systemClock, events: events() }),
);

/** The work of a background job: a forgotten-code request's branch, or a lock's notice. */
export async function runBackgroundJob(job: BackgroundJob): Promise<void> {
  if (job.kind === 'FORGOT') return (await forgottenCodeWork()).process(job);
  return sendLockNotice(job, { members: members(), mail: memberMail() });
}

/**
 * Jobs go to the account worker function, invoked asynchronously — on the local stack too, where
 * `LAMBDA_ENDPOINT` is its stand-in (`lambdas/local/async-invocations.ts`): the same adapter everywhere.
 */
export const backgroundJobs = /* @__PURE__ */ once((): BackgroundJobs => {
  const { accountWorker, lambdaEndpoint, region } = config();
  if (!accountWorker) throw new Error('Invalid configuration: ACCOUNT_WORKER_FUNCTION: required by this function');
  return new LambdaJobs(
    // Like the table's client: a Lambda service that stops answering is a 503, not a hung function.
    new LambdaClient({ region, endpoint: lambdaEndpoint, ...AWS_CLIENT_LIMITS }),
    accountWorker,
  );
});

const credentialCheck = /* @__PURE__ */ once(
  async () =>
    new CredentialCheck({
      attempts: attemptStore(),
      nirHasher: await nirHasher(),
      codeHasher: await codeHasher(),
      policy: config().credentials,
      clock: systemClock,
      events: events(),
      jobs: backgroundJobs(),
      devices: trustedDevices(),
    }),
);

export const trustedDevices = /* @__PURE__ */ once(
  () =>
    new TrustedDevices({
      devices: new DynamoTrustedDeviceStore(table()),
      mail: memberMail(),
      clock: systemClock,
      events: events(),
    }),
);

export const signInSteps = /* @__PURE__ */ once(
  async () =>
    new SignInSteps({
      termsStore: termsStore(),
      termsOfUse: await termsOfUse(),
      sessions: sessionIssuer(),
      events: events(),
    }),
);

export const deviceVerification = /* @__PURE__ */ once(
  async () =>
    new DeviceVerification({
      challenges: new DynamoDeviceChallengeStore(table()),
      attempts: attemptStore(),
      members: members(),
      codeKey: await codePepper(),
      mail: memberMail(),
      devices: trustedDevices(),
      steps: await signInSteps(),
      clock: systemClock,
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
      steps: await signInSteps(),
      devices: trustedDevices(),
      deviceVerification: config().newDeviceVerification ? await deviceVerification() : undefined,
      events: events(),
    }),
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
      clock: systemClock,
      events: events(),
    }),
);

export const forgottenCode = /* @__PURE__ */ once(
  async () =>
    new ForgottenCode({
      nirHasher: await nirHasher(),
      jobs: backgroundJobs(),
      attempts: attemptStore(),
      perIp: config().forgotPerIp,
      clock: systemClock,
      events: events(),
    }),
);

const forgottenCodeWork = /* @__PURE__ */ once(
  () =>
    new ForgottenCodeWork({
      members: members(),
      resetLinks: resetLinks(),
      letters: letterQueue(),
      mail: memberMail(),
      clock: systemClock,
      events: events(),
      portalBaseUrl: config().portalBaseUrl,
    }),
);

export const nirLocks = /* @__PURE__ */ once(() => new NirLocks(attemptStore(), systemClock, events()));

export const passkeyRemoval = /* @__PURE__ */ once(() => new PasskeyRemoval(new DynamoPasskeyStore(table()), events()));

export const codeReset = /* @__PURE__ */ once(
  async () =>
    new CodeReset({
      members: members(),
      resetLinks: resetLinks(),
      nirHasher: await nirHasher(),
      codeHasher: await codeHasher(),
      locks: nirLocks(),
      passkeys: passkeyRemoval(),
      mail: memberMail(),
      devices: trustedDevices(),
      clock: systemClock,
      events: events(),
    }),
);

/** The letter batch, writing to `files` (a folder for the CLI, the bucket for the scheduled function). */
export async function letterExport(files: LetterFiles): Promise<LetterExport> {
  return new LetterExport({
    letters: letterStore(),
    files,
    members: members(),
    codeHasher: await codeHasher(),
    codeDeriver: await letterCodeKey(),
    clock: systemClock,
    events: events(),
  });
}

export const accessStore = /* @__PURE__ */ once(() => new DynamoAccessStore(table(), config().auditRetentionDays.keep));
export const memberAccess = /* @__PURE__ */ once(() => new MemberAccess(accessStore(), systemClock));
export { letterStore };
