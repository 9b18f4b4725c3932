import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type ApiUnderTest,
  deviceCookieHeader,
  refreshTokenFrom,
  startApiWithTerms,
} from '../support/api-under-test.ts';
import { addMember, signedInMember, uniqueNir } from '../support/members.ts';
import { runOps } from '../support/run-ops.ts';

/** The operators' view (issue 10): help, exit codes, JSON for scripts, dry runs, sessions. */
let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiWithTerms();
});
afterAll(async () => {
  await api.stop();
});

const ops = (...args: string[]) => runOps(api.env, ...args);

const signedIn = () => signedInMember(api, { userAgent: 'Firefox/140 (cli test)' });

describe('help, version and exit codes', () => {
  it('--help lists every command and exits 0; a command’s --help gives its usage', async () => {
    const help = await ops('--help');
    expect(help.code).toBe(0);
    for (const name of [
      'import-members',
      'member-status',
      'audit',
      'unlock',
      'sessions',
      'sign-out',
      'devices',
      'forget-devices',
      'rotate-signing-key',
    ])
      expect(help.stdout).toContain(name);
    const one = await ops('import-members', '--help');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/Usage: npm run -s ops -- import-members <file.csv> \[--dry-run\] \[--json\]/);
  });

  it('--version prints the version', async () => {
    const version = await ops('--version');
    expect({ code: version.code, out: version.stdout.trim() }).toEqual({
      code: 0,
      out: expect.stringMatching(/^member-portal-auth \d+\.\d+\.\d+$/),
    });
  });

  it('a command not understood exits 2 and points at --help; one that cannot be done exits 1', async () => {
    for (const args of [
      ['no-such-command'],
      ['audit', '--nirr', 'x'],
      ['member-status'],
      ['deactivate-client'],
      ['export-letters'],
    ]) {
      const run = await ops(...args);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toContain('--help');
    }
    expect((await ops('deactivate-member', '--nir', uniqueNir())).code).toBe(1);
    expect((await ops()).code).toBe(2);
  });
});

describe('JSON for scripts', () => {
  it('member-status --json is one JSON document, NIR masked', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    const run = await ops('member-status', '--nir', member.nir, '--json');
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      exists: true,
      nir: `${member.nir[0]} ${member.nir.slice(1, 3)} ** ** *** *** ${member.nir.slice(13)}`,
      failuresLast24h: 0,
    });
    expect(run.stdout).not.toContain(member.nir);
  });

  it('audit --json lists the events', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    await api.call('POST', '/v1/login', { body: { nir: member.nir, code: '802467' } });
    const doc = JSON.parse((await ops('audit', '--nir', member.nir, '--json')).stdout) as {
      events: Array<{ event: string }>;
    };
    expect(doc.events.map((e) => e.event)).toEqual(['LOGIN_FAILED']);
  });

  it('import-members --json reports counts and rejections by line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-import-'));
    const file = join(dir, 'members.csv');
    await writeFile(
      file,
      'nir,lastName,firstName,email,addressLine1,addressLine2,postalCode,city,country,clientId,initialCode\n' +
        `${uniqueNir()},Dubois,Claire,c@example.org,,,,,,,469135\n${uniqueNir()},Martin,Jean,j@example.org,,,,,,,123456\n`,
    );
    const run = await ops('import-members', file, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      dryRun: false,
      imported: 1,
      updated: 0,
      unchanged: 0,
      rejected: 1,
      rejections: [{ line: 3, reason: expect.stringContaining('RUN') }],
    });
  });

  it('export-letters --json reports the files written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-letters-'));
    const doc = JSON.parse((await ops('export-letters', '--out', dir, '--json')).stdout) as {
      exported: number;
      files: unknown[];
    };
    expect(doc).toMatchObject({
      exported: expect.any(Number),
      cancelled: expect.any(Number),
      files: expect.any(Array),
    });
  });
});

