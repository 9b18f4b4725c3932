import { KMSClient } from '@aws-sdk/client-kms';
import { AWS_CLIENT_LIMITS } from '../adapters/client-limits.ts';
import { KmsTokenSigningKeys } from '../adapters/keys/kms-token-signing.ts';
import { LocalSigningKeyFiles } from '../adapters/keys/local-signing-keys.ts';
import { AccessTokens } from '../domain/access-tokens.ts';
import { systemClock } from '../domain/ports.ts';
import { signingKeyOf } from '../domain/signing-keys.ts';
import { config } from './config.ts';
import { once } from './once.ts';
import { refreshing } from './refreshing.ts';
import { SIGNING_KEYS_MAX_AGE_MS } from './token-verifier.ts';

/** The token signing key: a key file locally, a KMS key (that signs, never leaves KMS) in AWS. */
export const signingKeys = /* @__PURE__ */ once(() => {
  const keys = config().keys;
  if (keys.source === 'local') {
    const files = new LocalSigningKeyFiles(keys.dir);
    return {
      signingKey: async () => signingKeyOf(await files.readSecret()),
      publicKeys: () => files.readPublicKeys(),
    };
  }
  const kms = once(() => new KMSClient({ region: config().region, ...AWS_CLIENT_LIMITS }));
  return new KmsTokenSigningKeys(kms, keys.tokenSigningKeyAliases);
});

/**
 * Access tokens for the functions that issue them. The key is looked up on first use and again
 * every 5 minutes, so that a rotation reaches every function without a redeploy.
 */
export const accessTokens = /* @__PURE__ */ once(
  () =>
    new AccessTokens(
      {
        signingKey: refreshing(() => signingKeys().signingKey(), SIGNING_KEYS_MAX_AGE_MS),
        publicKeys: refreshing(() => signingKeys().publicKeys(), SIGNING_KEYS_MAX_AGE_MS),
      },
      config().tokens,
      systemClock,
    ),
);
