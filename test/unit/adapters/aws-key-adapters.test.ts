import { generateKeyPairSync } from 'node:crypto';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import type { JWK } from 'jose';
import { AwsSigningKeyStore } from '../../../lambdas/adapters/keys/aws-signing-keys.ts';
import { KmsHmacKey } from '../../../lambdas/adapters/keys/kms-hmac-key.ts';
import { AccessTokens } from '../../../lambdas/domain/access-tokens.ts';
import { rotateSigningKey, signingKeyOf } from '../../../lambdas/domain/signing-keys.ts';

// KMS and Secrets Manager have no local engine: their adapters are checked against mocked clients.
const kms = mockClient(KMSClient);
const secrets = mockClient(SecretsManagerClient);
const ssm = mockClient(SSMClient);
afterEach(() => {
  kms.reset();
  secrets.reset();
  ssm.reset();
});

describe('KmsHmacKey', () => {
  it('asks KMS for an HMAC-SHA-256 of the message with the configured key, and returns the MAC', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array([1, 2, 3]) });
    const mac = await new KmsHmacKey(new KMSClient({ region: 'eu-west-3' }), 'arn:aws:kms:eu-west-3:1:key/nir').digest(
      'nir:295109912611193',
    );
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

describe('signing keys: the secret in Secrets Manager, the public keys in SSM', () => {
  const jwk = (): JWK => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK;
  const store = () =>
    new AwsSigningKeyStore(
      {
        secrets: () => new SecretsManagerClient({ region: 'eu-west-3' }),
        ssm: () => new SSMClient({ region: 'eu-west-3' }),
      },
      'arn:secret',
      '/jwks',
    );

  it('signs with the current key; verifiers read the public keys from the parameter, never the secret', async () => {
    const current = { ...jwk(), kid: 'k2' };
    const { d: _d, ...previousPublic } = { ...jwk(), kid: 'k1' };
    const { d: _d2, ...currentPublic } = current;
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ current, previous: [previousPublic] }) });
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: JSON.stringify({ keys: [currentPublic, previousPublic] }) } });
    const keys = store();
    const signer = new AccessTokens(
      { signingKey: async () => signingKeyOf(await keys.readSecret()), publicKeys: () => keys.readPublicKeys() },
      { issuer: 'https://i', audience: 'a' },
      { now: () => Date.now() },
    );
    const { accessToken } = await signer.issue('m', 's');
    secrets.reset();
    const verifier = new AccessTokens(
      { signingKey: () => Promise.reject(new Error('no private key here')), publicKeys: () => keys.readPublicKeys() },
      { issuer: 'https://i', audience: 'a' },
      { now: () => Date.now() },
    );
    expect((await verifier.verify(accessToken)).sub).toBe('m');
    expect((await verifier.jwks()).keys.map((k) => k.kid)).toEqual(['k2', 'k1']);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(ssm.commandCalls(GetParameterCommand)[0]!.args[0].input).toEqual({ Name: '/jwks' });
  });

  it('rotates: the parameter is written before the secret, and nothing private goes to the parameter', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ current: { ...jwk(), kid: 'k1' }, previous: [] }) });
    const rotation = await rotateSigningKey(store());
    const parameter = JSON.parse(ssm.commandCalls(PutParameterCommand)[0]!.args[0].input.Value!) as { keys: JWK[] };
    expect(parameter.keys.map((k) => k.kid)).toEqual([rotation.kid, 'k1']);
    expect(JSON.stringify(parameter)).not.toMatch(/"d":/);
    const secret = JSON.parse(secrets.commandCalls(PutSecretValueCommand)[0]!.args[0].input.SecretString!) as {
      current: JWK;
      previous: JWK[];
    };
    expect(secret.current.kid).toBe(rotation.kid);
    expect(secret.previous.map((k) => k.kid)).toEqual(['k1']);
  });

  it('the documented first step works on a new stage: rotate-signing-key replaces the placeholder the stack created (or the bare random string of older stacks) with a first key', async () => {
    for (const placeholder of ['{"previous":[],"placeholder":"Zq8xT0aVb3"}', 'k#8Zq"x!T0aVb3;random']) {
      secrets.reset();
      ssm.reset();
      secrets.on(GetSecretValueCommand).resolves({ SecretString: placeholder });
      await expect(store().readSecret()).rejects.toThrow('run `npm run -s ops -- rotate-signing-key` once');
      const rotation = await rotateSigningKey(store());
      const parameter = JSON.parse(ssm.commandCalls(PutParameterCommand)[0]!.args[0].input.Value!) as { keys: JWK[] };
      expect(parameter.keys.map((k) => k.kid)).toEqual([rotation.kid]);
      const secret = JSON.parse(secrets.commandCalls(PutSecretValueCommand)[0]!.args[0].input.SecretString!) as {
        current: JWK;
        previous: JWK[];
      };
      expect({ kid: secret.current.kid, previous: secret.previous }).toEqual({ kid: rotation.kid, previous: [] });
    }
  });
});
