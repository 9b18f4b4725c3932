/**
 * The operator CLI: `npm run -s ops -- <command>`. Against the local stack by default (start it
 * with `npm start`); environment variables point it elsewhere. It never prints a NIR or a code.
 * Exit codes: 0 done, 1 could not be done (no such member, rejected rows, an engine unreachable),
 * 2 not understood (see --help).
 */
import { availableParallelism } from 'node:os';
import packageJson from '../../package.json' with { type: 'json' };
import { OperatorInputError } from '../domain/errors.ts';
import { localEnvironment } from '../runtime/local-environment.ts';
import { config } from '../runtime/services.ts';
import { type Command, parseCommandArgs, UsageError } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { OperatorFailure } from './failure.ts';
import { maskDigitRuns } from './nir-input.ts';
import { progress, say } from './output.ts';

// argon2 runs on libuv's thread pool (4 threads by default): one per core, so that a large import
// derives on every core. Set before the pool's first use; an operator's own value is kept.
process.env['UV_THREADPOOL_SIZE'] ??= String(Math.max(4, availableParallelism()));

const usageOf = (c: Command) => `${c.name}${c.usage ? ` ${c.usage}` : ''}`;

const HELP = [
  'Usage: npm run -s ops -- <command> [options]        (npm run -s ops -- <command> --help for one command)',
  '',
  ...COMMANDS.map((c) => `  ${usageOf(c).padEnd(52)} ${c.summary}`),
  '',
  'Every --nir <NIR> may be given as --nir - to read the NIR from standard input, out of the shell history.',
  'Against the local stack by default; set the configuration variables (docs/operations.md) to point at a deployed stage.',
  'Exit codes: 0 done, 1 could not be done, 2 not understood.',
].join('\n');

const commandHelp = (c: Command) =>
  [`Usage: npm run -s ops -- ${usageOf(c)}`, '', c.summary, ...(c.details ? ['', c.details] : [])].join('\n');

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    say(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    say(`member-portal-auth ${packageJson.version}`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command: ${name}`);
  if (args.includes('--help') || args.includes('-h')) {
    say(commandHelp(command));
    return 0;
  }
  const { values, positionals } = parseCommandArgs(command, args);
  // The local stack's settings fill the gaps, unless the CLI is pointed at a deployed stage.
  if (process.env['KEYS_SOURCE'] !== 'aws') {
    for (const [key, value] of Object.entries(localEnvironment())) process.env[key] ||= value;
  }
  progress(`(table ${config().tableName}${config().dynamodbEndpoint ? ` at ${config().dynamodbEndpoint}` : ''})`);
  return command.run({ values: values as never, positionals });
}

const unreachable = (error: unknown) =>
  error instanceof Error && /ECONNREFUSED|fetch failed/.test(`${error.message}${String(error.cause ?? '')}`);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Never a NIR echoed back: any run of digits in a message is masked.
    if (error instanceof UsageError) {
      progress(`error: ${maskDigitRuns(error.message)}\n(npm run -s ops -- --help)`);
      process.exit(2);
    }
    if (error instanceof OperatorFailure || error instanceof OperatorInputError)
      progress(`error: ${maskDigitRuns(error.message)}`);
    else if (unreachable(error)) progress('error: cannot reach DynamoDB — is the local stack running (npm start)?');
    else
      progress(`error: ${maskDigitRuns(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}`);
    process.exit(1);
  },
);
