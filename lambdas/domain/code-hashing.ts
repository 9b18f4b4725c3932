import { argon2, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { KeyedHasher } from './ports.ts';

const argon2Async = promisify(argon2);

export interface Argon2Parameters {
  /** Memory in KiB (OWASP minimum for argon2id: 19 MiB = 19456 KiB). */
  readonly memoryKiB: number;
  /** Iterations (OWASP minimum with 19 MiB: 2). */
  readonly passes: number;
  readonly parallelism: number;
}

export const OWASP_MINIMUM: Argon2Parameters = Object.freeze({ memoryKiB: 19456, passes: 2, parallelism: 1 });

const SALT_BYTES = 16;
const TAG_BYTES = 32;
const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

interface ParsedHash {
  readonly parameters: Argon2Parameters;
  readonly salt: Buffer;
  readonly tag: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const m = PHC.exec(stored);
  if (!m) return undefined;
  return {
    parameters: { memoryKiB: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]) },
    salt: Buffer.from(m[4]!, 'base64'),
    tag: Buffer.from(m[5]!, 'base64'),
  };
}

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

/**
 * A code "peppered" by the keyed hasher: the argon2 input is HMAC(pepper, code), so a stolen
 * table alone cannot be brute-forced over the 10^6 codes: the pepper is held outside the database.
 */
export type PepperedCode = Buffer & { readonly __brand: 'PepperedCode' };

/** Durations of recent derivations at the current parameters, kept to pad the checks that made none. */
const COST_SAMPLES = 32;

/**
 * argon2id over the peppered code, the parameters stored with each hash (PHC string) so they can
 * be raised later and the hash upgraded at the next successful sign-in.
 */
export class CodeHasher {
  readonly #pepper: KeyedHasher;
  readonly #parameters: Argon2Parameters;
  #dummyHash: Promise<string> | undefined;
  readonly #currentCosts: number[] = [];

  constructor(pepper: KeyedHasher, parameters: Argon2Parameters) {
    this.#pepper = pepper;
    this.#parameters = parameters;
  }

  /** A member's salt: all of one member's code hashes share it (see `matchAny`). */
  newSalt(): string {
    return b64(randomBytes(SALT_BYTES));
  }

  async pepper(code: string): Promise<PepperedCode> {
    return (await this.#pepper.digest(`code:${code}`)) as PepperedCode;
  }

  /** A code as stored: argon2id over the peppered code, with the member's salt. */
  async hashCode(code: string, salt: string): Promise<string> {
    return this.hash(await this.pepper(code), salt);
  }

  async hash(peppered: PepperedCode, salt: string): Promise<string> {
    const saltBytes = Buffer.from(salt, 'base64');
    const tag = await this.#derive(peppered, saltBytes, this.#parameters);
    const { memoryKiB, passes, parallelism } = this.#parameters;
    return `$argon2id$v=19$m=${memoryKiB},t=${passes},p=${parallelism}$${b64(saltBytes)}$${b64(tag)}`;
  }

  /**
   * Which of the stored hashes the code matches (-1: none), in constant time per hash. Hashes
   * sharing salt and parameters — a member's codes — cost one argon2 derivation together, so
   * checking one code or two costs the same; with no hash at all (unknown NIR) a dummy
   * derivation at the current parameters is made, so timing does not tell whether the account
   * exists. A check whose hashes all predate a raise of the parameters costs less: it is padded
   * to the duration of a recent derivation at the current parameters, drawn at random from the
   * last ones measured, so that its time follows the same distribution as everyone else's.
   */
  async matchAny(peppered: PepperedCode, stored: readonly (string | undefined)[]): Promise<number> {
    const started = performance.now();
    const parsed = stored.map((h) => (h === undefined ? undefined : parseHash(h)));
    const groups = new Map<string, ParsedHash>();
    for (const p of parsed) if (p) groups.set(groupKey(p), p);
    if (groups.size === 0) {
      const dummy = parseHash(await this.dummyHash())!;
      await this.#derive(peppered, dummy.salt, dummy.parameters);
      return -1;
    }
    const tags = new Map<string, Buffer>();
    await Promise.all(
      [...groups].map(async ([key, p]) => tags.set(key, await this.#derive(peppered, p.salt, p.parameters))),
    );
    if (![...groups.values()].some((p) => sameParameters(p.parameters, this.#parameters)))
      await this.#padToCurrentCost(started);
    let match = -1;
    parsed.forEach((p, i) => {
      if (!p) return;
      const tag = tags.get(groupKey(p))!;
      if (tag.length === p.tag.length && timingSafeEqual(tag, p.tag) && match < 0) match = i;
    });
    return match;
  }

  async verify(peppered: PepperedCode, stored: string | undefined): Promise<boolean> {
    return (await this.matchAny(peppered, [stored])) === 0;
  }

  /** Any other parameters than the current ones: the hash is redone at the next successful sign-in. */
  needsRehash(stored: string): boolean {
    const parsed = parseHash(stored);
    return !parsed || !sameParameters(parsed.parameters, this.#parameters);
  }

  /** A hash of a random value, computed once: what unknown NIRs are verified against. */
  dummyHash(): Promise<string> {
    this.#dummyHash ??= this.hash(randomBytes(TAG_BYTES) as PepperedCode, this.newSalt());
    return this.#dummyHash;
  }

  async #padToCurrentCost(started: number): Promise<void> {
    if (this.#currentCosts.length === 0) {
      // Nothing measured yet in this process: a real derivation at the current cost, which also seeds the samples.
      const dummy = parseHash(await this.dummyHash())!;
      await this.#derive(randomBytes(TAG_BYTES), dummy.salt, dummy.parameters);
      return;
    }
    const target = this.#currentCosts[randomInt(this.#currentCosts.length)]!;
    const remaining = target - (performance.now() - started);
    if (remaining > 0) await sleep(remaining);
  }

  async #derive(peppered: Buffer, salt: Buffer, p: Argon2Parameters): Promise<Buffer> {
    const started = performance.now();
    const tag = await argon2Async('argon2id', {
      message: peppered,
      nonce: salt,
      memory: p.memoryKiB,
      passes: p.passes,
      parallelism: p.parallelism,
      tagLength: TAG_BYTES,
    });
    if (sameParameters(p, this.#parameters)) {
      this.#currentCosts.push(performance.now() - started);
      if (this.#currentCosts.length > COST_SAMPLES) this.#currentCosts.shift();
    }
    return tag;
  }
}

const sameParameters = (a: Argon2Parameters, b: Argon2Parameters) =>
  a.memoryKiB === b.memoryKiB && a.passes === b.passes && a.parallelism === b.parallelism;

const groupKey = (p: ParsedHash) =>
  `${p.salt.toString('base64')}|${p.parameters.memoryKiB},${p.parameters.passes},${p.parameters.parallelism}`;
