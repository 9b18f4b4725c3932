import { createInterface } from 'node:readline/promises';
import { OperatorInputError } from '../domain/errors.ts';
import { type Nir, parseNir } from '../domain/nir.ts';

/**
 * Runs of digits (with the separators a NIR may be typed with) hidden from every message the CLI
 * prints, so that a NIR typed in the wrong place is never echoed back into a terminal log.
 */
export const maskDigitRuns = (text: string): string => text.replace(/\d(?:[\s.-]?[\dAB]){5,}/gi, '•••');

async function readStandardInput(): Promise<string> {
  if (process.stdin.isTTY) {
    // Typed at a prompt: kept out of the shell history and of `ps`.
    const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    try {
      return await prompt.question('NIR: ');
    } finally {
      prompt.close();
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** `--nir <NIR>`, or `--nir -` to read it from standard input (piped, or typed at a prompt). */
export async function readNir(value: string | undefined): Promise<Nir> {
  if (value === undefined)
    throw new OperatorInputError('--nir <NIR> is required (or --nir - to read it from standard input)');
  const text = value === '-' ? await readStandardInput() : value;
  try {
    return parseNir(text);
  } catch {
    throw new OperatorInputError('--nir must be a valid NIR (15 characters, key checked)');
  }
}
