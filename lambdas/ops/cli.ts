/**
 * The operator CLI: `npm run ops -- <command>`. Against the local stack by default (start it
 * with `npm start`); environment variables point it elsewhere. It never prints a NIR or a code.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { purgeNirWindowDigests } from '../adapters/dynamo/nir-digest-purge.ts';
import { LocalLetterFiles } from '../adapters/letters/local-letter-files.ts';
import { OperatorInputError } from '../domain/errors.ts';
import { memberStatus } from '../domain/member-status.ts';
import { maskNir, type Nir, nirLookupKey } from '../domain/nir.ts';
import { systemClock } from '../domain/ports.ts';
import { rotateSigningKey } from '../domain/signing-keys.ts';
import { isAcceptableTermsUrl } from '../domain/terms.ts';
import { localEnvironment } from '../local/local-environment.ts';
import { signingKeyStore } from '../runtime/access-tokens.ts';
import {
  accessStore,
  attemptStore,
  auditTrail,
  codeHasher,
  config,
  letterExport,
  letterQueue,
  letterStore,
  memberAccess,
  members,
  nirLocks,
  nirLookupHasher,
  table,
  termsStore,
} from '../runtime/services.ts';
import { importMembersFile } from './import-members.ts';
import { maskDigitRuns, readNir } from './nir-input.ts';
import { operatorIdentity } from './operator.ts';

const USAGE = `Usage: npm run ops -- <command> [options]
  (every --nir <NIR> may be given as --nir - to read the NIR from standard input, out of the shell history)

  import-members <file.csv>                    upsert members by NIR (operations.md CSV)
  publish-terms --version <v> --url <url>      make <v> the current terms version
  request-letter --nir <NIR>                   customer service: queue a postal letter with a new code
  export-letters --out <dir>                   the letter batch: every pending letter into one CSV in <dir>
  deactivate-member --nir <NIR>                CGU 3.5: end the member's access, sessions revoked at once
  reactivate-member --nir <NIR>                give access back (sessions revoked before stay revoked)
  deactivate-client --client <id>              CGU 3.6: every member of that client company, now and imported later
  reactivate-client --client <id>              the members deactivated with their client get access back
  member-status --nir <NIR>                    customer service: the troubleshooting questions, answered
  audit --nir <NIR> [--since <YYYY-MM-DD>]     the member's authentication events, newest first
  unlock --nir <NIR>                           customer service: clear the NIR's lock, consecutive count and escalation
  purge-nir-digests                            migration: remove the NIR window digests kept by versions before 2026-11-26
  rotate-signing-key                           a new token signing key; the previous public key stays published
`;

const iso = (at: number | undefined) => (at === undefined ? '—' : new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** One context per command run: who runs it (verified, for the audit trail), and its request id. */
async function operatorContext() {
  return {
    ...(await operatorIdentity(Boolean(config().dynamodbEndpoint), config().region)),
    requestId: `ops-${randomUUID()}`,
  };
}

async function nirOption(args: string[]) {
  const { values } = parseArgs({ args, options: { nir: { type: 'string' }, since: { type: 'string' } }, strict: true });
  return { nir: await readNir(values.nir), since: values.since };
}

async function findMember(nir: Nir) {
  const key = await nirLookupKey(await nirLookupHasher(), nir);
  return { key, member: await members().get(key) };
}

async function deactivateMember(args: string[]): Promise<number> {
  const { nir } = await nirOption(args);
  const { key, member } = await findMember(nir);
  if (!member) throw new OperatorInputError(`no member with NIR ${maskNir(nir)}`);
  const done = await memberAccess().deactivateMember(key, member.memberId, await operatorContext());
  console.log(
    done
      ? `deactivated ${maskNir(nir)}: sign-in refused, every session revoked`
      : `${maskNir(nir)} was already deactivated; nothing changed`,
  );
  return 0;
}

async function reactivateMember(args: string[]): Promise<number> {
  const { nir } = await nirOption(args);
  const { key, member } = await findMember(nir);
  if (!member) throw new OperatorInputError(`no member with NIR ${maskNir(nir)}`);
  const outcome = await memberAccess().reactivateMember(key, member.memberId, member.clientId, await operatorContext());
  if (outcome === 'CLIENT_DEACTIVATED') {
    throw new OperatorInputError(
      `the client company ${member.clientId} of ${maskNir(nir)} is deactivated: reactivate the client`,
    );
  }
  console.log(
    outcome === 'REACTIVATED'
      ? `reactivated ${maskNir(nir)}: sign-in works again (old sessions stay revoked)`
      : `${maskNir(nir)} was not deactivated; nothing changed`,
  );
  return 0;
}

