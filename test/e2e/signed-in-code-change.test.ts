import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type ApiUnderTest,
  cookieHeader,
  deviceCookieHeader,
  deviceTokenFrom,
  mailTo,
  refreshTokenFrom,
  startApiWithTerms,
} from '../support/api-under-test.ts';
import { mailedDeviceCode, signedInMember } from '../support/members.ts';
import { resetLinkFor } from '../support/recovery.ts';
import { secretWatch } from '../support/secret-watch.ts';

/** http-api-v1.md, POST /v1/me/code: "Changer mon mot de passe" in the member's space (no code, token or NIR in the logs: checked after each test). */
let api: ApiUnderTest;
const secrets = secretWatch({ logs: () => api.logs });
const remember = secrets.remember;

beforeAll(async () => {
  api = await startApiWithTerms();
});
afterAll(async () => {
  await api.stop();
});

const LAPTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

const bearer = (accessToken: string) => ({ Authorization: `Bearer ${accessToken}` });

function changeCode(
  member: { session: { json: { accessToken: string } }; deviceToken?: string | undefined },
  body: Record<string, string>,
) {
  return api.call('POST', '/v1/me/code', {
    body,
    headers: { ...bearer(member.session.json.accessToken), ...deviceCookieHeader(member.deviceToken) },
  });
}

