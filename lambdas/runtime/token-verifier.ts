import { KMSClient } from '@aws-sdk/client-kms';
import type { JWK } from 'jose';
import { AWS_CLIENT_LIMITS } from '../adapters/client-limits.ts';
import { KmsTokenSigningKeys } from '../adapters/keys/kms-token-signing.ts';
import { LocalSigningKeyFiles } from '../adapters/keys/local-signing-keys.ts';
import { TokenVerifier } from '../domain/access-tokens.ts';
import { systemClock } from '../domain/ports.ts';
import { type SigningKey, signingKeyOf } from '../domain/signing-keys.ts';
import { config } from './config.ts';
import { once } from './once.ts';
import { refreshing } from './refreshing.ts';

/** A rotation (`npm run ops -- rotate-signing-key`) reaches every function within this time, without a redeploy. */
export const SIGNING_KEYS_MAX_AGE_MS = 5 * 60_000;

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
    const kms = once(() => new KMSClient({ region: config().region, ...AWS_CLIENT_LIMITS }));
    return new KmsTokenSigningKeys(kms, keys.tokenSigningKeyAliases);
  },
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
      systemClock,
    ),
);
