import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AWS_CLIENT_LIMITS } from '../adapters/client-limits.ts';
import { AwsSigningKeyStore } from '../adapters/keys/aws-signing-keys.ts';
import { LocalSigningKeyFiles } from '../adapters/keys/local-signing-keys.ts';
import { AccessTokens } from '../domain/access-tokens.ts';
import { systemClock } from '../domain/ports.ts';
import { type SigningKeyStore, signingKeyOf } from '../domain/signing-keys.ts';
import { config } from './config.ts';
import { once } from './once.ts';
import { refreshing } from './refreshing.ts';
import { SIGNING_KEYS_MAX_AGE_MS } from './token-verifier.ts';

/** The signing secret and its public keys: key files locally, Secrets Manager and an SSM parameter on AWS. */
export const signingKeyStore = /* @__PURE__ */ once((): SigningKeyStore => {
  const keys = config().keys;
  if (keys.source === 'local') return new LocalSigningKeyFiles(keys.dir);
  const region = config().region;
  return new AwsSigningKeyStore(
    {
      secrets: once(() => new SecretsManagerClient({ region, ...AWS_CLIENT_LIMITS })),
      ssm: once(() => new SSMClient({ region, ...AWS_CLIENT_LIMITS })),
    },
    keys.signingSecretId,
    keys.publicKeysParameter ?? '',
  );
});

/**
 * Access tokens. Each half of the key is read only by the functions that use it — the private key
 * by those that sign, the public keys by those that verify — on first use, and again every 5 minutes.
 */
export const accessTokens = /* @__PURE__ */ once(
  () =>
    new AccessTokens(
      {
        signingKey: refreshing(async () => signingKeyOf(await signingKeyStore().readSecret()), SIGNING_KEYS_MAX_AGE_MS),
        publicKeys: refreshing(() => signingKeyStore().readPublicKeys(), SIGNING_KEYS_MAX_AGE_MS),
      },
      config().tokens,
      systemClock,
    ),
);
