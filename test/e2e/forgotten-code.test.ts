import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { keys } from '../../lambdas/adapters/dynamo/table.ts';
import {
  CODE_PEPPER_KEY_FILE,
  LETTER_CODE_KEY_FILE,
  LocalHmacKey,
} from '../../lambdas/adapters/keys/local-key-files.ts';
import { LocalLetterFiles } from '../../lambdas/adapters/letters/local-letter-files.ts';
import { nirWindows, weakCodeReason } from '../../lambdas/domain/code-blocklist.ts';
import { parseCode } from '../../lambdas/domain/code-format.ts';
import { temporaryCodeFor } from '../../lambdas/domain/letters.ts';
import { nirLookupKey } from '../../lambdas/domain/nir.ts';
import { secretHash } from '../../lambdas/domain/random-secrets.ts';
import {
  type ApiUnderTest,
  cookieHeader,
  deviceCookieHeader,
  mailTo,
  type Reply,
  refreshTokenFrom,
  startApiWithTerms,
} from '../support/api-under-test.ts';
import { addMember, signedInMember, uniqueNir } from '../support/members.ts';
import { secretWatch } from '../support/secret-watch.ts';

let api: ApiUnderTest;
let dispatcher: ApiUnderTest['jobs'];
/** Every NIR, code and token used below: the log scan at the end looks for each. */
const secrets = secretWatch({ logs: () => api.logs });
const remember = secrets.remember;

beforeAll(async () => {
  // Hundreds of forgot requests from one test IP below (the timing test); the per-IP limit has its own test.
  api = await startApiWithTerms({ FORGOT_IP_MAX_REQUESTS: '100000' });
  dispatcher = api.jobs;
});
afterAll(async () => {
  await api.stop();
});

/** A forgotten-code request, and the work it hands off, done. */
async function forgot(nir: string): Promise<Reply> {
  const reply = await api.call('POST', '/v1/code/forgot', { body: { nir: remember(nir) } });
  await dispatcher.drain();
  return reply;
}

