import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { calculateJwkThumbprint, importJWK, type CryptoKey, type JWK } from 'jose';
import type { SigningKeys } from '../../domain/access-tokens.ts';

/**
 * The JWT signing key in Secrets Manager, as `{"current": <private EC JWK>, "previous": [<public JWK>...]}`.
 * After a rotation the previous public keys stay published in the JWKS until their tokens expire.
 */
export async function loadSigningKeysFromSecret(client: SecretsManagerClient, secretId: string): Promise<SigningKeys> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!SecretString) throw new Error('signing key secret is empty');
  const secret = JSON.parse(SecretString) as { current: JWK; previous?: JWK[] };
  const { d: _d, ...currentPublic } = secret.current;
  const kid = secret.current.kid ?? (await calculateJwkThumbprint(currentPublic));
  const previous = (secret.previous ?? []).map(({ d: _p, ...publicJwk }) => publicJwk);
  return {
    current: { kid, privateKey: (await importJWK(secret.current, 'ES256')) as CryptoKey },
    publicJwks: [{ ...currentPublic, kid }, ...previous],
  };
}
