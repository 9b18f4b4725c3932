import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { JWK } from 'jose';
import { KmsHmacKey } from '../../../lambdas/adapters/keys/kms-hmac-key.ts';
import { loadSigningKeysFromSecret } from '../../../lambdas/adapters/keys/secrets-manager-signing-keys.ts';
import { AccessTokens } from '../../../lambdas/domain/access-tokens.ts';

// KMS and Secrets Manager have no local engine: their adapters are checked against mocked clients.
const kms = mockClient(KMSClient);
const secrets = mockClient(SecretsManagerClient);
afterEach(() => {
  kms.reset();
  secrets.reset();
});

describe('KmsHmacKey', () => {
  it('asks KMS for an HMAC-SHA-256 of the message with the configured key, and returns the MAC', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array([1, 2, 3]) });
    const mac = await new KmsHmacKey(new KMSClient({ region: 'eu-west-3' }), 'arn:aws:kms:eu-west-3:1:key/nir').digest('nir:295109912611193');
    expect(mac).toEqual(Buffer.from([1, 2, 3]));
    const input = kms.commandCalls(GenerateMacCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ KeyId: 'arn:aws:kms:eu-west-3:1:key/nir', MacAlgorithm: 'HMAC_SHA_256' });
    expect(Buffer.from(input.Message!).toString()).toBe('nir:295109912611193');
  });

  it('fails loudly rather than hashing with nothing when KMS returns no MAC', async () => {
    kms.on(GenerateMacCommand).resolves({});
    await expect(new KmsHmacKey(new KMSClient({ region: 'eu-west-3' }), 'k').digest('x')).rejects.toThrow(/no MAC/);
  });
});

describe('signing keys from Secrets Manager', () => {
  const jwk = (): JWK => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK;

  it('signs with the current key and publishes current and previous public keys only', async () => {
    const current = { ...jwk(), kid: 'k2' };
    const { d: _d, ...previousPublic } = { ...jwk(), kid: 'k1' };
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ current, previous: [previousPublic] }) });
    const keys = await loadSigningKeysFromSecret(new SecretsManagerClient({ region: 'eu-west-3' }), 'arn:secret');
    expect(keys.current.kid).toBe('k2');
    expect(keys.publicJwks.map((k) => k.kid)).toEqual(['k2', 'k1']);
    expect(keys.publicJwks.every((k) => !('d' in k))).toBe(true);
    const tokens = new AccessTokens(keys, { issuer: 'https://i', audience: 'a' }, { now: () => Date.now() });
    const { accessToken } = await tokens.issue('m', 's');
    expect((await tokens.verify(accessToken)).sub).toBe('m');
  });
});