async function clientCommand(args: string[], deactivate: boolean): Promise<number> {
  const { values } = parseArgs({ args, options: { client: { type: 'string' } }, strict: true });
  if (!values.client) throw new OperatorInputError('--client <id> is required');
  const context = await operatorContext();
  const progress = (done: number) => console.error(`… ${done} members`);
  const access = memberAccess();
  const report = deactivate
    ? await access.deactivateClient(values.client, context, progress)
    : await access.reactivateClient(values.client, context, progress);
  console.log(
    deactivate
      ? `client ${values.client} deactivated: ${report.changed} members deactivated now, ${report.unchanged} already were`
      : `client ${values.client} reactivated: ${report.changed} members reactivated, ${report.unchanged} left as they were`,
  );
  return 0;
}

async function showMemberStatus(args: string[]): Promise<number> {
  const { nir } = await nirOption(args);
  const { key, member } = await findMember(nir);
  const status = await memberStatus(key, member, await termsStore().current(), Date.now(), {
    attempts: attemptStore(),
    letters: letterStore(),
    access: accessStore(),
  });
  const lines: Array<[string, string]> = [
    ['NIR', maskNir(nir)],
    ['member', status.exists ? 'yes' : 'no such member'],
  ];
  if (status.exists) {
    lines.push(
      [
        'personal code chosen',
        status.personalCodeChosenAt ? `yes, ${iso(status.personalCodeChosenAt)}` : 'no (initial or letter code only)',
      ],
      ['initial code', status.initialCodeValidUntil ? `valid until ${iso(status.initialCodeValidUntil)}` : '—'],
      [
        'terms accepted',
        status.acceptedTerms
          ? `${status.acceptedTerms.version}, ${iso(status.acceptedTerms.at)}${status.acceptedTerms.version === status.currentTerms ? ' (current)' : ` (current is ${status.currentTerms ?? '—'})`}`
          : `no (current is ${status.currentTerms ?? '—'})`,
      ],
      ['email on file', status.emailOnFile ?? 'no (letters by post)'],
      [
        'letter',
        status.letterPendingSince
          ? `pending since ${iso(status.letterPendingSince)}`
          : status.lastLetterSentAt
            ? `last sent ${iso(status.lastLetterSentAt)}`
            : 'none',
      ],
      [
        'deactivated',
        status.deactivated
          ? `yes, since ${iso(status.deactivated.since)} (${status.deactivated.reason === 'CLIENT' ? `with client ${status.deactivated.clientId}` : 'member'}, by ${status.deactivated.by ?? '—'})`
          : status.clientDeactivatedSince
            ? `client company deactivated since ${iso(status.clientDeactivatedSince)}`
            : 'no',
      ],
    );
  }
  lines.push(
    ['locked', status.lockedUntil ? `yes, until ${iso(status.lockedUntil)}` : 'no'],
    ['failed attempts (24 h)', String(status.failuresLast24h)],
  );
  for (const [label, value] of lines) console.log(`${label.padEnd(24)} ${value}`);
  return 0;
}

async function showAudit(args: string[]): Promise<number> {
  const { nir, since: sinceText } = await nirOption(args);
  const since = sinceText ? Date.parse(sinceText) : 0;
  if (Number.isNaN(since)) throw new OperatorInputError('--since must be a date, as YYYY-MM-DD');
  const key = await nirLookupKey(await nirLookupHasher(), nir);
  const entries = await auditTrail().list(key, since);
  if (entries.length === 0) console.log(`no events for ${maskNir(nir)}${sinceText ? ` since ${sinceText}` : ''}`);
  for (const e of entries) {
    const detail = Object.entries(e.detail ?? {}).map(([k, v]) => `${k}=${v}`);
    const who = [
      e.sourceIp && `ip=${e.sourceIp}`,
      e.operator && `operator=${e.operator}`,
      e.operatorClaim && `claimed=${e.operatorClaim}`,
      `request=${e.requestId}`,
      ...detail,
    ].filter(Boolean);
    console.log(`${iso(e.at)}  ${e.event.padEnd(32)} ${e.outcome.padEnd(8)} ${who.join(' ')}`);
  }
  return 0;
}

async function importMembers(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  const file = positionals[0];
  if (!file) throw new OperatorInputError('import-members needs a CSV file');
  const started = Date.now();
  const report = await importMembersFile(
    file,
    {
      members: members(),
      nirHasher: await nirLookupHasher(),
      codeHasher: await codeHasher(),
      clock: systemClock,
      initialCodeValidDays: config().initialCodeValidDays,
      clientAccess: { access: memberAccess(), context: await operatorContext() },
    },
    {
      rejected: (line, reason) => console.error(`line ${line}: rejected — ${maskDigitRuns(reason)}`),
      progress: (rows) => console.error(`… ${rows} rows processed (${Math.round((Date.now() - started) / 1000)} s)`),
    },
  );
  console.log(`imported ${report.imported}, updated ${report.updated}, rejected ${report.rejected}`);
  return report.rejected > 0 ? 1 : 0;
}

