import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApiUnderTest, mailTo, type Reply, startApiWithTerms } from '../support/api-under-test.ts';
import { addMember, uniqueNir } from '../support/members.ts';
import { letterCodeFor as letterCodeFor_, resetLinkFor as resetLinkFor_ } from '../support/recovery.ts';
import { runOps } from '../support/run-ops.ts';
import { secretWatch } from '../support/secret-watch.ts';

/**
 * Security review, item 1: whoever knows a member's NIR must not be able to keep the member out.
 * Each test is one stranger's attack, and the member's way back in.
 */
let api: ApiUnderTest;
let jobs: ApiUnderTest['jobs'];
const secrets = secretWatch({ logs: () => api.logs });
const remember = secrets.remember;

beforeAll(async () => {
  api = await startApiWithTerms();
  jobs = api.jobs;
});
afterAll(async () => {
  await api.stop();
});

const login = (nir: string, code: string) =>
  api.call('POST', '/v1/login', { body: { nir: remember(nir), code: remember(code) } });
const change = (nir: string, currentCode: string, newCode: string) =>
  api.call('POST', '/v1/code/change', {
    body: { nir, currentCode: remember(currentCode), newCode: remember(newCode), newCodeConfirmation: newCode },
  });

/** The stranger: five wrong codes, and the NIR is locked. */
async function strangerLocks(nir: string): Promise<void> {
  for (let i = 0; i < 5; i++) expect((await login(nir, `90817${i}`)).status).toBe(401);
  expect((await login(nir, '908175')).status).toBe(429);
  await jobs.drain();
}

const resetLinkFor = async (nir: string, email: string) => remember(await resetLinkFor_(api, nir, email));
const letterCodeFor = (nir: string) => letterCodeFor_(api, nir);

const lockMails = async (email: string) =>
  (await mailTo(api.sesEndpoint, email)).filter((m) => m.subject.includes('suspendue'));

describe('a stranger who locks a member out', () => {
  it('no longer keeps the member out once the member uses a reset link: the reset clears the lock', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    await strangerLocks(member.nir);
    const token = await resetLinkFor(member.nir, member.email);
    const reset = await api.call('POST', '/v1/code/reset', {
      body: { token, nir: member.nir, newCode: remember('583927'), newCodeConfirmation: '583927' },
    });
    expect(reset.status).toBe(200);
    // Not locked any more: the right code is taken (this browser then proves the mailbox).
    const next = await login(member.nir, '583927');
    expect(next.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(next.json.challenge);
  });

  it('does not stop the member who holds a letter: its temporary code changes the code during the lock, and the lock goes', async () => {
    const member = await addMember(api, { initialCode: '469135', email: '' });
    const temporaryCode = remember(await letterCodeFor(member.nir));
    await strangerLocks(member.nir);
    // During the lock, on the code-change form: a wrong code gets the lock's answer; the letter's code works.
    expect((await change(member.nir, '908179', '583927')).status).toBe(429);
    expect((await change(member.nir, temporaryCode, '583927')).status).toBe(200);
    expect((await login(member.nir, '583927')).json.status).toBe('TERMS_ACCEPTANCE_REQUIRED');
    const audit = await runOps(api.env, 'audit', '--nir', member.nir);
    expect(audit.stdout).toMatch(/LOCK_CLEARED\s+SUCCESS .*reason=LETTER_CODE/);
  });

  it('a locked NIR answers a wrong code on the code-change form the same, letter or not, member or not', async () => {
    const withLetterCode = await addMember(api, { initialCode: '469135', email: '' });
    remember(await letterCodeFor(withLetterCode.nir));
    const plain = await addMember(api, { initialCode: '469135' });
    const unknown = uniqueNir();
    const answers: Reply[] = [];
    for (const nir of [withLetterCode.nir, plain.nir, unknown]) {
      await strangerLocks(nir);
      answers.push(await change(nir, '908179', '583927'));
    }
    for (const a of answers) {
      expect(a.status).toBe(429);
      expect(a.text).toBe(answers[0]!.text);
    }
  });

  it('customer service unlocks the NIR at once, and the audit trail names the operator', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    await strangerLocks(member.nir);
    const unlocked = await runOps(api.env, 'unlock', '--nir', member.nir);
    expect(unlocked.code).toBe(0);
    expect(unlocked.stdout).toContain('unlocked');
    expect(unlocked.stdout).not.toContain(member.nir);
    expect((await login(member.nir, member.initialCode)).json.status).toBe('CODE_CHANGE_REQUIRED');
    expect((await runOps(api.env, 'unlock', '--nir', member.nir)).stdout).toContain('nothing changed');
    expect((await runOps(api.env, 'audit', '--nir', member.nir)).stdout).toMatch(
      /LOCK_CLEARED\s+SUCCESS\s+operator=\S+ claimed=agent\.test .*reason=OPERATOR/,
    );
  });
});

describe('the notice of a lock', () => {
  it('is mailed once per lock to a member with an email on file, and carries no link that signs in', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    await strangerLocks(member.nir);
    // More refused attempts during the same lock: still one notice.
    for (let i = 0; i < 3; i++) await login(member.nir, '908170');
    await jobs.drain();
    const notices = await lockMails(member.email);
    expect(notices).toHaveLength(1);
    const text = notices[0]!.body.text;
    expect(text).toContain('Vous avez oublié votre code d’accès ou vous souhaitez l’obtenir ?');
    expect(text).toContain(`${api.env['PORTAL_BASE_URL']}/mot-de-passe/oublie`);
    expect(text).not.toMatch(/token|reinitialiser|\d{6}/);
  });

  it('is not sent for an unknown NIR, a member without email or a deactivated member, whose attempts are answered alike', async () => {
    const withoutEmail = await addMember(api, { initialCode: '469135', email: '' });
    const deactivated = await addMember(api, { initialCode: '469135' });
    await runOps(api.env, 'deactivate-member', '--nir', deactivated.nir);
    for (const nir of [uniqueNir(), withoutEmail.nir, deactivated.nir]) await strangerLocks(nir);
    expect(await lockMails(deactivated.email)).toEqual([]);
  });
});

describe('logs', () => {
  // Every test above is also checked after it runs (secretWatch): this one needs no other test.
  it('a lock, its notice, a letter code used during it and an unlock leave no NIR, code or link in the logs', async () => {
    const before = api.logs.length;
    const member = await addMember(api, { initialCode: remember('469135'), email: '' });
    const temporaryCode = remember(await letterCodeFor(member.nir));
    await strangerLocks(member.nir);
    expect((await change(member.nir, temporaryCode, '583927')).status).toBe(200);
    await strangerLocks(member.nir);
    expect((await runOps(api.env, 'unlock', '--nir', member.nir)).code).toBe(0);

    const logs = api.logs.slice(before);
    expect(logs.length).toBeGreaterThan(10);
    expect(secrets.foundIn(logs)).toEqual([]);
  });
});
