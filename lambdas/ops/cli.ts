/**
 * The operator CLI: `npm run ops -- <command>`. Against the local stack by default (start it
 * with `npm start`); environment variables point it elsewhere. It never prints a NIR or a code.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalLetterFiles } from '../adapters/letters/local-letter-files.ts';
import { nirLookupKey } from '../domain/credential-check.ts';
import { maskNir, parseNir, type Nir } from '../domain/nir.ts';
import { OperatorInputError } from '../domain/errors.ts';
import { systemClock } from '../domain/ports.ts';
import { localEnvironment } from '../local/local-environment.ts';
import { codeHasher, config, letterExport, letterQueue, members, nirLookupHasher, termsStore } from '../runtime/services.ts';
import { importMembersFile } from './import-members.ts';

const USAGE = `Usage: npm run ops -- <command> [options]

  import-members <file.csv>                    upsert members by NIR (operations.md CSV)
  publish-terms --version <v> --url <url>      make <v> the current terms version
  request-letter --nir <NIR>                   customer service: queue a postal letter with a new code
  export-letters --out <dir>                   the letter batch: every pending letter into one CSV in <dir>
`;

async function importMembers(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  const file = positionals[0];
  if (!file) throw new OperatorInputError('import-members needs a CSV file');
  const started = Date.now();
  const report = await importMembersFile(
    file,
    { members: members(), nirHasher: await nirLookupHasher(), codeHasher: await codeHasher(), clock: systemClock },
    {
      rejected: (line, reason) => console.error(`line ${line}: rejected — ${reason}`),
      progress: (rows) => console.error(`… ${rows} rows processed (${Math.round((Date.now() - started) / 1000)} s)`),
    },
  );
  console.log(`imported ${report.imported}, updated ${report.updated}, rejected ${report.rejected}`);
  return report.rejected > 0 ? 1 : 0;
}

async function publishTerms(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { version: { type: 'string' }, url: { type: 'string' } }, strict: true });
  if (!values.version || !/^[\w.-]{1,64}$/.test(values.version)) throw new OperatorInputError('--version is required (letters, digits, . _ -)');
  if (!values.url || !URL.canParse(values.url)) throw new OperatorInputError('--url is required and must be a URL');
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
  const { values } = parseArgs({ args, options: { nir: { type: 'string' } }, strict: true });
  let nir: Nir;
  try {
    nir = parseNir(values.nir ?? '');
  } catch {
    throw new OperatorInputError('--nir must be a valid NIR (15 characters, key checked)');
  }
  const member = await members().get(await nirLookupKey(await nirLookupHasher(), nir));
  if (!member) throw new OperatorInputError(`no member with NIR ${maskNir(nir)}`);
  if (member.deactivatedAt !== undefined) throw new OperatorInputError(`member ${maskNir(nir)} is deactivated: no letter`);
  const outcome = await letterQueue().request(member, 'CUSTOMER_SERVICE', `ops-${randomUUID()}`);
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
  for (const file of report.files) console.log(`${file.location}  (${file.letters} letter${file.letters === 1 ? '' : 's'})`);
  if (report.cancelled > 0) console.log(`${report.cancelled} request(s) cancelled: member deactivated, gone or without postal address`);
  return 0;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  'import-members': importMembers,
  'publish-terms': publishTerms,
  'request-letter': requestLetter,
  'export-letters': exportLetters,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    console.error(command ? `Unknown command: ${command}\n\n${USAGE}` : USAGE);
    return 2;
  }
  for (const [name, value] of Object.entries(localEnvironment())) process.env[name] ??= value;
  console.error(`(table ${config().tableName}${config().dynamodbEndpoint ? ` at ${config().dynamodbEndpoint}` : ''})`);
  return run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof OperatorInputError || (error instanceof Error && error.name === 'TypeError' && 'code' in error)) {
      console.error(`error: ${error.message}`);
    } else if (error instanceof Error && /ECONNREFUSED|fetch failed/.test(`${error.message}${String(error.cause ?? '')}`)) {
      console.error('error: cannot reach DynamoDB — is the local stack running (npm start)?');
    } else {
      console.error(`error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    process.exit(1);
  },
);