describe('POST /v1/me/code', () => {
  it('changes the code: this session and this device stay, the former code opens nothing, a notice is mailed', async () => {
    const member = await signedInMember(api, { remember });
    const changed = await changeCode(member, {
      currentCode: member.personalCode,
      newCode: remember('917263'),
      newCodeConfirmation: '917263',
    });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ status: 'CODE_CHANGED' });

    // This session still works, its refresh too; this browser is still trusted (no mailed code).
    expect((await api.call('GET', '/v1/me', { headers: bearer(member.session.json.accessToken) })).status).toBe(200);
    const refreshed = await api.call('POST', '/v1/session/refresh', {
      headers: cookieHeader(refreshTokenFrom(member.session)!),
    });
    expect(refreshed.status).toBe(200);
    const again = await api.call('POST', '/v1/login', {
      body: { nir: member.nir, code: '917263' },
      headers: deviceCookieHeader(member.deviceToken),
    });
    expect(again.json?.status).toBe('AUTHENTICATED');
    const former = await api.call('POST', '/v1/login', {
      body: { nir: member.nir, code: member.personalCode },
      headers: deviceCookieHeader(member.deviceToken),
    });
    expect(former.status).toBe(401);
    const mails = await mailTo(api.sesEndpoint, member.email);
    expect(mails.at(-1)?.subject).toMatch(/mot de passe|code/i);
  });

  it('a thief signed in on another browser loses it: every other session ends and every other device must verify again', async () => {
    const here = await signedInMember(api, { remember });
    // The same member's code on a second browser, its mailbox proved: a second session and a second trusted device.
    const other = await api.call('POST', '/v1/login', {
      body: { nir: here.nir, code: here.personalCode },
      headers: { 'User-Agent': LAPTOP },
    });
    expect(other.json?.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    const verified = await api.call('POST', '/v1/device/verify', {
      body: {
        challenge: remember(other.json.challenge),
        code: remember(await mailedDeviceCode(api, here.email)),
        rememberDevice: true,
      },
      headers: { 'User-Agent': LAPTOP },
    });
    expect(verified.json?.status).toBe('AUTHENTICATED');
    const laptopDevice = remember(deviceTokenFrom(verified));
    const mine = { ...bearer(here.session.json.accessToken), ...deviceCookieHeader(here.deviceToken) };
    expect((await api.call('GET', '/v1/me/sessions', { headers: mine })).json.sessions).toHaveLength(2);
    expect((await api.call('GET', '/v1/me/devices', { headers: mine })).json.devices).toHaveLength(2);

    expect(
      (await changeCode(here, { currentCode: here.personalCode, newCode: '917263', newCodeConfirmation: '917263' }))
        .status,
    ).toBe(200);
    const sessions = await api.call('GET', '/v1/me/sessions', { headers: mine });
    expect(sessions.json.sessions).toEqual([expect.objectContaining({ current: true })]);
    expect((await api.call('GET', '/v1/me/devices', { headers: mine })).json.devices).toEqual([
      expect.objectContaining({ current: true }),
    ]);
    expect((await api.call('GET', '/v1/me', { headers: bearer(verified.json.accessToken) })).status).toBe(401);
    const thief = await api.call('POST', '/v1/login', {
      body: { nir: here.nir, code: '917263' },
      headers: { 'User-Agent': LAPTOP, ...deviceCookieHeader(laptopDevice) },
    });
    expect(thief.json?.status).toBe('DEVICE_VERIFICATION_REQUIRED');
  });

  it('a session whose member was signed in elsewhere ends when the code is changed there', async () => {
    const member = await signedInMember(api, { remember });
    // A second session of the same member, from the same trusted browser.
    const second = await api.call('POST', '/v1/login', {
      body: { nir: member.nir, code: member.personalCode },
      headers: deviceCookieHeader(member.deviceToken),
    });
    expect(second.json?.status).toBe('AUTHENTICATED');
    expect(
      (
        await changeCode(member, {
          currentCode: member.personalCode,
          newCode: '917263',
          newCodeConfirmation: '917263',
        })
      ).status,
    ).toBe(200);
    expect((await api.call('GET', '/v1/me', { headers: bearer(second.json.accessToken) })).status).toBe(401);
    expect((await api.call('GET', '/v1/me', { headers: bearer(member.session.json.accessToken) })).status).toBe(200);
  });

  it('an outstanding reset link stops working once the code is changed', async () => {
    const member = await signedInMember(api, { remember });
    const token = remember(await resetLinkFor(api, member.nir, member.email));
    expect(
      (await changeCode(member, { currentCode: member.personalCode, newCode: '917263', newCodeConfirmation: '917263' }))
        .status,
    ).toBe(200);
    const reset = await api.call('POST', '/v1/code/reset', {
      body: { token, nir: member.nir, newCode: '604817', newCodeConfirmation: '604817' },
    });
    expect(reset.status).toBe(400);
    expect(reset.json.error.code).toBe('INVALID_RESET_TOKEN');
  });

  it('guessing the current code from a stolen access token counts like a sign-in: 401, then 429 once locked', async () => {
    const member = await signedInMember(api, { remember });
    const guesses = [];
    for (let i = 0; i < 6; i++) {
      guesses.push(
        (
          await api.call('POST', '/v1/me/code', {
            body: { currentCode: `10000${i}`, newCode: '917263', newCodeConfirmation: '917263' },
            headers: bearer(member.session.json.accessToken),
          })
        ).status,
      );
    }
    expect(guesses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(guesses[5]).toBe(429);
    // The NIR is locked for a browser without the member's device cookie, as after five wrong sign-ins.
    const signIn = await api.call('POST', '/v1/login', { body: { nir: member.nir, code: member.personalCode } });
    expect(signIn.status).toBe(429);
  });

  it('refuses a weak or mismatched new code before the current code is checked, and needs a bearer token', async () => {
    const member = await signedInMember(api, { remember });
    const weak = await changeCode(member, { currentCode: '000001', newCode: '123456', newCodeConfirmation: '123456' });
    expect(weak.status).toBe(400);
    expect(weak.json.error.code).toBe('WEAK_CODE');
    const mismatch = await changeCode(member, {
      currentCode: '000001',
      newCode: '917263',
      newCodeConfirmation: '917264',
    });
    expect(mismatch.json.error.code).toBe('CODE_CONFIRMATION_MISMATCH');
    const anonymous = await api.call('POST', '/v1/me/code', {
      body: { currentCode: member.personalCode, newCode: '917263', newCodeConfirmation: '917263' },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    // None of these counted: the right code still changes it.
    expect(
      (await changeCode(member, { currentCode: member.personalCode, newCode: '917263', newCodeConfirmation: '917263' }))
        .status,
    ).toBe(200);
  });
});