async function publishTerms(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { version: { type: 'string' }, url: { type: 'string' } },
    strict: true,
  });
  if (!values.version || !/^[\w.-]{1,64}$/.test(values.version))
    throw new OperatorInputError('--version is required (letters, digits, . _ -)');
  if (!values.url || !isAcceptableTermsUrl(values.url))
    throw new OperatorInputError('--url is required: an https URL (http only for localhost)');
  const before = await termsStore().current();
  await termsStore().publish({ version: values.version, url: values.url, publishedAt: Date.now() });
  console.log(
    before?.version === values.version
      ? `terms ${values.version} were already current; nothing changed`
      : `terms ${values.version} are now current (was ${before?.version ?? 'none'}); every member accepts them at next sign-in`,
  );
  return 0;
}

async function requestLetter(args: string[]): Promise<number> {
  const { nir } = await nirOption(args);
  const { member } = await findMember(nir);
  if (!member) throw new OperatorInputError(`no member with NIR ${maskNir(nir)}`);
  if (member.deactivatedAt !== undefined)
    throw new OperatorInputError(`member ${maskNir(nir)} is deactivated: no letter`);
  const outcome = await letterQueue().request(member, 'CUSTOMER_SERVICE', (await operatorContext()).requestId);
  console.log(
    outcome === 'QUEUED'
      ? `letter queued for ${maskNir(nir)}; it leaves with the next export-letters`
      : `a letter is already pending for ${maskNir(nir)}; nothing more queued`,
  );
  return 0;
}

async function exportLetters(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } }, strict: true });
  if (!values.out) throw new OperatorInputError('--out <dir> is required');
  const report = await (await letterExport(new LocalLetterFiles(resolve(values.out)))).run();
  if (report.files.length === 0) console.log('nothing pending: no file written');
  for (const file of report.files)
    console.log(`${file.location}  (${file.letters} letter${file.letters === 1 ? '' : 's'})`);
  if (report.cancelled > 0)
    console.log(`${report.cancelled} request(s) cancelled: member deactivated, gone or without postal address`);
  return 0;
}

async function unlock(args: string[]): Promise<number> {
  const { nir } = await nirOption(args);
  const key = await nirLookupKey(await nirLookupHasher(), nir);
  const context = await operatorContext();
  const cleared = await nirLocks().clear(key, 'OPERATOR', {
    requestId: context.requestId,
    operator: context.operator,
    operatorClaim: context.operatorClaim,
  });
  console.log(
    cleared
      ? `unlocked ${maskNir(nir)}: lock, consecutive count and escalation cleared`
      : `${maskNir(nir)} was not locked; nothing changed`,
  );
  return 0;
}

async function purgeNirDigests(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const purged = await purgeNirWindowDigests(table(), (n) => console.error(`… ${n} members`));
  console.log(
    purged ? `removed the NIR window digests of ${purged} member(s)` : 'no NIR window digests left; nothing changed',
  );
  return 0;
}

async function rotateSigningKeyCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const rotation = await rotateSigningKey(signingKeyStore());
  console.log(
    `signing key rotated: tokens are signed with key ${rotation.kid} once functions re-read it (within 5 minutes); ` +
      `still published to verify earlier tokens: ${rotation.stillPublished.join(', ') || 'none'}`,
  );
  return 0;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  'import-members': importMembers,
  'publish-terms': publishTerms,
  'request-letter': requestLetter,
  'export-letters': exportLetters,
  'deactivate-member': deactivateMember,
  'reactivate-member': reactivateMember,
  'deactivate-client': (args) => clientCommand(args, true),
  'reactivate-client': (args) => clientCommand(args, false),
  'member-status': showMemberStatus,
  audit: showAudit,
  unlock,
  'purge-nir-digests': purgeNirDigests,
  'rotate-signing-key': rotateSigningKeyCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    console.error(command ? `Unknown command: ${maskDigitRuns(command)}\n\n${USAGE}` : USAGE);
    return 2;
  }
  // The local stack's settings fill the gaps, unless the CLI is pointed at a deployed stage.
  if (process.env['KEYS_SOURCE'] !== 'aws') {
    for (const [name, value] of Object.entries(localEnvironment())) process.env[name] ||= value;
  }
  console.error(`(table ${config().tableName}${config().dynamodbEndpoint ? ` at ${config().dynamodbEndpoint}` : ''})`);
  return run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Never a NIR echoed back: any run of digits in a message is masked.
    if (
      error instanceof OperatorInputError ||
      (error instanceof Error && error.name === 'TypeError' && 'code' in error)
    ) {
      console.error(`error: ${maskDigitRuns(error.message)}`);
    } else if (
      error instanceof Error &&
      /ECONNREFUSED|fetch failed/.test(`${error.message}${String(error.cause ?? '')}`)
    ) {
      console.error('error: cannot reach DynamoDB — is the local stack running (npm start)?');
    } else {
      console.error(
        `error: ${maskDigitRuns(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}`,
      );
    }
    process.exit(1);
  },
);