async function resetLinks(email: string): Promise<string[]> {
  const mails = (await mailTo(api.sesEndpoint, email)).filter((m) => m.subject.includes('initialisation'));
  return mails.map((m) => remember(/#token=([\w-]+)/.exec(m.body.text)![1]!));
}

const reset = (token: string, nir: string, newCode: string) =>
  api.call('POST', '/v1/code/reset', {
    body: { token, nir: remember(nir), newCode: remember(newCode), newCodeConfirmation: newCode },
  });

const login = (nir: string, code: string, deviceToken?: string) =>
  api.call('POST', '/v1/login', { body: { nir, code: remember(code) }, headers: deviceCookieHeader(deviceToken) });

async function deactivate(nir: string): Promise<void> {
  const key = await nirLookupKey(await api.services.nirLookupHasher(), nir as never);
  await api.table.client.send(
    new UpdateCommand({
      TableName: api.table.name,
      Key: keys.member(key),
      UpdateExpression: 'SET deactivatedAt = :now',
      ExpressionAttributeValues: { ':now': Date.now() },
    }),
  );
}

describe('reset link by email', () => {
  it('arrives with a link to the portal, works once, and a second use is INVALID_RESET_TOKEN', async () => {
    const member = await addMember(api, { initialCode: remember('469135') });
    expect((await forgot(member.nir)).status).toBe(202);
    const mails = (await mailTo(api.sesEndpoint, member.email)).filter((m) => m.subject.includes('initialisation'));
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    // The token travels in the fragment: browsers and proxies neither send nor log it.
    expect(mail.body.text).toContain(`${api.env['PORTAL_BASE_URL']}/mot-de-passe/reinitialiser#token=`);
    expect(mail.body.html).toContain('href="http://localhost:5173/mot-de-passe/reinitialiser#token=');
    expect(mail.body.text).not.toContain('?token=');
    const [token] = await resetLinks(member.email);

    const first = await reset(token!, member.nir, '583927');
    expect(first.status).toBe(200);
    expect(first.json.status).toBe('CODE_CHANGED');
    // Resetting does not sign the member in.
    expect(first.json.accessToken).toBeUndefined();
    expect(first.headers.getSetCookie()).toEqual([]);
    expect((await reset(token!, member.nir, '740386')).json.error.code).toBe('INVALID_RESET_TOKEN');

    // The new code is the right one; this browser was never trusted, so the mailbox is asked first.
    const next = await login(member.nir, '583927');
    expect(next.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(next.json.challenge);
    expect((await login(member.nir, member.initialCode)).json.error.code).toBe('INVALID_CREDENTIALS');
    const notices = (await mailTo(api.sesEndpoint, member.email)).filter((m) => m.subject.includes('modifié'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body.text).not.toContain(token!);
  });

  it('a newer link cancels the older one', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    await forgot(member.nir);
    await forgot(member.nir);
    const [older, newer] = await resetLinks(member.email);
    expect(older).not.toBe(newer);
    expect((await reset(older!, member.nir, '583927')).json.error.code).toBe('INVALID_RESET_TOKEN');
    expect((await reset(newer!, member.nir, '583927')).status).toBe(200);
  });

  it('changes nothing until the link is used: the current code still works', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    await forgot(member.nir);
    expect((await login(member.nir, member.initialCode)).json.status).toBe('CODE_CHANGE_REQUIRED');
  });

  it('a reset revokes every session', async () => {
    const member = await signedInMember(api, { remember });
    const { session } = member;
    await forgot(member.nir);
    const [token] = await resetLinks(member.email);
    expect((await reset(token!, member.nir, '740386')).status).toBe(200);
    expect(
      (await api.call('GET', '/v1/me', { headers: { Authorization: `Bearer ${session.json.accessToken}` } })).status,
    ).toBe(401);
    expect(
      (await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(refreshTokenFrom(session)!) })).status,
    ).toBe(401);
  });

  it('refuses a weak code, a mismatch, or a token that is not one', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    await forgot(member.nir);
    const [token] = await resetLinks(member.email);
    expect((await reset(token!, member.nir, '123456')).json.error.code).toBe('WEAK_CODE');
    // The whole blocklist applies, a window of the member's own NIR included.
    const window = nirWindows(member.nir).find((w) => !weakCodeReason(parseCode(w)))!;
    const fromNir = await reset(token!, member.nir, window);
    expect(fromNir.json.error).toMatchObject({ code: 'WEAK_CODE', fields: { newCode: 'FROM_NIR' } });
    const mismatch = await api.call('POST', '/v1/code/reset', {
      body: { token, nir: member.nir, newCode: '583927', newCodeConfirmation: '583928' },
    });
    expect(mismatch.json.error.code).toBe('CODE_CONFIRMATION_MISMATCH');
    expect(
      (await api.call('POST', '/v1/code/reset', { body: { token, newCode: '583927', newCodeConfirmation: '583927' } }))
        .json.error.code,
    ).toBe('MALFORMED_REQUEST');
    expect((await reset('not-a-token', member.nir, '583927')).json.error.code).toBe('INVALID_RESET_TOKEN');
    expect((await reset('x'.repeat(43), member.nir, '583927')).json.error.code).toBe('INVALID_RESET_TOKEN');
    // The link survived the refused attempts: none of them reached it.
    expect((await reset(token!, member.nir, '583927')).status).toBe(200);
  });

  it('a stolen reset mail alone cannot set a code: another NIR is INVALID_RESET_TOKEN, and after 3 the link is dead', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    await forgot(member.nir);
    const [token] = await resetLinks(member.email);
    for (let i = 0; i < 3; i++)
      expect((await reset(token!, uniqueNir(), '583927')).json.error.code).toBe('INVALID_RESET_TOKEN');
    expect((await reset(token!, member.nir, '583927')).json.error.code).toBe('INVALID_RESET_TOKEN');
    expect((await login(member.nir, member.initialCode)).json.status).toBe('CODE_CHANGE_REQUIRED');
  });

  it('a stolen reset mail gets 3 guesses of the NIR in all, however many are sent at once', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    await forgot(member.nir);
    const [token] = await resetLinks(member.email);
    // 30 guesses at once, the member's own NIR among the last: the link counts each before comparing.
    const guesses = [...Array.from({ length: 29 }, () => uniqueNir()), member.nir];
    const replies = await Promise.all(guesses.map((nir) => reset(token!, nir, '583927')));
    expect(replies.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    // Spent (3 uses counted) or used by the right NIR (gone): never more than 3 comparisons.
    const { Item } = await api.table.client.send(
      new GetCommand({ TableName: api.table.name, Key: keys.resetLink(secretHash(token!)) }),
    );
    expect(Item === undefined || Item['uses'] === 3).toBe(true);
  });

  it('sends at most 3 reset mails per member per hour, even to 20 concurrent requests', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => api.call('POST', '/v1/code/forgot', { body: { nir: member.nir } })),
    );
    await dispatcher.drain();
    expect(replies.every((r) => r.status === 202)).toBe(true);
    expect(await resetLinks(member.email)).toHaveLength(3);
  });

  it('two concurrent resets with the same link: exactly one succeeds', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    await forgot(member.nir);
    const [token] = await resetLinks(member.email);
    const results = await Promise.all([reset(token!, member.nir, '583927'), reset(token!, member.nir, '740386')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });
});

