import { GenerateMacCommand, KMSClient, PutKeyPolicyCommand, SignCommand } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { decodeProtectedHeader } from 'jose';
import { KmsHmacKey } from '../../../lambdas/adapters/keys/kms-hmac-key.ts';
import { putKeyPolicy } from '../../../lambdas/adapters/keys/kms-key-policies.ts';
import {
  KmsTokenSigningKeys,
  MIN_KEY_AGE_MS,
  RotationTooSoonError,
  rotateKmsSigningKey,
} from '../../../lambdas/adapters/keys/kms-token-signing.ts';
import { macKeyPolicy, tokenSigningAliases } from '../../../lambdas/contract/key-policy.ts';
import { accessTokens } from '../../support/access-tokens.ts';
import { kmsStandIn } from '../../support/kms-stand-in.ts';

// KMS has no local engine: its adapters are checked against mocked clients.
const kms = mockClient(KMSClient);
afterEach(() => {
  kms.reset();
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

describe('access tokens signed by a KMS key (ECC_NIST_P256) that never leaves KMS', () => {
  const aliases = tokenSigningAliases('prod');
  const SIGNERS = ['arn:aws:iam::123456789012:role/login-role', 'arn:aws:iam::123456789012:role/refresh-role'];
  const settings = { issuer: 'https://auth.mutuelle.example', audience: 'member-portal' };

  function stage(start = Date.UTC(2026, 11, 7, 8, 0, 0)) {
    let now = start;
    const kmsNow = kmsStandIn({ now: () => new Date(now) });
    const client = new KMSClient({ region: 'eu-west-3' });
    const keys = new KmsTokenSigningKeys(() => client, aliases);
    const tokens = accessTokens(
      { signingKey: () => keys.signingKey(), publicKeys: () => keys.publicKeys() },
      settings,
      { now: () => now },
    );
    const rotate = (force = false) =>
      rotateKmsSigningKey(client, aliases, { signerRoleArns: SIGNERS, description: 'test', now, force });
    return { kms: kmsNow, keys, tokens, rotate, later: (ms: number) => (now += ms) };
  }

  it('signs with KMS and verifies with the published public key: the DER signature KMS returns becomes the JWS’s r ‖ s', async () => {
    const s = stage();
    const first = await s.rotate();
    const { accessToken } = await s.tokens.issue('member', 'sid');
    expect(decodeProtectedHeader(accessToken)).toEqual({ alg: 'ES256', kid: first.kid, typ: 'at+jwt' });
    expect(Buffer.from(accessToken.split('.')[2]!, 'base64url')).toHaveLength(64);
    await expect(s.tokens.verify(accessToken)).resolves.toMatchObject({ sub: 'member', sid: 'sid' });
    const sign = s.kms.mock.commandCalls(SignCommand)[0]!.args[0].input;
    expect(sign).toMatchObject({ MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(sign.KeyId).toMatch(/^arn:aws:kms:/);
    s.kms.mock.restore();
  });

  it('before the first rotation no token is issued, and the error says what to run', async () => {
    const s = stage();
    await expect(s.tokens.issue('member', 'sid')).rejects.toThrow('rotate-signing-key');
    await expect(s.keys.publicKeys()).resolves.toEqual([]);
    s.kms.mock.restore();
  });

  it('only the token issuers’ roles may sign: the new key’s policy gives the account administration, not kms:Sign', async () => {
    const s = stage();
    const { keyId } = await s.rotate();
    const policy = JSON.parse(s.kms.keyPolicy(keyId)!) as {
      Statement: Array<{ Sid: string; Principal: { AWS: string | string[] }; Action: string[] }>;
    };
    const administration = policy.Statement.find((st) => st.Sid === 'KeyAdministration')!;
    expect(administration.Principal.AWS).toBe('arn:aws:iam::123456789012:root');
    expect(administration.Action).not.toContain('kms:Sign');
    expect(administration.Action.some((a) => a === 'kms:*' || a === 'kms:Sign*')).toBe(false);
    const sign = policy.Statement.find((st) => st.Action.includes('kms:Sign'))!;
    expect(sign.Principal.AWS).toEqual(SIGNERS);
    s.kms.mock.restore();
  });

  it('a rotation needs no redeploy: tokens of the previous key still verify, the new key signs, and the key two rotations back is retired', async () => {
    const s = stage();
    const first = await s.rotate();
    s.later(MIN_KEY_AGE_MS);
    // Signed by the first key just before it is replaced: still valid for 15 minutes.
    const before = (await s.tokens.issue('member', 'sid')).accessToken;
    const second = await s.rotate();
    const after = (await s.tokens.issue('member', 'sid')).accessToken;
    expect(decodeProtectedHeader(after).kid).toBe(second.kid);
    await expect(s.tokens.verify(before)).resolves.toMatchObject({ sub: 'member' });
    expect((await s.keys.publicKeys()).map((k) => k.kid)).toEqual([second.kid, first.kid]);
    expect(second.retired).toBeUndefined();
    s.later(MIN_KEY_AGE_MS);
    const third = await s.rotate();
    expect(third.retired).toBe(first.keyId);
    expect(s.kms.isScheduledForDeletion(first.keyId)).toBe(true);
    expect((await s.keys.publicKeys()).map((k) => k.kid)).toEqual([third.kid, second.kid]);
    s.kms.mock.restore();
  });

  it('a second rotation within 20 minutes is refused (it could unpublish a key whose tokens are still valid), unless forced', async () => {
    const s = stage();
    await s.rotate();
    s.later(MIN_KEY_AGE_MS - 60_000);
    await expect(s.rotate()).rejects.toThrow(RotationTooSoonError);
    await expect(s.rotate(true)).resolves.toMatchObject({ kid: expect.any(String) });
    s.kms.mock.restore();
  });
});

describe('putKeyPolicy (adopt-keys)', () => {
  it('replaces the key’s one policy ("default") with the document given', async () => {
    kms.on(PutKeyPolicyCommand).resolves({});
    const policy = macKeyPolicy('arn:aws:iam::123456789012:root', ['arn:aws:iam::123456789012:role/login']);
    await putKeyPolicy(new KMSClient({ region: 'eu-west-3' }), 'arn:aws:kms:eu-west-3:123456789012:key/k', policy);
    const input = kms.commandCalls(PutKeyPolicyCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ KeyId: 'arn:aws:kms:eu-west-3:123456789012:key/k', PolicyName: 'default' });
    expect(JSON.parse(input.Policy!)).toEqual(policy);
    const [administration, macs] = policy.Statement;
    expect(administration!.Action).not.toContain('kms:GenerateMac');
    expect(macs).toMatchObject({
      Principal: { AWS: ['arn:aws:iam::123456789012:role/login'] },
      Action: ['kms:GenerateMac'],
    });
  });
});
