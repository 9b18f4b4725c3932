import { readFileSync } from 'node:fs';
import { GenerateMacCommand, GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { decodeProtectedHeader } from 'jose';
import { type ApiOverKms, startApiOverKms } from '../support/api-over-kms.ts';
import { cookieHeader, deviceCookieHeader, mailTo, refreshTokenFrom } from '../support/api-under-test.ts';
import { asFunction, refuseAsAws } from '../support/aws-rules/call-recorder.ts';
import { deniedRequests } from '../support/aws-rules/simulate.ts';
import type { StackPolicies } from '../support/aws-rules/template-policies.ts';
import { memberRow } from '../support/member-rows.ts';
import { addMember, signedInMember, uniqueNir } from '../support/members.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';

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

  it('a new browser: the right code mails a one-time code (login’s pepper), verifying it signs the session’s token (device-verify’s kms:Sign)', async () => {
    const member = await signedInMember(api);
    const pending = await api.call('POST', '/v1/login', { body: { nir: member.nir, code: member.personalCode } });
    expect(pending.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    const mails = (await mailTo(api.sesEndpoint, member.email)).filter((m) =>
      /vérification|verification/.test(m.subject),
    );
    const code = /^(\d{6})$/m.exec(mails.at(-1)?.body.text ?? '')?.[1];
    const verified = await api.call('POST', '/v1/device/verify', {
      body: { challenge: pending.json.challenge, code, rememberDevice: false },
    });
    expect(verified.status).toBe(200);
    expect(decodeProtectedHeader(verified.json.accessToken).kid).toBe(api.signingKey.kid);
  });

  it('a forgotten code: the worker mails a reset link, the reset (NIR lookup and pepper MACs) changes the code, and the new code signs in', async () => {
    const member = await signedInMember(api);
    await api.call('POST', '/v1/code/forgot', { body: { nir: member.nir } });
    await api.jobs.drain();
    const mails = (await mailTo(api.sesEndpoint, member.email)).filter((m) => m.subject.includes('initialisation'));
    const token = /#token=([\w-]+)/.exec(mails.at(-1)?.body.text ?? '')?.[1];
    const reset = await api.call('POST', '/v1/code/reset', {
      body: { token, nir: member.nir, newCode: '740386', newCodeConfirmation: '740386' },
    });
    expect(reset.json.status).toBe('CODE_CHANGED');
    const again = await api.call('POST', '/v1/login', {
      body: { nir: member.nir, code: '740386' },
      headers: deviceCookieHeader(member.deviceToken),
    });
    expect(['AUTHENTICATED', 'DEVICE_VERIFICATION_REQUIRED', 'TERMS_ACCEPTANCE_REQUIRED']).toContain(again.json.status);
  });

  it('a passkey: enrolled by functions that only verify the token, then a sign-in without a code whose token passkey-authenticate signs', async () => {
    const member = await signedInMember(api);
    const bearer = { Authorization: `Bearer ${member.session.json.accessToken}` };
    const authenticator = new SoftwareAuthenticator({ origin: api.env['PORTAL_BASE_URL']!, rpId: 'localhost' });
    const options = await api.call('POST', '/v1/passkeys/register/options', { headers: bearer });
    const added = await api.call('POST', '/v1/passkeys/register', {
      body: { response: authenticator.register(options.json), name: 'Téléphone' },
      headers: bearer,
    });
    expect(added.status).toBe(201);
    const challenge = await api.call('POST', '/v1/passkeys/authenticate/options');
    const signedIn = await api.call('POST', '/v1/passkeys/authenticate', {
      body: { response: authenticator.authenticate(challenge.json) },
    });
    expect(signedIn.status).toBe(200);
    expect(decodeProtectedHeader(signedIn.json.accessToken).kid).toBe(api.signingKey.kid);
  });

  it('the member’s pages verify the token with the public key alone: sessions, devices, passkeys', async () => {
    const member = await signedInMember(api);
    const bearer = { Authorization: `Bearer ${member.session.json.accessToken}` };
    for (const path of ['/v1/me/sessions', '/v1/me/devices', '/v1/passkeys']) {
      expect({ path, status: (await api.call('GET', path, { headers: bearer })).status }).toEqual({
        path,
        status: 200,
      });
    }
  });

  it('a letter for a member without email: the scheduled export derives its temporary code (letter-code MAC) and writes it under the letters key', async () => {
    const member = await addMember(api, { initialCode: '469135', email: '' });
    await api.call('POST', '/v1/code/forgot', { body: { nir: member.nir } });
    await api.jobs.drain();
    const s3 = mockClient(S3Client);
    s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));
    s3.on(PutObjectCommand).callsFake(async (input: Record<string, unknown>) => {
      await refuseAsAws({ client: 'S3Client', command: 'PutObjectCommand', input });
      return {};
    });
    try {
      const { handler } = await import('../../lambdas/handlers/letters-export.ts');
      await asFunction('letters-export', () => handler({}));
      const [upload] = s3.commandCalls(PutObjectCommand);
      // A header and the member's letter: one export file, written once.
      expect(String(upload?.args[0].input.Body).trim().split('\r\n').length).toBeGreaterThanOrEqual(2);
      expect(upload?.args[0].input.SSEKMSKeyId).toBe(api.env['LETTERS_KMS_KEY_ID']);
      expect(
        api.kms.mock
          .commandCalls(GenerateMacCommand)
          .some((c) => c.args[0].input.KeyId === api.env['LETTER_CODE_KMS_KEY_ID']),
      ).toBe(true);
    } finally {
      s3.restore();
    }
  });

  it('the membership feed’s worker imports a batch of rows as its role and the keys’ policies allow (NIR lookup and pepper MACs), reports refused rows by line, and a batch run again changes nothing', async () => {
    const [first, second] = [uniqueNir(), uniqueNir()];
    const row = (nir: string) => ({ ...memberRow({ nir }), endDate: '' });
    const items = [
      { row: row(first), index: 0 },
      { row: { ...row(uniqueNir()), initialCode: '12' }, index: 1 },
      { row: row(second), index: 2 },
    ];
    const { handler } = await import('../../lambdas/handlers/member-feed-batch.ts');
    const batch = { Items: items, BatchInput: { key: 'members/2026-12-08.csv' } };
    const done = await asFunction('member-feed-batch', () => handler(batch, { awsRequestId: 'feed-test' }));
    expect(done).toEqual({
      imported: 2,
      updated: 0,
      unchanged: 0,
      deactivated: 0,
      rejected: [{ line: 3, reason: 'initialCode must be 6 digits' }],
    });
    // The map retries a batch that failed half-way: the rows already in are unchanged, none twice.
    const again = await asFunction('member-feed-batch', () => handler(batch, { awsRequestId: 'feed-test-2' }));
    expect(again).toMatchObject({ imported: 0, unchanged: 2 });
    expect((await api.call('POST', '/v1/login', { body: { nir: first, code: '469135' } })).json.status).toBe(
      'CODE_CHANGE_REQUIRED',
    );
    await expect(
      asFunction('member-feed-batch', () => handler({ ...batch, BatchInput: { key: 'other/x.csv' } })),
    ).rejects.toThrow('not a feed file');
  });

  it('the feed’s report adds up the map’s result files and writes reports/<file>.json under the feed key, as its role allows', async () => {
    const s3 = mockClient(S3Client);
    const bucket = api.env['FEED_BUCKET']!;
    const objects: Record<string, string> = {
      'results/run/manifest.json': JSON.stringify({
        ResultFiles: { SUCCEEDED: [{ Key: 'results/run/SUCCEEDED_0.json' }], FAILED: [] },
      }),
      'results/run/SUCCEEDED_0.json': JSON.stringify([
        {
          Output: JSON.stringify({
            imported: 2,
            updated: 1,
            unchanged: 0,
            deactivated: 0,
            rejected: [{ line: 9, reason: 'x' }],
          }),
        },
        {
          Output: JSON.stringify({
            imported: 0,
            updated: 0,
            unchanged: 3,
            deactivated: 1,
            rejected: [{ line: 4, reason: 'y' }],
          }),
        },
      ]),
    };
    s3.on(GetObjectCommand).callsFake(async (input: Record<string, unknown>) => {
      await refuseAsAws({ client: 'S3Client', command: 'GetObjectCommand', input });
      const body = objects[input['Key'] as string];
      return { Body: { transformToString: async () => body } };
    });
    s3.on(PutObjectCommand).callsFake(async (input: Record<string, unknown>) => {
      await refuseAsAws({ client: 'S3Client', command: 'PutObjectCommand', input });
      return {};
    });
    try {
      const { handler } = await import('../../lambdas/handlers/member-feed-report.ts');
      const answer = await asFunction('member-feed-report', () =>
        handler({
          key: 'members/2026-12-08.csv',
          map: { ResultWriterDetails: { Bucket: bucket, Key: 'results/run/manifest.json' } },
        }),
      );
      expect(answer).toMatchObject({
        imported: 2,
        updated: 1,
        unchanged: 3,
        deactivated: 1,
        rejectedCount: 2,
        failedBatches: 0,
      });
      const [put] = s3.commandCalls(PutObjectCommand);
      expect(put?.args[0].input).toMatchObject({
        Bucket: bucket,
        Key: 'reports/2026-12-08.csv.json',
        SSEKMSKeyId: api.env['FEED_KMS_KEY_ID'],
      });
      expect(JSON.parse(String(put?.args[0].input.Body)).rejected).toEqual([
        { line: 4, reason: 'y' },
        { line: 9, reason: 'x' },
      ]);
    } finally {
      s3.restore();
    }
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