describe('checking a reset link on arrival (POST /v1/code/reset/check)', () => {
  const check = (token: string) => api.call('POST', '/v1/code/reset/check', { body: { token } });

  it('says a good link is good, as often as asked, without spending any of its 3 uses', async () => {
    const member = await addMember(api, { initialCode: remember('469135') });
    await forgot(member.nir);
    const [token] = await resetLinks(member.email);
    for (let i = 0; i < 5; i++) {
      const reply = await check(token!);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ status: 'RESET_LINK_VALID', expiresAt: expect.stringMatching(/^\d{4}-.*Z$/) });
    }
    const inAnHour = Date.parse((await check(token!)).json.expiresAt) - Date.now();
    expect(inAnHour).toBeGreaterThan(55 * 60_000);
    expect(inAnHour).toBeLessThanOrEqual(60 * 60_000);
    // Two wrong NIRs spend two of the three uses; the check still finds it, and the right NIR still works.
    const other = remember(uniqueNir());
    await reset(token!, other, '583927');
    await reset(token!, other, '583927');
    expect((await check(token!)).status).toBe(200);
    expect((await reset(token!, member.nir, '583927')).status).toBe(200);
  });

  it('a used, replaced or deactivated member’s link, or one that is not a token, is INVALID_RESET_TOKEN', async () => {
    const member = await addMember(api, { initialCode: remember('469135') });
    await forgot(member.nir);
    await forgot(member.nir);
    const [older, newer] = await resetLinks(member.email);
    expect((await check(older!)).json.error.code).toBe('INVALID_RESET_TOKEN');
    expect((await check(newer!)).status).toBe(200);
    expect((await reset(newer!, member.nir, '583927')).status).toBe(200);
    expect((await check(newer!)).json.error.code).toBe('INVALID_RESET_TOKEN');
    expect((await check('not-a-token')).json.error.code).toBe('INVALID_RESET_TOKEN');
    expect((await api.call('POST', '/v1/code/reset/check', { body: {} })).status).toBe(400);

    const leaving = await addMember(api, { initialCode: remember('469135') });
    await forgot(leaving.nir);
    const [link] = await resetLinks(leaving.email);
    await deactivate(leaving.nir);
    const refused = await check(link!);
    expect({ status: refused.status, code: refused.json.error.code }).toEqual({
      status: 400,
      code: 'INVALID_RESET_TOKEN',
    });
  });
});

