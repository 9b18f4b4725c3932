import { randomUUID } from 'node:crypto';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { OperatorContext } from '../domain/member-access.ts';
import { maskNir, type Nir, nirLookupKey } from '../domain/nir.ts';
import { config, members, nirLookupHasher } from '../runtime/services.ts';
import { OperatorFailure } from './failure.ts';
import { readNir } from './nir-input.ts';
import { operatorIdentity } from './operator.ts';

/** The command line was not understood (an unknown option, a missing or invalid value): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command<TOptions extends Options = Options> {
  readonly name: string;
  /** One line for the list of commands. */
  readonly summary: string;
  /** The arguments, e.g. `--nir <NIR> [--json]`. */
  readonly usage: string;
  /** More to say in `<command> --help`: what it changes, what it prints. */
  readonly details?: string;
  readonly options: TOptions;
  /** How many positional arguments it takes. @default 0 */
  readonly positionals?: number;
  run(input: { values: Values<TOptions>; positionals: string[] }): Promise<number>;
}

type Values<T extends Options> = { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string };

export const defineCommand = <T extends Options>(command: Command<T>): Command => command as unknown as Command;

/** Parses a command's arguments; anything off is a usage error. */
export function parseCommandArgs(command: Command, args: readonly string[]) {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: command.options,
      allowPositionals: (command.positionals ?? 0) > 0,
      strict: true,
    });
    if (parsed.positionals.length > (command.positionals ?? 0)) throw new UsageError('too many arguments');
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export const NIR_OPTION = { nir: { type: 'string' } } as const;
export const JSON_OPTION = { json: { type: 'boolean' } } as const;

/** `--nir <NIR>` or `--nir -` (standard input); an invalid or missing NIR is a usage error. */
export async function nirFrom(values: { nir?: string | undefined }): Promise<Nir> {
  try {
    return await readNir(values.nir);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export async function findMember(nir: Nir) {
  const key = await nirLookupKey(await nirLookupHasher(), nir);
  return { key, member: await members().get(key) };
}

/** The member of `--nir`, which must exist: otherwise the command fails (exit 1), naming the NIR masked. */
export async function memberFromNir(values: { nir?: string | undefined }) {
  const nir = await nirFrom(values);
  const { key, member } = await findMember(nir);
  if (!member) throw new OperatorFailure(`no member with NIR ${maskNir(nir)}`);
  return { nir, key, member };
}

/** One context per command run: who runs it (verified, for the audit trail), and its request id. */
export async function operatorContext(): Promise<OperatorContext> {
  return {
    ...(await operatorIdentity(Boolean(config().dynamodbEndpoint), config().region)),
    requestId: `ops-${randomUUID()}`,
  };
}
