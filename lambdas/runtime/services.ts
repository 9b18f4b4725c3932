import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoChallengeStore } from '../adapters/dynamo/challenge-store.ts';
import { DynamoAttemptStore } from '../adapters/dynamo/attempt-store.ts';
import { DynamoMemberRepository } from '../adapters/dynamo/member-repository.ts';
import { DynamoSessionStore } from '../adapters/dynamo/session-store.ts';
import { documentClient, type Table } from '../adapters/dynamo/table.ts';
import { DynamoTermsStore } from '../adapters/dynamo/terms-store.ts';
import { KmsHmacKey } from '../adapters/keys/kms-hmac-key.ts';
import { LOCAL_KEY_FILES, LocalHmacKey, loadLocalSigningKeys } from '../adapters/keys/local-key-files.ts';
import { loadSigningKeysFromSecret } from '../adapters/keys/secrets-manager-signing-keys.ts';
import { SesMailer } from '../adapters/mail/ses-mailer.ts';
import { AccessTokens } from '../domain/access-tokens.ts';
import { CodeChange } from '../domain/code-change.ts';
import { CodeChangedNotices } from '../domain/code-changed-notice.ts';
import { CodeHasher } from '../domain/code-hashing.ts';
import { CredentialCheck } from '../domain/credential-check.ts';
import { Login } from '../domain/login.ts';
import { systemClock, type KeyedHasher } from '../domain/ports.ts';
import { Sessions } from '../domain/sessions.ts';
import { TermsOfUse } from '../domain/terms.ts';
import { parseConfig, type Config } from './config.ts';
import { loggedSecurityEvents } from './logger.ts';

/**
 * The composition root: adapters chosen from configuration, built once per cold start and only
 * when a handler asks for them (each handler's bundle keeps only what it uses).
 */
function once<T>(build: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: build() }).v;
}

export const config: () => Config = once(() => parseConfig(process.env));

const table = once(
  (): Table => ({
    name: config().tableName,
    client: documentClient({ region: config().region, endpoint: config().dynamodbEndpoint }),
  }),
);
const kms = once(() => new KMSClient({ region: config().region }));

function keyedHasher(file: string, kmsKeyId: (c: Extract<Config['keys'], { source: 'aws' }>) => string) {
  return once(async (): Promise<KeyedHasher> => {
    const keys = config().keys;
    return keys.source === 'local'
      ? LocalHmacKey.fromFile(join(keys.dir, file))
      : new KmsHmacKey(kms(), kmsKeyId(keys));
  });
}
const nirHasher = keyedHasher(LOCAL_KEY_FILES.nirLookup, (k) => k.nirLookupKeyId);
const codePepper = keyedHasher(LOCAL_KEY_FILES.codePepper, (k) => k.codePepperKeyId);

export const members = once(() => new DynamoMemberRepository(table()));
export const termsStore = once(() => new DynamoTermsStore(table()));
export const codeHasher = once(async () => new CodeHasher(await codePepper(), config().argon2));
export const nirLookupHasher = nirHasher;

export const accessTokens = once(async () => {
  const keys = config().keys;
  const signingKeys =
    keys.source === 'local'
      ? await loadLocalSigningKeys(join(keys.dir, LOCAL_KEY_FILES.jwtSigning))
      : await loadSigningKeysFromSecret(new SecretsManagerClient({ region: config().region }), keys.signingSecretId);
  return new AccessTokens(signingKeys, config().tokens, systemClock);
});

export const sessions = once(
  async () =>
    new Sessions({
      sessions: new DynamoSessionStore(table()),
      members: members(),
      tokens: await accessTokens(),
      clock: systemClock,
      events: loggedSecurityEvents,
    }),
);

export const termsOfUse = once(
  async () =>
    new TermsOfUse({
      terms: termsStore(),
      challenges: new DynamoChallengeStore(table()),
      members: members(),
      sessions: await sessions(),
      clock: systemClock,
      events: loggedSecurityEvents,
    }),
);

const credentialCheck = once(
  async () =>
    new CredentialCheck({
      members: members(),
      attempts: new DynamoAttemptStore(table()),
      nirHasher: await nirHasher(),
      codeHasher: await codeHasher(),
      policy: config().credentials,
      clock: systemClock,
      events: loggedSecurityEvents,
    }),
);

export const login = once(
  async () =>
    new Login({
      credentials: await credentialCheck(),
      members: members(),
      codeHasher: await codeHasher(),
      termsStore: termsStore(),
      termsOfUse: await termsOfUse(),
      sessions: await sessions(),
      events: loggedSecurityEvents,
    }),
);

const mailer = once(
  () =>
    new SesMailer(
      new SESv2Client({ region: config().region, endpoint: config().sesEndpoint }),
      config().mail.from,
      config().mail.configurationSet,
    ),
);

export const codeChange = once(
  async () =>
    new CodeChange({
      credentials: await credentialCheck(),
      members: members(),
      codeHasher: await codeHasher(),
      notices: new CodeChangedNotices(mailer(), config().portalBaseUrl, loggedSecurityEvents),
      clock: systemClock,
      events: loggedSecurityEvents,
    }),
);
