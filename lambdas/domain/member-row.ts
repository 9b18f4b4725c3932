import * as z from 'zod';
import { parseEndDate } from './access-end.ts';
import type { SixDigitCode } from './code-format.ts';
import { OperatorInputError } from './errors.ts';
import {
  type ImportedMember,
  type ImportOutcome,
  importMember,
  type MemberImportDependencies,
} from './member-import.ts';
import { parseNir } from './nir.ts';

/** The columns of the operators' import file (operations.md). */
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
 * An `endDate` cell of a feed file (members and clients): a day `YYYY-MM-DD`, `null` when empty (a
 * date cleared), undefined when the file has no such column.
 */
export const endDateCell = z
  .string()
  .optional()
  .transform((s, ctx) => {
    const value = s?.trim();
    if (value === undefined) return undefined;
    if (value === '') return null;
    const day = parseEndDate(value);
    if (!day) ctx.addIssue({ code: 'custom', message: 'endDate must be a date YYYY-MM-DD' });
    return day ?? null;
  });

const text = (max: number) => z.string().trim().max(max);
const optional = (max: number) => text(max).transform((s) => (s === '' ? undefined : s));

/** One row of the file, read and typed; what may be imported is the domain's to say (importMember). */
const MemberRow = z.object({
  nir: z.string().transform((s, ctx) => {
    try {
      return parseNir(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'invalid NIR (shape or key)' });
      return z.NEVER;
    }
  }),
  lastName: text(100).min(1, 'lastName is required'),
  firstName: text(100).min(1, 'firstName is required'),
  email: optional(254).pipe(z.email('invalid email').optional()),
  addressLine1: optional(200),
  addressLine2: optional(200),
  postalCode: optional(20),
  city: optional(100),
  country: optional(2).pipe(
    z
      .string()
      .regex(/^[A-Z]{2}$/, 'country must be a 2-letter code')
      .default('FR'),
  ),
  clientId: optional(64),
  initialCode: z
    .string()
    .regex(/^[0-9]{6}$/, 'initialCode must be 6 digits')
    .transform((s) => s as SixDigitCode),
  // Optional column: absent, the member's end date is left as it is; empty, it is cleared.
  endDate: endDateCell,
});

function parseMemberRow(
  record: Record<string, string>,
): { readonly member: ImportedMember } | { readonly reason: string } {
  const parsed = MemberRow.safeParse(record);
  return parsed.success ? { member: parsed.data } : { reason: parsed.error.issues.map((i) => i.message).join('; ') };
}

/**
 * One row of the file: read, then imported by the domain's rules; a row the operator must fix is
 * rejected with its reason (the CLI's file import and the feed's batches report it by line).
 */
export async function importMemberRecord(
  record: Record<string, string>,
  d: MemberImportDependencies,
): Promise<ImportOutcome> {
  const parsed = parseMemberRow(record);
  if ('reason' in parsed) return { result: 'rejected', reason: parsed.reason };
  return importMember(parsed.member, d).catch((error: unknown) => {
    if (error instanceof OperatorInputError) return { result: 'rejected', reason: error.message };
    throw error;
  });
}
