import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { domainWorld, PASSKEY_SETTINGS, PORTAL_URL, SOURCE } from '../../support/domain-world.ts';
import { SoftwareAuthenticator } from '../../support/software-authenticator.ts';

const TERMS = { version: '2026-11', url: 'https://portal.example.org/cgu.pdf', publishedAt: 0 };

/** A member signed in with the code a moment ago, a software passkey, and the world around them. */
async function memberSignedIn() {
  const w = await domainWorld();
  await w.termsStore.publish(TERMS);
  const added = await w.addMemberWithPersonalCode();
  const pending = await w.login.login({ nir: added.nir, code: added.personalCode }, SOURCE);
  if (pending.status !== 'TERMS_ACCEPTANCE_REQUIRED') throw new Error(`unexpected ${pending.status}`);
  const signedIn = await w.termsOfUse.accept({ challenge: pending.challenge, version: TERMS.version, ...SOURCE });
  const auth = () => w.guard.authenticate(`Bearer ${signedIn.accessToken}`);
  const authenticator = new SoftwareAuthenticator({ origin: PORTAL_URL, rpId: PASSKEY_SETTINGS.rpId });
  return { w, ...added, auth, authenticator };
}

async function enrolled() {
  const m = await memberSignedIn();
  const { member, session } = await m.auth();
  const options = await m.w.passkeys.registrationOptions(member, session);
  const passkey = await m.w.passkeys.register(
    member,
    session,
    { response: m.authenticator.register(options), name: 'Téléphone' },
    SOURCE,
  );
  return { ...m, passkey };
}

async function signInWithPasskey(m: Awaited<ReturnType<typeof enrolled>>, tweaks = {}, rememberDevice?: boolean) {
  const options = await m.w.passkeys.authenticationOptions(SOURCE);
  return m.w.passkeys.authenticate({ response: m.authenticator.authenticate(options, tweaks), rememberDevice }, SOURCE);
}

