import { mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { keys } from '../../lambdas/adapters/dynamo/table.ts';
import { nirLookupKey } from '../../lambdas/domain/nir.ts';
import {
  type ApiUnderTest,
  cookieHeader,
  deviceCookieHeader,
  mailTo,
  refreshTokenFrom,
  startApiWithTerms,
} from '../support/api-under-test.ts';
import { addMember, signedInMember, uniqueNir } from '../support/members.ts';
import { runOps, runOpsWithInput } from '../support/run-ops.ts';
import { secretWatch } from '../support/secret-watch.ts';

let api: ApiUnderTest;
const secrets = secretWatch({ logs: () => api.logs });
const remember = secrets.remember;

beforeAll(async () => {
  api = await startApiWithTerms();
});
afterAll(async () => {
  await api.stop();
});

const ops = (...args: string[]) => runOps(api.env, ...args);
/** Who the CLI records on the local stack, whatever OPERATOR says. */
const VERIFIED = `${userInfo().username}@${hostname()}`;
const login = (nir: string, code: string, deviceToken?: string) =>
  api.call('POST', '/v1/login', { body: { nir, code: remember(code) }, headers: deviceCookieHeader(deviceToken) });

/** A member who chose a personal code and accepted the terms: signed in. */
const signedIn = (clientId = '') => signedInMember(api, { clientId, userAgent: 'jest', remember });

describe('CGU 3.5: deactivating a member', () => {
  it('ends the session at once: refresh refused, /v1/me 401; a wrong code is still 401, the right one 403', async () => {
    const member = await signedIn();
    const result = await ops('deactivate-member', '--nir', member.nir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('deactivated');
    expect(result.stdout).not.toContain(member.nir);

    const bearer = { Authorization: `Bearer ${member.session.json.accessToken}` };
    expect((await api.call('GET', '/v1/me', { headers: bearer })).status).toBe(401);
    expect(
      (await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(refreshTokenFrom(member.session)!) }))
        .status,
    ).toBe(401);
    expect((await login(member.nir, '802467')).json.error.code).toBe('INVALID_CREDENTIALS');
    expect((await login(member.nir, '583927')).json.error.code).toBe('ACCOUNT_DEACTIVATED');
    expect((await ops('deactivate-member', '--nir', member.nir)).stdout).toContain('already deactivated');
  });

  it('sends no reset mail and queues no letter, with the same answer as for anyone', async () => {
    const withEmail = await addMember(api, { initialCode: '469135' });
    const withoutEmail = await addMember(api, { initialCode: '469135', email: '' });
    await ops('deactivate-member', '--nir', withEmail.nir);
    await ops('deactivate-member', '--nir', withoutEmail.nir);
    const replies = await Promise.all(
      [withEmail.nir, withoutEmail.nir, uniqueNir()].map((nir) =>
        api.call('POST', '/v1/code/forgot', { body: { nir } }),
      ),
    );
    await api.jobs.drain();
    expect(new Set(replies.map((r) => `${r.status} ${r.text}`)).size).toBe(1);
    expect(await mailTo(api.sesEndpoint, withEmail.email)).toEqual([]);
    expect((await ops('member-status', '--nir', withoutEmail.nir)).stdout).toMatch(/letter\s+none/);
  });

  it('reactivation restores sign-in but not the sessions revoked nor the devices trusted before', async () => {
    const member = await signedIn();
    expect((await login(member.nir, '583927', member.deviceToken)).json.status).toBe('AUTHENTICATED');
    await ops('deactivate-member', '--nir', member.nir);
    const back = await ops('reactivate-member', '--nir', member.nir);
    expect(back.stdout).toContain('reactivated');
    // The right code is taken again; the browser trusted before the deactivation must prove the mailbox again.
    const again = await login(member.nir, '583927', member.deviceToken);
    expect(again.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(again.json.challenge);
    expect(
      (await api.call('GET', '/v1/me', { headers: { Authorization: `Bearer ${member.session.json.accessToken}` } }))
        .status,
    ).toBe(401);
  });
});

describe('CGU 3.6: deactivating a client company', () => {
  it('deactivates its members, and members imported to it later too; reactivation gives access back', async () => {
    const client = `ACME-${Date.now()}`;
    const member = await signedIn(client);
    const result = await ops('deactivate-client', '--client', client);
    expect(result.stdout).toContain('1 members deactivated now');
    expect((await login(member.nir, '583927')).json.error.code).toBe('ACCOUNT_DEACTIVATED');

    // Imported after the client's deactivation.
    const late = uniqueNir();
    const dir = await mkdtemp(join(tmpdir(), 'import-'));
    const csv = join(dir, 'late.csv');
    await writeFile(
      csv,
      `nir,lastName,firstName,email,addressLine1,addressLine2,postalCode,city,country,clientId,initialCode\n${late},Tard,Venu,venu@example.org,,,,,,${client},469135\n`,
    );
    expect((await ops('import-members', csv)).stdout).toContain('imported 1, updated 0, unchanged 0, rejected 0');
    expect((await login(late, '469135')).json.error.code).toBe('ACCOUNT_DEACTIVATED');
    expect((await ops('member-status', '--nir', late)).stdout).toMatch(
      new RegExp(`deactivated\\s+yes, since .* \\(with client ${client}, by ${VERIFIED}\\)`),
    );

    // A member of a deactivated client cannot be reactivated alone.
    expect((await ops('reactivate-member', '--nir', late)).code).toBe(1);
    expect((await ops('reactivate-client', '--client', client)).stdout).toContain('2 members reactivated');
    const back = await login(member.nir, '583927', member.deviceToken);
    expect(back.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
    remember(back.json.challenge);
    expect((await login(late, '469135')).json.status).toBe('CODE_CHANGE_REQUIRED');
  });
});

describe('the operator CLI and NIRs (security review, item 7)', () => {
  it('reads a NIR from standard input (--nir -), kept out of the shell history and of ps', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    remember(member.nir);
    const status = await runOpsWithInput(api.env, `${member.nir}\n`, 'member-status', '--nir', '-');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/member\s+yes/);
    expect(status.stdout + status.stderr).not.toContain(member.nir);
  });

  it('never echoes a NIR typed in the wrong place', async () => {
    const nir = remember(uniqueNir());
    const spaced = `${nir.slice(0, 1)} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5, 7)} ${nir.slice(7, 10)} ${nir.slice(10, 13)} ${nir.slice(13)}`;
    for (const args of [
      ['member-status', nir],
      ['member-status', '--nir', nir, spaced],
      [nir],
      ['audit', '--since', nir, '--nir', nir],
    ]) {
      const run = await ops(...args);
      expect(run.code).not.toBe(0);
      expect(`${run.stdout}${run.stderr}`).not.toContain(nir.slice(3, 9));
      expect(`${run.stdout}${run.stderr}`).not.toContain(spaced.slice(2, 10));
    }
  });

  it('refuses terms published at a javascript: URL (or any but https, http only for localhost)', async () => {
    for (const url of ['javascript:alert(1)', 'http://portal.example/cgu', 'data:text/html,<p>CGU</p>']) {
      const run = await ops('publish-terms', '--version', 'evil', '--url', url);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('https');
    }
    expect((await api.call('GET', '/v1/terms/current')).json.version).toBe('2026-01');
  });

  it('removes the NIR window digests kept by earlier versions (migration), and an import removes them too', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    const key = await nirLookupKey(await api.services.nirLookupHasher(), member.nir);
    const plant = () =>
      api.table.client.send(
        new UpdateCommand({
          TableName: api.table.name,
          Key: keys.member(key),
          UpdateExpression: 'SET nirWindowDigests = :d',
          ExpressionAttributeValues: { ':d': ['d1', 'd2'] },
        }),
      );
    const digests = async () => (await api.services.members().get(key)) as unknown as Record<string, unknown>;
    await plant();
    const purged = await ops('purge-nir-digests');
    expect(purged.code).toBe(0);
    expect(purged.stdout).toMatch(/removed the NIR window digests of \d+ member/);
    expect((await digests())['nirWindowDigests']).toBeUndefined();
    expect((await ops('purge-nir-digests')).stdout).toContain('nothing changed');
    await plant();
    await addMember(api, { initialCode: '469135', nir: member.nir });
    expect((await digests())['nirWindowDigests']).toBeUndefined();
  });
});

