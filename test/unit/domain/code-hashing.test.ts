import { describe, expect, it } from '@jest/globals';
import { LocalHmacKey } from '../../../lambdas/adapters/keys/local-key-files.ts';
import { CodeHasher, OWASP_MINIMUM } from '../../../lambdas/domain/code-hashing.ts';

const pepper = new LocalHmacKey(Buffer.alloc(32, 7));

describe('code hashing', () => {
  it('stores argon2id with its parameters and verifies the right code only', async () => {
    const hasher = new CodeHasher(pepper, OWASP_MINIMUM);
    const hash = await hasher.hash(await hasher.pepper('583927'), hasher.newSalt());
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[\w+/]{22}\$[\w+/]{43}$/);
    expect(await hasher.verify(await hasher.pepper('583927'), hash)).toBe(true);
    expect(await hasher.verify(await hasher.pepper('583928'), hash)).toBe(false);
  });

  it('a stolen hash cannot be checked without the pepper held outside the database', async () => {
    const hasher = new CodeHasher(pepper, OWASP_MINIMUM);
    const hash = await hasher.hash(await hasher.pepper('583927'), hasher.newSalt());
    const attacker = new CodeHasher(new LocalHmacKey(Buffer.alloc(32, 8)), OWASP_MINIMUM);
    expect(await attacker.verify(await attacker.pepper('583927'), hash)).toBe(false);
  });

  it('asks for a rehash when the configured parameters were raised', async () => {
    const current = new CodeHasher(pepper, OWASP_MINIMUM);
    const old = await current.hash(await current.pepper('1'), current.newSalt());
    const stronger = new CodeHasher(pepper, { ...OWASP_MINIMUM, passes: 3 });
    expect(stronger.needsRehash(old)).toBe(true);
    expect(new CodeHasher(pepper, OWASP_MINIMUM).needsRehash(old)).toBe(false);
  });

  it('never matches a missing or unparsable hash', async () => {
    const hasher = new CodeHasher(pepper, OWASP_MINIMUM);
    expect(await hasher.verify(await hasher.pepper('583927'), undefined)).toBe(false);
    expect(await hasher.verify(await hasher.pepper('583927'), '$argon2id$garbage')).toBe(false);
  });
});

describe("matching one code against a member's hashes", () => {
  const match = async (hasher: CodeHasher, code: string, hashes: Array<string | undefined>) => ({
    index: await hasher.matchAny(await hasher.pepper(code), hashes),
  });

  it("finds which of the member's codes matched", async () => {
    const hasher = new CodeHasher(pepper, OWASP_MINIMUM);
    const salt = hasher.newSalt();
    const personal = await hasher.hash(await hasher.pepper('583927'), salt);
    const temporary = await hasher.hash(await hasher.pepper('740386'), salt);
    expect((await match(hasher, '583927', [personal, temporary])).index).toBe(0);
    expect((await match(hasher, '740386', [personal, temporary])).index).toBe(1);
    expect((await match(hasher, '111119', [personal, temporary])).index).toBe(-1);
    expect((await match(hasher, '111119', [])).index).toBe(-1);
  });

  it('hashes of one salt share one derivation: same tag for the same code and salt', async () => {
    const hasher = new CodeHasher(pepper, OWASP_MINIMUM);
    const salt = hasher.newSalt();
    const a = await hasher.hash(await hasher.pepper('583927'), salt);
    const b = await hasher.hash(await hasher.pepper('583927'), salt);
    expect(a).toBe(b);
    expect(await hasher.hash(await hasher.pepper('583927'), hasher.newSalt())).not.toBe(a);
  });
});

/** Normal approximation of the Mann-Whitney U statistic: |z| > 4 is p < 1e-4. */
function mannWhitneyZ(a: number[], b: number[]): number {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  let rankSumA = 0;
  all.forEach((x, i) => {
    if (x.g === 0) rankSumA += i + 1;
  });
  const u = rankSumA - (a.length * (a.length + 1)) / 2;
  return (u - (a.length * b.length) / 2) / Math.sqrt((a.length * b.length * (a.length + b.length + 1)) / 12);
}

describe('timing after a raise of the argon2 parameters (security review, item 7)', () => {
  it('an unknown NIR cannot be told from a member whose hash predates the raise: the cheaper check is padded', async () => {
    // Members hashed at the old cost; the configuration now asks twice the passes.
    const old = new CodeHasher(pepper, OWASP_MINIMUM);
    const legacy = await old.hash(await old.pepper('583927'), old.newSalt());
    const raised = new CodeHasher(pepper, { ...OWASP_MINIMUM, passes: OWASP_MINIMUM.passes * 2 });
    const wrong = await raised.pepper('111119');
    const time = async (hashes: string[]) => {
      const started = performance.now();
      await raised.matchAny(wrong, hashes);
      return performance.now() - started;
    };
    const unknown: number[] = [];
    const member: number[] = [];
    await time([]);
    // Interleaved, so that whatever else loads the machine weighs on both alike.
    for (let i = 0; i < 40; i++) {
      unknown.push(await time([]));
      member.push(await time([legacy]));
    }
    expect(Math.abs(mannWhitneyZ(unknown, member))).toBeLessThan(4);
  });
});