describe('passkeys (domain, software authenticator)', () => {
  it('enrols a discoverable passkey with user verification required, under a random user handle (never the NIR)', async () => {
    const m = await memberSignedIn();
    const { member, session } = await m.auth();
    const options = await m.w.passkeys.registrationOptions(member, session);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.rp).toEqual({ name: 'Espace adhérent', id: 'portal.example.org' });
    expect(options.user.id).not.toContain(m.nir);
    expect(options.user.name).not.toContain(m.nir);
    const added = await m.w.passkeys.register(member, session, { response: m.authenticator.register(options) }, SOURCE);
    expect(added).toMatchObject({ name: 'Clé d’accès', synced: false });
    expect(m.w.events.names()).toContain('PASSKEY_ADDED');
    expect(m.w.mailer.sent.at(-1)!.subject).toBe('Une clé d’accès a été ajoutée à votre espace adhérent');
  });

  it('signs in with the passkey alone: no NIR, the session open, the browser trusted when the member asks', async () => {
    const m = await enrolled();
    const outcome = await signInWithPasskey(m, {}, true);
    expect(outcome).toMatchObject({ status: 'AUTHENTICATED', device: { token: expect.any(String) } });
    expect(m.w.events.names()).toContain('PASSKEY_SIGN_IN');
  });

  it('a passkey sign-in on a shared computer without "remember": no device cookie, nothing trusted (N5)', async () => {
    const m = await enrolled();
    const devicesBefore = m.w.events.names().filter((e) => e === 'DEVICE_ADDED').length;
    const outcome = await signInWithPasskey(m);
    expect(outcome).toMatchObject({ status: 'AUTHENTICATED' });
    expect(outcome.device).toBeUndefined();
    expect(m.w.events.names().filter((e) => e === 'DEVICE_ADDED')).toHaveLength(devicesBefore);
  });

  it('a stranger cannot fill the table with anonymous passkey ceremonies: the options route is limited per source IP (N7)', async () => {
    const m = await enrolled();
    for (let i = 0; i < 100; i++) await m.w.passkeys.authenticationOptions(SOURCE);
    await expect(m.w.passkeys.authenticationOptions(SOURCE)).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    await expect(m.w.passkeys.authenticationOptions({ ...SOURCE, sourceIp: '192.0.2.11' })).resolves.toMatchObject({
      challenge: expect.any(String),
    });
  });

  it('N7: an anonymous passkey ceremony stores nothing: the challenge is MAC’d, and only its answer is recorded', async () => {
    const m = await enrolled();
    const before = m.w.webauthnChallenges.size;
    for (let i = 0; i < 20; i++) await m.w.passkeys.authenticationOptions(SOURCE);
    expect(m.w.webauthnChallenges.size).toBe(before);
    await expect(signInWithPasskey(m)).resolves.toMatchObject({ status: 'AUTHENTICATED' });
    expect(m.w.webauthnChallenges.size).toBe(before + 1);
  });

  it('a forged sign-in challenge is refused: random bytes of the right length, or ours with a later expiry', async () => {
    const m = await enrolled();
    const options = await m.w.passkeys.authenticationOptions(SOURCE);
    const ours = Buffer.from(options.challenge, 'base64url');
    const later = Buffer.from(ours);
    later.writeBigUInt64BE(later.readBigUInt64BE(16) + 3_600_000n, 16);
    for (const forged of [randomBytes(ours.length), later]) {
      const response = m.authenticator.authenticate({ ...options, challenge: forged.toString('base64url') });
      await expect(m.w.passkeys.authenticate({ response }, SOURCE)).rejects.toMatchObject({
        code: 'INVALID_CHALLENGE',
      });
    }
  });

  it('an unanswered sign-in challenge dies after 5 minutes', async () => {
    const m = await enrolled();
    const options = await m.w.passkeys.authenticationOptions(SOURCE);
    m.w.clock.advance(5 * 60 * 1000 + 1);
    const response = m.authenticator.authenticate(options);
    await expect(m.w.passkeys.authenticate({ response }, SOURCE)).rejects.toMatchObject({ code: 'INVALID_CHALLENGE' });
  });

  it('an enrolment after a sign-in older than 5 minutes asks to sign in again', async () => {
    const m = await memberSignedIn();
    m.w.clock.advance(5 * 60 * 1000 + 1);
    const { member, session } = await m.auth();
    await expect(m.w.passkeys.registrationOptions(member, session)).rejects.toMatchObject({
      code: 'REAUTHENTICATION_REQUIRED',
    });
  });

  it('phishing: an assertion made on another origin is refused', async () => {
    const m = await enrolled();
    await expect(signInWithPasskey(m, { origin: 'https://portal.example.org.evil.example' })).rejects.toMatchObject({
      code: 'PASSKEY_REFUSED',
    });
  });

  it('an assertion for another relying party is refused', async () => {
    const m = await enrolled();
    await expect(signInWithPasskey(m, { rpId: 'evil.example' })).rejects.toMatchObject({ code: 'PASSKEY_REFUSED' });
  });

  it('replay: an assertion sent twice is refused the second time (the challenge is spent)', async () => {
    const m = await enrolled();
    const options = await m.w.passkeys.authenticationOptions(SOURCE);
    const response = m.authenticator.authenticate(options);
    await expect(m.w.passkeys.authenticate({ response }, SOURCE)).resolves.toMatchObject({ status: 'AUTHENTICATED' });
    await expect(m.w.passkeys.authenticate({ response }, SOURCE)).rejects.toMatchObject({ code: 'INVALID_CHALLENGE' });
  });

  it('a cloned authenticator: a signature counter going back is refused', async () => {
    const m = await enrolled();
    await signInWithPasskey(m, { counter: 5 });
    await expect(signInWithPasskey(m, { counter: 3 })).rejects.toMatchObject({ code: 'PASSKEY_REFUSED' });
  });

  it('user verification missing (no biometric, no PIN) is refused, at enrolment and at sign-in', async () => {
    const m = await memberSignedIn();
    const { member, session } = await m.auth();
    const options = await m.w.passkeys.registrationOptions(member, session);
    await expect(
      m.w.passkeys.register(
        member,
        session,
        { response: m.authenticator.register(options, { userVerified: false }) },
        SOURCE,
      ),
    ).rejects.toMatchObject({ code: 'PASSKEY_REFUSED' });
    const e = await enrolled();
    await expect(signInWithPasskey(e, { userVerified: false })).rejects.toMatchObject({ code: 'PASSKEY_REFUSED' });
  });

  it('an assertion naming another user handle is refused', async () => {
    const m = await enrolled();
    await expect(
      signInWithPasskey(m, { userHandle: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
    ).rejects.toMatchObject({
      code: 'PASSKEY_REFUSED',
    });
  });

  it('a stranger who locks the NIR cannot keep a passkey holder out', async () => {
    const m = await enrolled();
    for (let i = 0; i < 5; i++)
      await expect(m.w.login.login({ nir: m.nir, code: `90817${i}` }, SOURCE)).rejects.toThrow();
    await expect(m.w.login.login({ nir: m.nir, code: m.personalCode }, SOURCE)).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    await expect(signInWithPasskey(m)).resolves.toMatchObject({ status: 'AUTHENTICATED' });
  });

  it('passkey only: the right code is answered like a wrong one; deleting the last passkey turns codes back on', async () => {
    const m = await enrolled();
    const { member, session } = await m.auth();
    await m.w.passkeys.setCodeSignIn(member, session, false, SOURCE);
    await expect(m.w.login.login({ nir: m.nir, code: m.personalCode }, SOURCE)).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    const after = await m.auth();
    await m.w.passkeys.remove(after.member, after.session, m.passkey.id, SOURCE);
    await expect(m.w.login.login({ nir: m.nir, code: m.personalCode }, SOURCE)).resolves.toMatchObject({
      status: 'AUTHENTICATED',
    });
    expect(m.w.events.names()).toEqual(expect.arrayContaining(['PASSKEY_REMOVED', 'CODE_SIGN_IN_ENABLED']));
  });

  it('passkey only needs a passkey: without one, code sign-in stays on', async () => {
    const m = await memberSignedIn();
    const { member, session } = await m.auth();
    await expect(m.w.passkeys.setCodeSignIn(member, session, false, SOURCE)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('renames and lists the member’s passkeys', async () => {
    const m = await enrolled();
    const { member } = await m.auth();
    await m.w.passkeys.rename(member, m.passkey.id, '  Ordinateur du salon  ', SOURCE);
    expect(await m.w.passkeys.list(member)).toEqual([
      {
        id: m.passkey.id,
        name: 'Ordinateur du salon',
        createdAt: expect.any(Number),
        lastUsedAt: undefined,
        synced: false,
      },
    ]);
    await expect(m.w.passkeys.rename(member, 'nope', 'x', SOURCE)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('passkey only, lost passkey, no email: the letter’s temporary code still opens the code-change form, and codes work again', async () => {
    const w = await domainWorld();
    await w.termsStore.publish(TERMS);
    const added = await w.addMemberWithPersonalCode('739164', { email: null });
    const pending = await w.login.login({ nir: added.nir, code: added.personalCode }, SOURCE);
    if (pending.status !== 'TERMS_ACCEPTANCE_REQUIRED') throw new Error(`unexpected ${pending.status}`);
    const signedIn = await w.termsOfUse.accept({ challenge: pending.challenge, version: TERMS.version, ...SOURCE });
    const { member, session } = await w.guard.authenticate(`Bearer ${signedIn.accessToken}`);
    const authenticator = new SoftwareAuthenticator({ origin: PORTAL_URL, rpId: PASSKEY_SETTINGS.rpId });
    const options = await w.passkeys.registrationOptions(member, session);
    await w.passkeys.register(member, session, { response: authenticator.register(options) }, SOURCE);
    await w.passkeys.setCodeSignIn(member, session, false, SOURCE);

    await w.letterQueue.request(w.member(added.key), 'MEMBER', 'req-letter');
    await w.letterExport.run();
    const [row] = [...w.letterFiles.files.values()].flatMap(
      (content): Array<Record<string, string>> => parse(content, { columns: true }),
    );
    const temporaryCode = row!['temporaryCode']!;
    // The personal code is refused like a wrong one; the letter's code opens the code-change form.
    await expect(w.login.login({ nir: added.nir, code: added.personalCode }, SOURCE)).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    await expect(w.login.login({ nir: added.nir, code: temporaryCode }, SOURCE)).resolves.toEqual({
      status: 'CODE_CHANGE_REQUIRED',
    });
    await w.codeChange.change(
      { nir: added.nir, currentCode: temporaryCode, newCode: '305817', newCodeConfirmation: '305817' },
      SOURCE,
    );
    expect(w.member(added.key).codeSignInDisabled).toBeUndefined();
    expect(w.events.names()).toContain('CODE_SIGN_IN_ENABLED');
    await expect(w.login.login({ nir: added.nir, code: '305817' }, SOURCE)).resolves.toMatchObject({
      status: 'AUTHENTICATED',
    });
  });
});
