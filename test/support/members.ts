import { randomInt } from 'node:crypto';
import { importMemberRecord } from '../../lambdas/domain/member-row.ts';
import { type Nir, nirKey, parseNir } from '../../lambdas/domain/nir.ts';
import { systemClock } from '../../lambdas/domain/ports.ts';
import { type ApiUnderTest, deviceTokenFrom, mailTo, refreshTokenFrom, TEST_TERMS } from './api-under-test.ts';
import { memberRow } from './member-rows.ts';

/** A valid NIR never used before in this run. */
export function uniqueNir(): Nir {
  const body = `2${String(randomInt(50, 99))}${String(randomInt(1, 12)).padStart(2, '0')}75${String(randomInt(0, 1e6)).padStart(6, '0')}`;
  return parseNir(`${body}${String(nirKey(body)).padStart(2, '0')}`);
}

export async function addMember(
  api: ApiUnderTest,
  options: { initialCode: string; email?: string; nir?: Nir; clientId?: string },
): Promise<{ nir: Nir; initialCode: string; email: string }> {
  const nir = options.nir ?? uniqueNir();
  const email = options.email ?? `member-${nir.slice(-6)}@example.org`;
  const s = api.services;
  const outcome = await importMemberRecord(
    memberRow({ nir, email, clientId: options.clientId ?? '', initialCode: options.initialCode }),
    {
      members: s.members(),
      nirHasher: await s.nirLookupHasher(),
      codeHasher: await s.codeHasher(),
      clock: systemClock,
      initialCodeValidDays: 365,
    },
  );
  if (outcome.result === 'rejected') throw new Error(outcome.reason);
  return { nir, initialCode: options.initialCode, email };
}

/** The 6 digits of the newest new-device verification mail to `email`. */
export async function mailedDeviceCode(api: ApiUnderTest, email: string): Promise<string> {
  const mails = (await mailTo(api.sesEndpoint, email)).filter((m) => /vérification|verification/.test(m.subject));
  const code = /^(\d{6})$/m.exec(mails.at(-1)?.body.text ?? '')?.[1];
  if (!code) throw new Error('no verification code mailed');
  return code;
}

/**
 * A member who chose `personalCode` and accepted the terms in force (TEST_TERMS), through the API,
 * as a member would: the initial code opens the code-change form, the first sign-in from this
 * client proves the mailbox with the mailed code and trusts the client (`deviceToken`, the device
 * cookie), then the terms. `session` is the answer that opened the session. `remember` collects
 * every NIR, code and token used, for the log scans.
 */
export async function signedInMember(
  api: ApiUnderTest,
  options: {
    personalCode?: string;
    clientId?: string;
    userAgent?: string;
    remember?: (secret: string | undefined) => unknown;
  } = {},
) {
  const { personalCode = '583927', remember = () => undefined } = options;
  const headers: Record<string, string> = options.userAgent ? { 'User-Agent': options.userAgent } : {};
  const member = await addMember(api, { initialCode: '469135', clientId: options.clientId });
  for (const secret of [member.nir, member.initialCode, personalCode]) remember(secret);
  const changed = await api.call('POST', '/v1/code/change', {
    body: {
      nir: member.nir,
      currentCode: member.initialCode,
      newCode: personalCode,
      newCodeConfirmation: personalCode,
    },
    headers,
  });
  if (changed.status !== 200) throw new Error(`the code change answered ${changed.status} ${changed.text}`);
  const signIn = await api.call('POST', '/v1/login', { body: { nir: member.nir, code: personalCode }, headers });
  if (signIn.json?.status !== 'DEVICE_VERIFICATION_REQUIRED') throw new Error(`the sign-in answered ${signIn.text}`);
  remember(signIn.json.challenge);
  const code = await mailedDeviceCode(api, member.email);
  remember(code);
  const pending = await api.call('POST', '/v1/device/verify', {
    body: { challenge: signIn.json.challenge, code, rememberDevice: true },
    headers,
  });
  const deviceToken = deviceTokenFrom(pending);
  remember(deviceToken);
  if (pending.json?.status !== 'TERMS_ACCEPTANCE_REQUIRED')
    throw new Error(`the verification answered ${pending.text}`);
  remember(pending.json.challenge);
  const session = await api.call('POST', '/v1/terms/accept', {
    body: { challenge: pending.json.challenge, version: TEST_TERMS.version },
    headers,
  });
  if (session.status !== 200) throw new Error(`the terms acceptance answered ${session.status}`);
  remember(session.json.accessToken);
  remember(refreshTokenFrom(session));
  return { ...member, personalCode, session, deviceToken };
}
