import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLetterFiles } from '../../lambdas/adapters/letters/local-letter-files.ts';
import { nirLookupKey } from '../../lambdas/domain/nir.ts';
import { type ApiUnderTest, deviceTokenFrom, mailTo, type Reply, refreshTokenFrom } from './api-under-test.ts';
import { signedInMember } from './members.ts';
import { SoftwareAuthenticator } from './software-authenticator.ts';

type Remember = <T extends string | undefined>(secret: T) => T;

/** The forgotten-code request for a member with an email, through the worker: the token of the link mailed. */
export async function resetLinkFor(api: ApiUnderTest, nir: string, email: string): Promise<string> {
  await api.call('POST', '/v1/code/forgot', { body: { nir } });
  await api.jobs.drain();
  const mail = (await mailTo(api.sesEndpoint, email)).filter((m) => m.subject.includes('initialisation')).pop()!;
  return /#token=([\w-]+)/.exec(mail.body.text)![1]!;
}

/** A forgotten-code request by a member without email, and the letter export: the temporary code printed for them. */
export async function letterCodeFor(api: ApiUnderTest, nir: string): Promise<string> {
  await api.call('POST', '/v1/code/forgot', { body: { nir } });
  await api.jobs.drain();
  const key = await nirLookupKey(await api.services.nirLookupHasher(), nir as never);
  const letterId = (await api.services.members().get(key))!.letterOutstandingId!;
  const report = await (
    await api.services.letterExport(new LocalLetterFiles(await mkdtemp(join(tmpdir(), 'letters-'))))
  ).run();
  const csv = await readFile(report.files[0]!.location, 'utf8');
  return csv
    .split('\r\n')
    .map((line) => line.split(','))
    .find((row) => row[0] === letterId)![8]!;
}

/** A member signed in a moment ago with a passkey enrolled through the API (named `name`). */
export async function memberWithPasskey(api: ApiUnderTest, remember: Remember, name = 'Téléphone de Claire') {
  const member = await signedInMember(api, { remember });
  const token = member.session.json.accessToken as string;
  const authenticator = new SoftwareAuthenticator({ origin: api.env['PORTAL_BASE_URL']!, rpId: 'localhost' });
  const options = await api.call('POST', '/v1/passkeys/register/options', {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (options.status !== 200) throw new Error(`registration options answered ${options.status}`);
  remember(options.json.challenge);
  const response = authenticator.register(options.json);
  remember(response.id);
  const added = await api.call('POST', '/v1/passkeys/register', {
    body: { response, name },
    headers: { Authorization: `Bearer ${token}` },
  });
  if (added.status !== 201) throw new Error(`registration answered ${added.status}`);
  return { ...member, token, authenticator, passkey: added.json.passkey };
}

/** A passkey sign-in through the API: the options, then the assertion (`rememberDevice` as given). */
export async function passkeySignIn(
  api: ApiUnderTest,
  authenticator: SoftwareAuthenticator,
  remember: Remember,
  rememberDevice?: boolean,
): Promise<Reply> {
  const options = await api.call('POST', '/v1/passkeys/authenticate/options');
  remember(options.json.challenge);
  const reply = await api.call('POST', '/v1/passkeys/authenticate', {
    body: {
      response: authenticator.authenticate(options.json),
      ...(rememberDevice === undefined ? {} : { rememberDevice }),
    },
  });
  remember(reply.json?.accessToken);
  remember(refreshTokenFrom(reply));
  remember(deviceTokenFrom(reply));
  return reply;
}
