import { type AccessEndSchedule, parisMidnight } from './access-end.ts';
import { weakCodeReason } from './code-blocklist.ts';
import type { SixDigitCode } from './code-format.ts';
import type { CodeHasher } from './code-hashing.ts';
import type { Member, MemberRepository, PostalAddress } from './member.ts';
import type { MemberAccess, OperatorContext } from './member-access.ts';
import { maskNir, type Nir, nirLookupKey } from './nir.ts';
import type { Clock, KeyedHasher } from './ports.ts';
import { newId } from './random-secrets.ts';

/** One member as the insurer's file gives them, its columns already read and typed (member-row.ts). */
export interface ImportedMember {
  readonly nir: Nir;
  readonly lastName: string;
  readonly firstName: string;
  readonly email?: string | undefined;
  readonly addressLine1?: string | undefined;
  readonly addressLine2?: string | undefined;
  readonly postalCode?: string | undefined;
  readonly city?: string | undefined;
  readonly country: string;
  readonly clientId?: string | undefined;
  readonly initialCode: SixDigitCode;
  /** `YYYY-MM-DD`: access ends at 00:00 Europe/Paris that day; `null` clears it; undefined leaves it (no column). */
  readonly endDate?: string | null | undefined;
}

export type ImportOutcome =
  | { readonly result: 'created' | 'updated' | 'unchanged' }
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
  /** Say what would be done (created or updated), change nothing (`--dry-run`). */
  readonly dryRun?: boolean;
  /** Where future end dates are kept for the scheduled run that records them. */
  readonly endSchedule?: AccessEndSchedule;
}

/**
 * A leading = + - @ (or tab, CR) makes a spreadsheet read the cell as a formula: the print
 * provider's spreadsheet would run it beside the temporary code. Such names and addresses are refused.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Why the insurer's row cannot be imported as it is, or undefined. */
function importRefusal(member: ImportedMember): string | undefined {
  const printed = {
    lastName: member.lastName,
    firstName: member.firstName,
    addressLine1: member.addressLine1,
    addressLine2: member.addressLine2,
    postalCode: member.postalCode,
    city: member.city,
  };
  const formulas = Object.entries(printed).filter(([, value]) => value !== undefined && FORMULA_START.test(value));
  const reasons = formulas.map(([name]) => `${name} may not start with = + - @ (a spreadsheet would read a formula)`);
  // The same rules as a member's own code: a weak initial code is as guessable.
  const weak = weakCodeReason(member.initialCode, member.nir);
  if (weak) reasons.push(`initialCode is too guessable (${weak})`);
  // Without email, the postal letter is the member's only way back in.
  if (!member.email && !postalAddressOf(member))
    reasons.push('a member without email needs addressLine1, postalCode and city');
  return reasons.length ? reasons.join('; ') : undefined;
}

function postalAddressOf(member: ImportedMember): PostalAddress | undefined {
  const { addressLine1: line1, addressLine2: line2, postalCode, city, country } = member;
  return line1 && postalCode && city ? { line1, line2, postalCode, city, country } : undefined;
}

/** Upserts one member by NIR; never undoes a personal code; the NIR itself is never stored. */
export async function importMember(member: ImportedMember, d: MemberImportDependencies): Promise<ImportOutcome> {
  const refusal = importRefusal(member);
  if (refusal) return { result: 'rejected', reason: refusal };
  const [key, digest] = await Promise.all([nirLookupKey(d.nirHasher, member.nir), rowDigest(member, d.nirHasher)]);
  const existing = await d.members.get(key);
  const accessEndsAt =
    member.endDate === undefined || member.endDate === null ? member.endDate : parisMidnight(member.endDate);
  // The same row as last time: nothing to write, nothing to hash (a re-run of a 500,000-row file is
  // reads only) — but what follows the write is applied again (idempotent), so that a run stopped
  // between the write and its consequences is completed by the next one.
  const unchanged = existing?.importDigest === digest;
  if (d.dryRun) return { result: unchanged ? 'unchanged' : existing ? 'updated' : 'created' };
  const written = unchanged
    ? { created: false, memberId: existing.memberId }
    : await writeRow(member, key, digest, accessEndsAt, existing, d);
  if (member.clientId && d.clientAccess) {
    await d.clientAccess.access.applyClientState(key, written.memberId, member.clientId, d.clientAccess.context);
  }
  if (member.endDate && accessEndsAt) {
    // A date already reached ends access now; a later one is kept for the run of its day.
    if (accessEndsAt > d.clock.now()) await d.endSchedule?.schedule(member.endDate, { kind: 'MEMBER', id: key });
    else if (d.clientAccess && existing?.deactivatedAt === undefined) {
      await d.clientAccess.access.deactivateMember(key, written.memberId, d.clientAccess.context, 'END_DATE');
    }
  }
  return { result: unchanged ? 'unchanged' : written.created ? 'created' : 'updated' };
}

/**
 * The row's write: one per row — the initial code hashed first (with the salt the member has or
 * will have) and written with the profile, unless the member chose a personal code (read, or
 * meanwhile: then the profile alone, and the initial code after it, as before).
 */
async function writeRow(
  member: ImportedMember,
  key: string,
  digest: string,
  accessEndsAt: number | null | undefined,
  existing: Member | undefined,
  d: MemberImportDependencies,
): Promise<{ readonly created: boolean; readonly memberId: string }> {
  const profile = {
    key,
    newMemberId: newId(),
    newCodeSalt: existing?.codeSalt ?? d.codeHasher.newSalt(),
    firstName: member.firstName,
    lastName: member.lastName,
    maskedNir: maskNir(member.nir),
    email: member.email,
    address: postalAddressOf(member),
    clientId: member.clientId,
    accessEndsAt,
  };
  const validUntil = d.clock.now() + d.initialCodeValidDays * 24 * 60 * 60 * 1000;
  const initialCode = existing?.personalCodeHash
    ? undefined
    : { hash: await d.codeHasher.hashCode(member.initialCode, profile.newCodeSalt), validUntil };
  const together = await d.members.upsertProfile({ ...profile, importDigest: digest, initialCode }, d.clock.now());
  if (together) return together;
  // Two writes: the digest is left out (and an older one removed), so that a run stopped between
  // them does the row again rather than calling it unchanged without its initial code.
  const upserted = (await d.members.upsertProfile(profile, d.clock.now()))!;
  if (!upserted.hasPersonalCode) {
    await d.members.setInitialCodeHash(
      key,
      await d.codeHasher.hashCode(member.initialCode, upserted.codeSalt),
      validUntil,
    );
  }
  return upserted;
}

/**
 * The row as imported, keyed (HMAC with the NIR lookup key, as the member's key is): equal digests
 * mean an identical row. Keyed, because the row holds an initial code: a table dump alone cannot
 * test codes against it.
 */
async function rowDigest(member: ImportedMember, hasher: KeyedHasher): Promise<string> {
  const fields = [
    member.nir,
    member.lastName,
    member.firstName,
    member.email,
    member.addressLine1,
    member.addressLine2,
    member.postalCode,
    member.city,
    member.country,
    member.clientId,
    member.initialCode,
    member.endDate,
  ].map((f) => (f === undefined ? '\u0000' : f === null ? '\u0001' : f));
  return (await hasher.digest(`import-row:${JSON.stringify(fields)}`)).toString('base64url');
}
