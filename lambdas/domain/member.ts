import type { DeactivationReason } from './ports.ts';

/**
 * A member as the sign-in rules see it. `key` is the keyed hash of the NIR (the lookup key):
 * the NIR itself is never stored, only its masked form.
 */
export interface PostalAddress {
  readonly line1: string;
  readonly line2?: string | undefined;
  readonly postalCode: string;
  readonly city: string;
  readonly country: string;
}

export interface Member {
  readonly key: string;
  /** Opaque, random; the `sub` of access tokens. */
  readonly memberId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly maskedNir: string;
  /** `nirWindowDigest` of each 6-digit window of the NIR (see code-hashing). */
  readonly nirWindowDigests?: readonly string[] | undefined;
  /** Salt shared by all of this member's code hashes, so one derivation checks them all. */
  readonly codeSalt: string;
  readonly email?: string | undefined;
  readonly address?: PostalAddress | undefined;
  readonly clientId?: string | undefined;
  /** Code printed on statements; dead once a personal code exists. */
  readonly initialCodeHash?: string | undefined;
  /** Code sent by postal letter; valid until `temporaryCodeValidUntil`. */
  readonly temporaryCodeHash?: string | undefined;
  readonly temporaryCodeValidUntil?: number | undefined;
  /** Code chosen by the member: the only one that opens a session. */
  readonly personalCodeHash?: string | undefined;
  readonly personalCodeSetAt?: number | undefined;
  /** Bumped at every code change; guards concurrent changes and dates reset links. */
  readonly codeVersion: number;
  /** Sessions created before this instant (epoch ms) are dead: set by a code change. */
  readonly sessionsValidAfter: number;
  readonly termsVersion?: string | undefined;
  readonly termsAcceptedAt?: number | undefined;
  readonly deactivatedAt?: number | undefined;
  readonly deactivatedBy?: string | undefined;
  /** Deactivated on its own (CGU 3.5) or with its client company (CGU 3.6). */
  readonly deactivationReason?: DeactivationReason | undefined;
  /** Hash of the current reset link: a newer link replaces it, a code change removes it. */
  readonly resetTokenHash?: string | undefined;
  readonly resetIssuedAt?: number | undefined;
  readonly recentResetMails?: readonly number[] | undefined;
  readonly resetVersion?: number | undefined;
  /** The letter request not exported yet (at most one). */
  readonly letterOutstandingId?: string | undefined;
  readonly lastLetterExportedAt?: number | undefined;
}

export type CodeKind = 'INITIAL' | 'TEMPORARY' | 'PERSONAL';

export interface LiveCode {
  readonly kind: CodeKind;
  readonly hash: string;
}

/**
 * The codes that work now. At most two: the personal code (or, before one is chosen, the
 * initial code) and a temporary code from a letter, which does not cancel the current code
 * until it is used (a letter asked by a stranger must not lock the member out).
 */
export function liveCodes(member: Member, now: number): LiveCode[] {
  const codes: LiveCode[] = [];
  if (member.personalCodeHash) codes.push({ kind: 'PERSONAL', hash: member.personalCodeHash });
  else if (member.initialCodeHash) codes.push({ kind: 'INITIAL', hash: member.initialCodeHash });
  if (member.temporaryCodeHash && (member.temporaryCodeValidUntil ?? 0) > now) {
    codes.push({ kind: 'TEMPORARY', hash: member.temporaryCodeHash });
  }
  return codes;
}

export function isSessionStillValid(member: Member, sessionCreatedAt: number): boolean {
  return member.deactivatedAt === undefined && sessionCreatedAt >= member.sessionsValidAfter;
}
