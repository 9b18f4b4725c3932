import { SSMClient } from '@aws-sdk/client-ssm';
import type { JWK } from 'jose';
import { AWS_CLIENT_LIMITS } from '../adapters/client-limits.ts';
import { AwsPublicKeys } from '../adapters/keys/aws-public-keys.ts';
import { LocalSigningKeyFiles } from '../adapters/keys/local-signing-keys.ts';
import { AccessTokens } from '../domain/access-tokens.ts';
import { systemClock } from '../domain/ports.ts';
import { config } from './config.ts';
import { once } from './once.ts';
import { refreshing } from './refreshing.ts';

/** A rotation (`npm run ops -- rotate-signing-key`) reaches every function within this time, without a redeploy. */
export const SIGNING_KEYS_MAX_AGE_MS = 5 * 60_000;

/** The public keys alone: the local key file, or the SSM parameter on AWS. */
function publicKeyReader(): () => Promise<JWK[]> {
  const keys = config().keys;
  const store =
    keys.source === 'local'
      ? new LocalSigningKeyFiles(keys.dir)
      : new AwsPublicKeys(
          once(() => new SSMClient({ region: config().region, ...AWS_CLIENT_LIMITS })),
          keys.publicKeysParameter ?? '',
        );
  return () => store.readPublicKeys();
}

/**
 * Access tokens for the functions that only verify them (`/v1/me…`, logout) or publish the public
 * keys (`/.well-known/jwks.json`): built without the
 * signing key's store, so their bundles carry no Secrets Manager client; `issue` is refused.
 */
export const verifyingTokens = /* @__PURE__ */ once(
  () =>
    new AccessTokens(
      {
        signingKey: () => Promise.reject(new Error('this function verifies access tokens, it does not issue them')),
        publicKeys: refreshing(publicKeyReader(), SIGNING_KEYS_MAX_AGE_MS),
      },
      config().tokens,
      systemClock,
    ),
);