describe('the answer reveals no account', () => {
  it('is byte-identical for unknown, with email, without email and deactivated NIRs', async () => {
    const withEmail = await addMember(api, { initialCode: '469135' });
    const withoutEmail = await addMember(api, { initialCode: '469135', email: '' });
    const deactivated = await addMember(api, { initialCode: '469135' });
    await deactivate(deactivated.nir);
    const replies = await Promise.all(
      [uniqueNir(), withEmail.nir, withoutEmail.nir, deactivated.nir].map((nir) => forgot(nir)),
    );
    for (const reply of replies) {
      expect(reply.status).toBe(202);
      expect(reply.text).toBe(replies[0]!.text);
    }
    expect(replies[0]!.json).toEqual({ status: 'REQUEST_ACCEPTED', message: expect.stringContaining('48 heures') });
    // Nothing for the deactivated member.
    expect(await mailTo(api.sesEndpoint, deactivated.email)).toEqual([]);
  });

  it('takes the same time whatever the branch (Mann-Whitney U over 200 requests each)', async () => {
    const withEmail = await addMember(api, { initialCode: '469135' });
    const withoutEmail = await addMember(api, { initialCode: '469135', email: '' });
    const deactivated = await addMember(api, { initialCode: '469135' });
    await deactivate(deactivated.nir);
    const branches = {
      unknown: uniqueNir(),
      email: withEmail.nir,
      letter: withoutEmail.nir,
      deactivated: deactivated.nir,
    };
    const samples: Record<string, number[]> = { unknown: [], email: [], letter: [], deactivated: [] };
    const ask = async (nir: string) => {
      // Timed inside the function, as a caller would see it minus the network: no HTTP client or
      // socket in the measure for a busy machine's scheduler to skew.
      const { status, handlerMs } = await api.invoke('POST', '/v1/code/forgot', { body: { nir: remember(nir) } });
      expect(status).toBe(202);
      // The handed-off work is finished before the next request, so it weighs on none of them.
      await dispatcher.drain();
      return handlerMs;
    };
    // Warm every path first (cold handlers, connections).
    for (const nir of Object.values(branches)) await ask(nir);
    // Interleaved in a random order each round: a slow moment of the machine falls on every branch alike.
    for (let round = 0; round < 200; round++) {
      const order = Object.entries(branches).sort(() => Math.random() - 0.5);
      for (const [branch, nir] of order) samples[branch]!.push(await ask(nir));
    }
    for (const branch of ['email', 'letter', 'deactivated']) {
      const z = mannWhitneyZ(samples['unknown']!, samples[branch]!);
      expect({ branch, distinguishable: Math.abs(z) > 4 }).toEqual({ branch, distinguishable: false });
    }
  });
});

/** Normal approximation of the Mann-Whitney U statistic: |z| > 4 is p < 1e-4. */
function mannWhitneyZ(a: number[], b: number[]): number {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  let rankSumA = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k]!.g === 0) rankSumA += rank;
    i = j + 1;
  }
  const n1 = a.length;
  const n2 = b.length;
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12);
  return (u - mean) / sd;
}

describe('postal letters', () => {
  it('a member without email gets one letter request, however many times they ask', async () => {
    const member = await addMember(api, { initialCode: '469135', email: '' });
    await Promise.all(
      Array.from({ length: 20 }, () => api.call('POST', '/v1/code/forgot', { body: { nir: member.nir } })),
    );
    await dispatcher.drain();
    const pending = await pendingLettersFor(member.nir);
    expect(pending).toBe(1);
  });
});

