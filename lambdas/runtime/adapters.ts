import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { JWK } from 'jose';
import { AWS_CLIENT_LIMITS } from '../adapters/client-limits.ts';
import { LambdaJobs } from '../adapters/dispatch/lambda-jobs.ts';
import { DynamoAccessEndSchedule } from '../adapters/dynamo/access-end-schedule.ts';
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
import { DynamoWebAuthnChallengeStore } from '../adapters/dynamo/webauthn-challenge-store.ts';
import { KmsHmacKey } from '../adapters/keys/kms-hmac-key.ts';
import { KmsTokenSigningKeys } from '../adapters/keys/kms-token-signing.ts';
import {
  CODE_PEPPER_KEY_FILE,
  LETTER_CODE_KEY_FILE,
  LocalHmacKey,
  NIR_LOOKUP_KEY_FILE,
  PASSKEY_CHALLENGE_KEY_FILE,
  REFRESH_TOKEN_KEY_FILE,
} from '../adapters/keys/local-key-files.ts';
import { LocalSigningKeyFiles } from '../adapters/keys/local-signing-keys.ts';
import { sesClient } from '../adapters/mail/ses-client.ts';
import { SesMailer } from '../adapters/mail/ses-mailer.ts';
import { AuditedEvents } from '../domain/audit.ts';
import type { BackgroundJobs } from '../domain/background-jobs.ts';
import { type Clock, type KeyedHasher, systemClock } from '../domain/ports.ts';
import { type SigningKey, signingKeyOf } from '../domain/signing-keys.ts';
import { type Config, config } from './config.ts';
import { logSecurityEvent } from './logger.ts';
import { once } from './once.ts';

/**
 * The ports of this deployment — DynamoDB, KMS (or local key files), SES, Lambda — chosen from the
 * configuration, each built on first use and kept for the execution environment. The service graph
 * (`services.ts`) is wired over these; the unit tests wire the same graph over in-memory ports that
 * stand in for this module (`test/support/domain-world.ts`), so every export here has a fake there.
 */

export const clock = (): Clock => systemClock;

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
export const nirLookupHasher = /* @__PURE__ */ keyedHash(
  NIR_LOOKUP_KEY_FILE,
  (keys) => keys.nirLookupKeyId,
  'NIR_LOOKUP_KMS_KEY_ID',
);
export const codePepper = /* @__PURE__ */ keyedHash(
  CODE_PEPPER_KEY_FILE,
  (keys) => keys.codePepperKeyId,
  'CODE_PEPPER_KMS_KEY_ID',
);
export const refreshTokenKey = /* @__PURE__ */ keyedHash(
  REFRESH_TOKEN_KEY_FILE,
  (keys) => keys.refreshTokenKeyId,
  'REFRESH_TOKEN_KMS_KEY_ID',
);
export const letterCodeKey = /* @__PURE__ */ keyedHash(
  LETTER_CODE_KEY_FILE,
  (keys) => keys.letterCodeKeyId,
  'LETTER_CODE_KMS_KEY_ID',
);
export const passkeyChallengeKey = /* @__PURE__ */ keyedHash(
  PASSKEY_CHALLENGE_KEY_FILE,
  (keys) => keys.passkeyChallengeKeyId,
  'PASSKEY_CHALLENGE_KMS_KEY_ID',
);

/**
 * The token signing keys: a key file locally; in AWS, KMS keys whose private halves never leave KMS
 * (signing needs kms:Sign, which only the issuing functions' roles hold; reading the public halves,
 * kms:GetPublicKey, every function may).
 */
export const tokenKeys = /* @__PURE__ */ once(
  (): { signingKey(): Promise<SigningKey>; publicKeys(): Promise<JWK[]> } => {
    const keys = config().keys;
    if (keys.source === 'local') {
      const files = new LocalSigningKeyFiles(keys.dir);
      return {
        signingKey: async () => signingKeyOf(await files.readSecret()),
        publicKeys: () => files.readPublicKeys(),
      };
    }
    return new KmsTokenSigningKeys(kms, keys.tokenSigningKeyAliases);
  },
);

export const members = /* @__PURE__ */ once(() => new DynamoMemberRepository(table()));
export const termsStore = /* @__PURE__ */ once(() => new DynamoTermsStore(table()));
export const attemptStore = /* @__PURE__ */ once(() => new DynamoAttemptStore(table()));
export const sessionStore = /* @__PURE__ */ once(() => new DynamoSessionStore(table(), config().auditRetentionDays));
export const challengeStore = /* @__PURE__ */ once(() => new DynamoChallengeStore(table()));
export const deviceChallengeStore = /* @__PURE__ */ once(() => new DynamoDeviceChallengeStore(table()));
export const trustedDeviceStore = /* @__PURE__ */ once(() => new DynamoTrustedDeviceStore(table()));
export const resetLinkStore = /* @__PURE__ */ once(() => new DynamoResetLinkStore(table()));
export const letterStore = /* @__PURE__ */ once(() => new DynamoLetterStore(table()));
export const passkeyStore = /* @__PURE__ */ once(() => new DynamoPasskeyStore(table()));
export const webAuthnChallengeStore = /* @__PURE__ */ once(() => new DynamoWebAuthnChallengeStore(table()));
/** The ends of access to record on their day (the membership feed's end dates). */
export const accessEndSchedule = /* @__PURE__ */ once(() => new DynamoAccessEndSchedule(table()));
export const accessStore = /* @__PURE__ */ once(() => new DynamoAccessStore(table(), config().auditRetentionDays.keep));

export const mailer = /* @__PURE__ */ once(
  () =>
    new SesMailer(sesClient(config().region, config().sesEndpoint), config().mail.from, config().mail.configurationSet),
);

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
