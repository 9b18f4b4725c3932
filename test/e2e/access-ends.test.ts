import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoAccessEndSchedule } from '../../lambdas/adapters/dynamo/access-end-schedule.ts';
import { keys } from '../../lambdas/adapters/dynamo/table.ts';
import { parisDay, parisMidnight } from '../../lambdas/domain/access-end.ts';
import { nirLookupKey } from '../../lambdas/domain/nir.ts';
import { type ApiUnderTest, cookieHeader, refreshTokenFrom, startApiWithTerms } from '../support/api-under-test.ts';
import { asFunction } from '../support/aws-rules/call-recorder.ts';
import { signedInMember } from '../support/members.ts';
import { runOps } from '../support/run-ops.ts';
import { secretWatch } from '../support/secret-watch.ts';

/**
 * The membership feed's end dates end to end (operations.md, "membership at scale"): through the
 * operator CLI and the API, and the hourly run as its function, its AWS calls checked against its
 * role in the synthesised template.
 */
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
const login = (nir: string, code: string) =>
  api.call('POST', '/v1/login', { body: { nir: remember(nir), code: remember(code) } });
const HEADER = 'nir,lastName,firstName,email,addressLine1,addressLine2,postalCode,city,country,clientId,initialCode';

async function file(name: string, lines: string[]): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'feed-')), name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

const today = () => parisDay(Date.now());
const yesterday = () => parisDay(Date.now() - 24 * 60 * 60 * 1000);

describe('a member’s endDate', () => {
  it('already passed in the file: access ends at once — the right code 403, a wrong one still 401, the session gone; member-status says when', async () => {
    const member = await signedInMember(api, { remember });
    const csv = await file('members.csv', [
      `${HEADER},endDate`,
      `${member.nir},Dubois,Claire,${member.email},,,,,,,469135,${yesterday()}`,
    ]);
    const imported = await ops('import-members', csv);
    expect(imported.stdout).toContain('imported 0, updated 1, unchanged 0, rejected 0');
    expect((await login(member.nir, '802467')).json.error.code).toBe('INVALID_CREDENTIALS');
    const refused = await login(member.nir, member.personalCode);
    expect({ status: refused.status, code: refused.json.error.code }).toEqual({
      status: 403,
      code: 'ACCOUNT_DEACTIVATED',
    });
    const bearer = { Authorization: `Bearer ${member.session.json.accessToken}` };
    expect((await api.call('GET', '/v1/me', { headers: bearer })).status).toBe(401);
    expect(
      (await api.call('POST', '/v1/session/refresh', { headers: cookieHeader(refreshTokenFrom(member.session)!) }))
        .status,
    ).toBe(401);
    const status = await ops('member-status', '--nir', member.nir);
    expect(status.stdout).toMatch(/end of access\s+member: /);
    expect((await ops('audit', '--nir', member.nir)).stdout).toMatch(/MEMBER_DEACTIVATED\s+SUCCESS.*trigger=END_DATE/);
  });

  it('the day comes: sign-in and sessions refuse at 00:00 without waiting, then the hourly run records it as its function may', async () => {
    const member = await signedInMember(api, { remember });
    const key = await nirLookupKey(await api.services.nirLookupHasher(), member.nir as never);
    // As if a file had set today's date yesterday: the date is on the member, the entry in the schedule.
    const at = parisMidnight(today());
    await api.table.client.send(
      new UpdateCommand({
        TableName: api.table.name,
        Key: keys.member(key),
        UpdateExpression: 'SET accessEndsAt = :at',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
    await new DynamoAccessEndSchedule(api.table).schedule(today(), { kind: 'MEMBER', id: key });
    const bearer = { Authorization: `Bearer ${member.session.json.accessToken}` };
    expect((await api.call('GET', '/v1/me', { headers: bearer })).status).toBe(401);
    expect((await login(member.nir, member.personalCode)).json.error.code).toBe('ACCOUNT_DEACTIVATED');

    const { handler } = await import('../../lambdas/handlers/access-ends.ts');
    await asFunction('access-ends', () => handler({}, { awsRequestId: 'scheduled-test' }));
    const audit = (await ops('audit', '--nir', member.nir)).stdout;
    expect(audit).toMatch(/MEMBER_DEACTIVATED\s+SUCCESS.*trigger=END_DATE/);
    expect(audit).toContain('scheduled:access-ends');
    // Run again (EventBridge retries): nothing more.
    await asFunction('access-ends', () => handler({}, { awsRequestId: 'scheduled-test-2' }));
    expect((await ops('audit', '--nir', member.nir)).stdout.match(/MEMBER_DEACTIVATED/g)).toHaveLength(1);
  });
});

describe('import-clients', () => {
  it('a client company’s date copied onto its members; a past date ends them all at once; the same file again changes nothing', async () => {
    const client = `FEED-${Date.now()}`;
    const member = await signedInMember(api, { remember, clientId: client });
    const future = await file('clients.csv', ['clientId,name,endDate', `${client},Acme SA,2099-12-31`]);
    const first = await ops('import-clients', future, '--json');
    expect(JSON.parse(first.stdout.slice(first.stdout.indexOf('{')))).toMatchObject({ updated: 1, rejected: 0 });
    expect((await ops('import-clients', future)).stdout).toContain('updated 0, unchanged 1');
    expect((await ops('member-status', '--nir', member.nir)).stdout).toMatch(
      /end of access\s+client company: 2099-12-30T23:00/,
    );
    expect((await login(member.nir, member.personalCode)).json.status).toBe('DEVICE_VERIFICATION_REQUIRED');

    const past = await file('clients.csv', [
      'clientId,name,endDate',
      `${client},Acme SA,${yesterday()}`,
      'bad id!,Nope,2027-01-01',
    ]);
    const ended = await ops('import-clients', past);
    expect(ended.code).toBe(1);
    expect(ended.stdout).toContain('deactivated now 1, rejected 1');
    expect(ended.stderr).toContain('line 3: rejected — clientId must be');
    expect((await login(member.nir, member.personalCode)).json.error.code).toBe('ACCOUNT_DEACTIVATED');
  });

  it('refuses a file without its columns, naming them', async () => {
    const bad = await file('clients.csv', ['id,label', 'X,Y']);
    const result = await ops('import-clients', bad);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('header is missing column(s): clientId, name');
  });
});
