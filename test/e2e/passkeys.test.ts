import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type ApiUnderTest,
  deviceTokenFrom,
  mailTo,
  type Reply,
  startApiWithTerms,
} from '../support/api-under-test.ts';
import {
  memberWithPasskey as enrolMemberWithPasskey,
  passkeySignIn as signInWithPasskey,
} from '../support/recovery.ts';
import { runOps } from '../support/run-ops.ts';
import { secretWatch } from '../support/secret-watch.ts';
import type { SoftwareAuthenticator } from '../support/software-authenticator.ts';

/** Issue 13: passkeys through the API, with a software authenticator on the local stack's portal origin. */
let api: ApiUnderTest;
const secrets = secretWatch({ logs: () => api.logs });
const remember = secrets.remember;

beforeAll(async () => {
  api = await startApiWithTerms();
});
afterAll(async () => {
  await api.stop();
});

const bearer = (token: string) => ({ Authorization: `Bearer ${remember(token)}` });

const memberWithPasskey = () => enrolMemberWithPasskey(api, remember);
const passkeySignIn = (authenticator: SoftwareAuthenticator, rememberDevice = true): Promise<Reply> =>
  signInWithPasskey(api, authenticator, remember, rememberDevice);

describe('passkeys through the API', () => {
  it('enrols after a code sign-in, then signs in with the passkey alone: no NIR, a session and a trusted device', async () => {
    const m = await memberWithPasskey();
    expect(m.passkey).toEqual({
      id: expect.any(String),
      name: 'Téléphone de Claire',
      createdAt: expect.any(String),
      lastUsedAt: null,
      synced: false,
    });
    const notice = (await mailTo(api.sesEndpoint, m.email)).find((x) => x.subject.includes('clé d’accès'));
    expect(notice!.subject).toBe('Une clé d’accès a été ajoutée à votre espace adhérent');
    expect(notice!.body.text).toContain('Téléphone de Claire');

    const reply = await passkeySignIn(m.authenticator);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      status: 'AUTHENTICATED',
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    expect(deviceTokenFrom(reply)).toMatch(/^[\w-]{43}$/);
    const me = await api.call('GET', '/v1/me', { headers: bearer(reply.json.accessToken) });
    expect(me.json.firstName).toBe('Claire');
    const list = await api.call('GET', '/v1/passkeys', { headers: bearer(reply.json.accessToken) });
    expect(list.json).toEqual({
      passkeys: [expect.objectContaining({ id: m.passkey.id, lastUsedAt: expect.any(String) })],
      codeSignIn: true,
    });
    expect((await runOps(api.env, 'audit', '--nir', m.nir)).stdout).toMatch(/PASSKEY_SIGN_IN\s+SUCCESS/);
  });

  it('passkey only: the right code gets the same 401 as a wrong one, byte for byte; a reset link turns codes back on, with a notice', async () => {
    const m = await memberWithPasskey();
    const off = await api.call('POST', '/v1/passkeys/code-sign-in', {
      body: { enabled: false },
      headers: bearer(m.token),
    });
    expect(off.status).toBe(204);
    // Customer service sees why the member's code no longer works.
    expect((await runOps(api.env, 'member-status', '--nir', m.nir)).stdout).toMatch(/code sign-in\s+off: passkey only/);
    const right = await api.call('POST', '/v1/login', { body: { nir: m.nir, code: m.personalCode } });
    const wrong = await api.call('POST', '/v1/login', { body: { nir: m.nir, code: '902817' } });
    expect(right.status).toBe(401);
    expect(right.text).toBe(wrong.text);
    expect((await passkeySignIn(m.authenticator)).json.status).toBe('AUTHENTICATED');

    await api.call('POST', '/v1/code/forgot', { body: { nir: m.nir } });
    await new Promise((r) => setTimeout(r, 300));
    const link = (await mailTo(api.sesEndpoint, m.email))
      .map((x) => /#token=([\w-]{43})/.exec(x.body.text)?.[1])
      .find(Boolean);
    const reset = await api.call('POST', '/v1/code/reset', {
      body: { token: remember(link!), nir: m.nir, newCode: remember('740386'), newCodeConfirmation: '740386' },
    });
    expect(reset.status).toBe(200);
    const back = await api.call('POST', '/v1/login', { body: { nir: m.nir, code: '740386' } });
    expect(back.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(back.json.challenge);
    const mails = await mailTo(api.sesEndpoint, m.email);
    expect(mails.map((x) => x.subject)).toContain(
      'La connexion par mot de passe est réactivée sur votre espace adhérent',
    );
  });

  it('a deactivated member’s passkey opens nothing (CGU 3.5)', async () => {
    const m = await memberWithPasskey();
    expect((await runOps(api.env, 'deactivate-member', '--nir', m.nir)).code).toBe(0);
    const reply = await passkeySignIn(m.authenticator);
    expect(reply.status).toBe(403);
    expect(reply.json.error.code).toBe('ACCOUNT_DEACTIVATED');
  });

  it('deleting a passkey: gone from the list, a notice mailed, and it signs in no more', async () => {
    const m = await memberWithPasskey();
    const gone = await api.call('DELETE', `/v1/passkeys/${m.passkey.id}`, { headers: bearer(m.token) });
    expect(gone.status).toBe(204);
    expect((await api.call('GET', '/v1/passkeys', { headers: bearer(m.token) })).json.passkeys).toEqual([]);
    expect((await mailTo(api.sesEndpoint, m.email)).map((x) => x.subject)).toContain(
      'Une clé d’accès a été supprimée de votre espace adhérent',
    );
    const reply = await passkeySignIn(m.authenticator);
    expect(reply.status).toBe(401);
    expect(reply.json.error.code).toBe('PASSKEY_REFUSED');
  });

  it('enrolment without a bearer token is 401; a malformed response is a 400 in the envelope, never a 500', async () => {
    expect((await api.call('POST', '/v1/passkeys/register/options')).status).toBe(401);
    const garbage = await api.call('POST', '/v1/passkeys/authenticate', { body: { response: { id: 'x' } } });
    expect(garbage.status).toBe(400);
    expect(garbage.json.error.code).toBe('MALFORMED_REQUEST');
    const badData = await api.call('POST', '/v1/passkeys/authenticate', {
      body: { response: { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: 'bm90IGpzb24' } } },
    });
    expect(badData.status).toBe(401);
    expect(badData.json.error.code).toBe('INVALID_CHALLENGE');
  });
});

describe('logs', () => {
  it('an enrolment and a passkey sign-in leave no credential id, challenge or token in the logs', async () => {
    const before = api.logs.length;
    const m = await memberWithPasskey();
    await passkeySignIn(m.authenticator);
    expect(api.logs.length - before).toBeGreaterThan(5);
    expect(secrets.foundIn(api.logs.slice(before))).toEqual([]);
  });
});
