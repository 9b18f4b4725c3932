import * as z from 'zod';
import { weakCodeReason } from './code-blocklist.ts';
import type { SixDigitCode } from './code-format.ts';
import type { CodeHasher } from './code-hashing.ts';
import { nirLookupKey } from './credential-check.ts';
import type { MemberAccess, OperatorContext } from './member-access.ts';
import { maskNir, parseNir } from './nir.ts';
import type { Clock, KeyedHasher, MemberRepository } from './ports.ts';
import { newId } from './random-secrets.ts';

export const IMPORT_COLUMNS = [
  'nir',
  'lastName',
  'firstName',
  'email',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'country',
  'clientId',
  'initialCode',
] as const;

/**
 * A leading = + - @ (or tab, CR) makes a spreadsheet read the cell as a formula: the print
 * provider's spreadsheet would run it beside the temporary code. Such names and addresses are refused.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const noFormula = (s: string) => !FORMULA_START.test(s);
const FORMULA_MESSAGE = 'may not start with = + - @ (a spreadsheet would read a formula)';

const text = (max: number) => z.string().trim().max(max);
const optional = (max: number) => text(max).transform((s) => (s === '' ? undefined : s));
/** Printed on the letter: no formula. */
const printed = (max: number, name: string) => text(max).refine(noFormula, `${name} ${FORMULA_MESSAGE}`);
const optionalPrinted = (max: number, name: string) => printed(max, name).transform((s) => (s === '' ? undefined : s));

/** One row of the operators' import file (operations.md). */
const ImportRow = z
  .object({
    nir: z.string().transform((s, ctx) => {
      try {
        return parseNir(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'invalid NIR (shape or key)' });
        return z.NEVER;
      }
    }),
    lastName: printed(100, 'lastName').pipe(z.string().min(1, 'lastName is required')),
    firstName: printed(100, 'firstName').pipe(z.string().min(1, 'firstName is required')),
    email: optional(254).pipe(z.email('invalid email').optional()),
    addressLine1: optionalPrinted(200, 'addressLine1'),
    addressLine2: optionalPrinted(200, 'addressLine2'),
    postalCode: optionalPrinted(20, 'postalCode'),
    city: optionalPrinted(100, 'city'),
    country: optional(2).pipe(
      z
        .string()
        .regex(/^[A-Z]{2}$/, 'country must be a 2-letter code')
        .optional(),
    ),
    clientId: optional(64),
    initialCode: z.string().regex(/^[0-9]{6}$/, 'initialCode must be 6 digits'),
  })
  .superRefine((row, ctx) => {
    // The same rules as a member's own code: a weak initial code is as guessable.
    const weak =
      /^[0-9]{6}$/.test(row.initialCode) && typeof row.nir === 'string'
        ? weakCodeReason(row.initialCode as SixDigitCode, row.nir)
        : undefined;
    if (weak) ctx.addIssue({ code: 'custom', message: `initialCode is too guessable (${weak})` });
    // Without email, the postal letter is the member's only way back in.
    if (!row.email && !(row.addressLine1 && row.postalCode && row.city)) {
      ctx.addIssue({ code: 'custom', message: 'a member without email needs addressLine1, postalCode and city' });
    }
  });

export type ImportOutcome =
  | { readonly result: 'created' | 'updated' }
  | { readonly result: 'rejected'; readonly reason: string };

export interface MemberImportDependencies {
  readonly members: MemberRepository;
  /** Deactivates at once a member attached to a deactivated client (CGU 3.6); who runs the import. */
  readonly clientAccess?: { readonly access: MemberAccess; readonly context: OperatorContext };
  readonly nirHasher: KeyedHasher;
  readonly codeHasher: CodeHasher;
  readonly clock: Clock;
  /** Days an initial code works after its import. */
  readonly initialCodeValidDays: number;
}

/** Upserts one member by NIR; never undoes a personal code; the NIR itself is never stored. */
export async function importMember(row: Record<string, string>, d: MemberImportDependencies): Promise<ImportOutcome> {
  const parsed = ImportRow.safeParse(row);
  if (!parsed.success) {
    return { result: 'rejected', reason: parsed.error.issues.map((i) => i.message).join('; ') };
  }
  const r = parsed.data;
  const key = await nirLookupKey(d.nirHasher, r.nir);
  const address =
    r.addressLine1 && r.postalCode && r.city
      ? {
          line1: r.addressLine1,
          line2: r.addressLine2,
          postalCode: r.postalCode,
          city: r.city,
          country: r.country ?? 'FR',
        }
      : undefined;
  const { created, hasPersonalCode, codeSalt, memberId } = await d.members.upsertProfile(
    {
      key,
      newMemberId: newId(),
      newCodeSalt: d.codeHasher.newSalt(),
      firstName: r.firstName,
      lastName: r.lastName,
      maskedNir: maskNir(r.nir),
      email: r.email,
      address,
      clientId: r.clientId,
    },
    d.clock.now(),
  );
  if (!hasPersonalCode) {
    const hash = await d.codeHasher.hash(await d.codeHasher.pepper(r.initialCode), codeSalt);
    await d.members.setInitialCodeHash(key, hash, d.clock.now() + d.initialCodeValidDays * 24 * 60 * 60 * 1000);
  }
  if (r.clientId && d.clientAccess) {
    await d.clientAccess.access.applyClientState(key, memberId, r.clientId, d.clientAccess.context);
  }
  return { result: created ? 'created' : 'updated' };
}