describe('dry runs change nothing', () => {
  it('import-members --dry-run says what would be created or updated, and imports nothing', async () => {
    const known = await addMember(api, { initialCode: '469135' });
    const fresh = uniqueNir();
    const dir = await mkdtemp(join(tmpdir(), 'cli-dry-'));
    const file = join(dir, 'members.csv');
    await writeFile(
      file,
      'nir,lastName,firstName,email,addressLine1,addressLine2,postalCode,city,country,clientId,initialCode\n' +
        `${known.nir},Dubois,Claire,c@example.org,,,,,,,469135\n${fresh},Martin,Jean,j@example.org,,,,,,,469135\n`,
    );
    const run = await ops('import-members', file, '--dry-run');
    expect(run.stdout).toContain('dry run: would import 1, update 1, leave 0 unchanged, reject 0; nothing changed');
    expect((await ops('member-status', '--nir', fresh)).stdout).toMatch(/member\s+no such member/);
  });

  it('deactivate-client --dry-run counts the members it would deactivate, and deactivates none', async () => {
    const client = `DRY-${Date.now()}`;
    const member = await addMember(api, { initialCode: '469135', clientId: client });
    const run = await ops('deactivate-client', '--client', client, '--dry-run');
    expect(run.stdout).toContain(
      `dry run: client ${client} — 1 members would be deactivated, 0 already are; nothing changed`,
    );
    expect((await api.call('POST', '/v1/login', { body: { nir: member.nir, code: '469135' } })).json.status).toBe(
      'CODE_CHANGE_REQUIRED',
    );
  });
});

describe("a member's sessions", () => {
  it('sessions lists them (started, last refresh, source IP, user agent); sign-out ends them all without deactivating', async () => {
    const member = await signedIn();
    const listed = JSON.parse((await ops('sessions', '--nir', member.nir, '--json')).stdout) as {
      sessions: Array<Record<string, unknown>>;
    };
    expect(listed.sessions).toEqual([
      {
        startedAt: expect.any(Number),
        lastRefreshAt: expect.any(Number),
        sourceIp: expect.any(String),
        userAgent: 'Firefox/140 (cli test)',
      },
    ]);
    const out = await ops('sign-out', '--nir', member.nir);
    expect(out.stdout).toContain('1 session ended');
    expect(
      (
        await api.call('POST', '/v1/session/refresh', {
          headers: { Cookie: `__Secure-mp_refresh=${refreshTokenFrom(member.session)}` },
        })
      ).status,
    ).toBe(401);
    expect((await ops('sessions', '--nir', member.nir)).stdout).toContain('no active session');
    expect((await ops('audit', '--nir', member.nir)).stdout).toMatch(
      /SESSION_REVOKED\s+SUCCESS\s+operator=\S+ claimed=agent\.test .*reason=OPERATOR/,
    );
    // Not deactivated: the member signs in again.
    const again = await api.call('POST', '/v1/login', {
      body: { nir: member.nir, code: '583927' },
      headers: deviceCookieHeader(member.deviceToken),
    });
    expect(again.json.status).toBe('AUTHENTICATED');
  });
});

describe("a member's trusted devices", () => {
  it('devices lists them (label, trusted since, last used) without their ids; forget-devices forgets them all, audited', async () => {
    const member = await signedIn();
    const listed = JSON.parse((await ops('devices', '--nir', member.nir, '--json')).stdout) as {
      nir: string;
      devices: Array<Record<string, unknown>>;
    };
    expect(listed.nir).not.toBe(member.nir);
    expect(listed.devices).toEqual([
      { label: 'Firefox', trustedSince: expect.any(Number), lastUsedAt: expect.any(Number) },
    ]);
    const out = await ops('forget-devices', '--nir', member.nir);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('forgot 1 trusted device of');
    expect((await ops('devices', '--nir', member.nir)).stdout).toContain('no trusted device');
    expect((await ops('audit', '--nir', member.nir)).stdout).toMatch(
      /DEVICE_FORGOTTEN\s+SUCCESS\s+operator=\S+ claimed=agent\.test .*reason=OPERATOR/,
    );
    // The forgotten browser must prove the mailbox again.
    const again = await api.call('POST', '/v1/login', {
      body: { nir: member.nir, code: member.personalCode },
      headers: deviceCookieHeader(member.deviceToken),
    });
    expect(again.json.status).toBe('DEVICE_VERIFICATION_REQUIRED');
  });
});