describe('customer service: member-status and audit', () => {
  it('answer the troubleshooting questions after a scripted journey', async () => {
    const member = await signedIn();
    await login(member.nir, '802467');
    await ops('deactivate-member', '--nir', member.nir);

    const status = await ops('member-status', '--nir', member.nir);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/member\s+yes/);
    expect(status.stdout).toMatch(/personal code chosen\s+yes, \d{4}-\d\d-\d\dT/);
    expect(status.stdout).toMatch(/terms accepted\s+2026-01, .* \(current\)/);
    expect(status.stdout).toMatch(/email on file\s+m•••@example\.org/);
    expect(status.stdout).toContain(`(member, by ${VERIFIED})`);
    expect(status.stdout).toMatch(/failed attempts \(24 h\)\s+1/);
    expect(status.stdout).not.toContain(member.nir);
    expect(status.stdout).not.toContain(member.email);

    const audit = await ops('audit', '--nir', member.nir);
    const events = audit.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/)[1]);
    // Newest first; events of one request may share a millisecond, so the older ones as a set.
    expect(events.slice(0, 2)).toEqual(['MEMBER_DEACTIVATED', 'LOGIN_FAILED']);
    expect(new Set(events.slice(2))).toEqual(
      new Set([
        'SESSION_STARTED',
        'TERMS_ACCEPTED',
        'LOGIN_TERMS_ACCEPTANCE_REQUIRED',
        'CODE_CHANGED_NOTICE_SENT',
        'CODE_CHANGED',
        // The first sign-in from the browser proved the mailbox, and the member trusted the browser.
        'LOGIN_DEVICE_VERIFICATION_REQUIRED',
        'DEVICE_CODE_SENT',
        'DEVICE_VERIFIED',
        'DEVICE_ADDED',
        'NEW_DEVICE_NOTICE_SENT',
      ]),
    );
    // The verified identity, and the name given in OPERATOR beside it as a claim.
    expect(audit.stdout).toMatch(
      new RegExp(`MEMBER_DEACTIVATED\\s+SUCCESS\\s+operator=${VERIFIED.replace(/\./g, '\\.')} claimed=agent\\.test`),
    );
    expect(audit.stdout).toMatch(/LOGIN_FAILED\s+FAILURE\s+ip=\S+ request=\S+/);
    expect((await ops('audit', '--nir', member.nir, '--since', '2999-01-01')).stdout).toContain('no events');
  });

  it('an unknown NIR is answered plainly, and a bad one refused', async () => {
    expect((await ops('member-status', '--nir', uniqueNir())).stdout).toMatch(/member\s+no such member/);
    const bad = await ops('member-status', '--nir', '295109912611199');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('valid NIR');
  });

  it('the audit table holds no NIR, code, token or link', async () => {
    // Its own journey: the check needs no other test.
    const member = await signedIn();
    await login(member.nir, '802467');
    await api.call('POST', '/v1/code/forgot', { body: { nir: member.nir } });
    await api.jobs.drain();
    const links = (await mailTo(api.sesEndpoint, member.email)).map((m) => /#token=([\w-]+)/.exec(m.body.text)?.[1]);
    expect(links.filter(Boolean)).toHaveLength(1);
    for (const link of links) remember(link);
    await ops('deactivate-member', '--nir', member.nir);

    const key = await nirLookupKey(await api.services.nirLookupHasher(), member.nir as never);
    const { Items = [] } = await api.table.client.send(new ScanCommand({ TableName: api.table.name }));
    const audit = Items.filter((i) => String(i['pk']).startsWith('AUDIT#'));
    expect(audit.filter((i) => String(i['pk']).endsWith(key)).length).toBeGreaterThanOrEqual(8);
    expect(secrets.foundIn(audit.map((i) => JSON.stringify(i)))).toEqual([]);
  });
});
