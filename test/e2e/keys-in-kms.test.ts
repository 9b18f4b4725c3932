import { readFileSync } from 'node:fs';
import { GenerateMacCommand, GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import { type ApiOverKms, startApiOverKms } from '../support/api-over-kms.ts';
import { cookieHeader, refreshTokenFrom } from '../support/api-under-test.ts';
import { deniedRequests } from '../support/aws-rules/simulate.ts';
import type { StackPolicies } from '../support/aws-rules/template-policies.ts';
import { signedInMember } from '../support/members.ts';

/**
 * The sign-in flows with every key in KMS, as deployed: HMAC keys (NIR lookup, code pepper,
 * refresh token), the token signing key created by the operators' rotation — each KMS call checked
 * against the calling function's role and the key's policy (a refused call fails the test).
 */
let api: ApiOverKms;
beforeAll(async () => {
  api = await startApiOverKms();
});
afterAll(async () => {
  await api.stop();
});

describe('keys in KMS, as deployed (KMS stood in for, IAM and key policies checked)', () => {
  it('a first sign-in, /v1/me, a refresh and a sign-out: tokens signed by KMS under the key the rotation created, verified by the functions that only read its public half', async () => {
    api.kms.mock.resetHistory();
    const { session } = await signedInMember(api);
    expect(decodeProtectedHeader(session.json.accessToken).kid).toBe(api.signingKey.kid);
    const me = await api.call('GET', '/v1/me', { headers: { Authorization: `Bearer ${session.json.accessToken}` } });
    expect(me.status).toBe(200);
    const refreshed = await api.call('POST', '/v1/session/refresh', {
      headers: cookieHeader(refreshTokenFrom(session)!),
    });
    expect(refreshed.status).toBe(200);
    const out = await api.call('POST', '/v1/session/logout', { headers: cookieHeader(refreshTokenFrom(refreshed)!) });
    expect(out.status).toBe(204);
    expect(api.kms.mock.commandCalls(SignCommand).length).toBeGreaterThanOrEqual(2);
    expect(api.kms.mock.commandCalls(GenerateMacCommand).length).toBeGreaterThan(0);
  });

  it('the JWKS is the KMS key’s public half (GetPublicKey), and a function that only verifies may not sign', async () => {
    const jwks = await api.call('GET', '/.well-known/jwks.json');
    expect(jwks.json.keys.map((k: { kid: string }) => k.kid)).toEqual([api.signingKey.kid]);
    expect(JSON.stringify(jwks.json)).not.toMatch(/"d":/);
    expect(api.kms.mock.commandCalls(GetPublicKeyCommand).length).toBeGreaterThan(0);
    // The same check the stand-in makes on every call, asked directly: a verifier's Sign is refused.
    const policies = JSON.parse(readFileSync(process.env['TEST_STACK_POLICIES']!, 'utf8')) as StackPolicies;
    const { keyId } = api.signingKey;
    const aliases = [
      'alias/member-portal-auth/rules/token-signing',
      'alias/member-portal-auth/rules/token-signing-previous',
    ];
    const sign = {
      client: 'KMSClient',
      command: 'SignCommand',
      input: { KeyId: `arn:aws:kms:eu-west-3:123456789012:key/${keyId}` },
      context: { 'kms:ResourceAliases': aliases },
      resourcePolicy: JSON.parse(api.kms.keyPolicy(keyId)!),
    };
    expect(await deniedRequests(policies, 'login', sign)).toEqual([]);
    for (const verifier of ['me', 'jwks', 'passkeys'])
      expect({ verifier, refused: (await deniedRequests(policies, verifier, sign)).length }).toEqual({
        verifier,
        refused: 1,
      });
  });
});