describe('letter codes', () => {
  it('cannot be derived with the pepper key that every sign-in function holds (a key of their own)', async () => {
    const member = await addMember(api, { initialCode: '469135', email: '' });
    await forgot(member.nir);
    const key = await nirLookupKey(await api.services.nirLookupHasher(), member.nir);
    const letterId = (await api.services.members().get(key))!.letterOutstandingId!;
    const report = await (
      await api.services.letterExport(new LocalLetterFiles(await mkdtemp(join(tmpdir(), 'letters-key-'))))
    ).run();
    const row = (await readFile(report.files[0]!.location, 'utf8'))
      .split('\r\n')
      .map((l) => l.split(','))
      .find((r) => r[0] === letterId)!;
    const temporaryCode = remember(row[8]!);
    const pepper = await LocalHmacKey.fromFile(join(api.env['LOCAL_KEYS_DIR']!, CODE_PEPPER_KEY_FILE));
    const letterKey = await LocalHmacKey.fromFile(join(api.env['LOCAL_KEYS_DIR']!, LETTER_CODE_KEY_FILE));
    expect(await temporaryCodeFor(letterKey, letterId)).toBe(temporaryCode);
    expect(await temporaryCodeFor(pepper, letterId)).not.toBe(temporaryCode);
  });
});

describe('the letter, end to end', () => {
  it('the exported temporary code opens CODE_CHANGE_REQUIRED, the current code works until it is used, then neither', async () => {
    const member = await addMember(api, { initialCode: '469135', email: '' });
    expect((await forgot(member.nir)).status).toBe(202);
    const key = await nirLookupKey(await api.services.nirLookupHasher(), member.nir);
    const letterId = (await api.services.members().get(key))!.letterOutstandingId;
    expect(letterId).toBeDefined();
    const dir = await mkdtemp(join(tmpdir(), 'letters-e2e-'));
    const report = await (await api.services.letterExport(new LocalLetterFiles(dir))).run();
    expect(report.files).toHaveLength(1);
    const csv = await readFile(report.files[0]!.location, 'utf8');
    const row = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(','))
      .find((r) => r[0] === letterId);
    const temporaryCode = remember(row![8]!);

    expect((await login(member.nir, member.initialCode)).json.status).toBe('CODE_CHANGE_REQUIRED');
    expect((await login(member.nir, temporaryCode)).json.status).toBe('CODE_CHANGE_REQUIRED');
    const changed = await api.call('POST', '/v1/code/change', {
      body: { nir: member.nir, currentCode: temporaryCode, newCode: remember('583927'), newCodeConfirmation: '583927' },
    });
    expect(changed.status).toBe(200);
    expect((await login(member.nir, temporaryCode)).json.error.code).toBe('INVALID_CREDENTIALS');
    expect((await login(member.nir, member.initialCode)).json.error.code).toBe('INVALID_CREDENTIALS');
    expect((await login(member.nir, '583927')).json.status).toBe('TERMS_ACCEPTANCE_REQUIRED');
  });
});

async function pendingLettersFor(nir: string): Promise<number> {
  const key = await nirLookupKey(await api.services.nirLookupHasher(), nir as never);
  const { DynamoLetterStore } = await import('../../lambdas/adapters/dynamo/letter-store.ts');
  const letters = await new DynamoLetterStore(api.table).list('PENDING');
  return letters.filter((l) => l.memberKey === key).length;
}

describe('logs', () => {
  // Every test above is also checked after it runs (secretWatch): this one needs no other test.
  it('a forgotten code, its reset link, a wrong NIR and the reset leave no NIR, link or code in the logs', async () => {
    const before = api.logs.length;
    const member = await addMember(api, { initialCode: remember('469135') });
    await forgot(member.nir);
    const [token] = await resetLinks(member.email);
    expect((await reset(token!, uniqueNir(), '583927')).json.error.code).toBe('INVALID_RESET_TOKEN');
    expect((await reset(token!, member.nir, '583927')).status).toBe(200);

    const logs = api.logs.slice(before);
    expect(logs.length).toBeGreaterThan(4);
    expect(secrets.foundIn(logs)).toEqual([]);
    expect(logs.join('\n')).not.toContain('token=');
  });
});
