import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { JWT_SIGNING_KEY_FILE, loadLocalSigningKeys } from '../adapters/keys/local-key-files.ts';
import { loadSigningKeysFromSecret } from '../adapters/keys/secrets-manager-signing-keys.ts';
import { AccessTokens } from '../domain/access-tokens.ts';
import { systemClock } from '../domain/ports.ts';
import { config } from './config.ts';
import { once } from './once.ts';

/** The signing keys, loaded once per cold start: a local key file, or the Secrets Manager secret on AWS. */
export const accessTokens = /* @__PURE__ */ once(async () => {
  const keys = config().keys;
  const signingKeys =
    keys.source === 'local'
      ? await loadLocalSigningKeys(join(keys.dir, JWT_SIGNING_KEY_FILE))
      : await loadSigningKeysFromSecret(new SecretsManagerClient({ region: config().region }), keys.signingSecretId);
  return new AccessTokens(signingKeys, config().tokens, systemClock);
});
