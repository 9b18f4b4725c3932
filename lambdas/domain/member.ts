import { hasAccessEnded } from './access-end.ts';
export interface MemberRepository {
  get(key: string): Promise<Member | undefined>;
  /**
   * Makes `personalCodeHash` the member's only code, drops initial and temporary codes, bumps
   * `codeVersion` (which ends every session and challenge bound to the former one) — only if
   * `codeVersion` is still `expectedCodeVersion`.
   */
  setPersonalCode(key: string, change: PersonalCodeChange): Promise<boolean>;
  /** Upgrades a hash to current parameters, only if it is still the one that was verified. */
  replaceCodeHash(key: string, field: 'personalCodeHash', previous: string, next: string): Promise<void>;
  recordTermsAcceptance(key: string, acceptance: TermsAcceptance): Promise<void>;
  /**
   * Records a newly issued reset link (the newer cancels the older) and the time of its mail,
   * only if `resetVersion` is still `expectedResetVersion`.
   */
  recordResetLink(key: string, link: ResetLinkIssue): Promise<boolean>;
  /**
   * Operator import: creates or updates the profile; never touches a personal code. An email that
   * changes (or goes) revokes the reset link mailed to the former address. With `initialCode`, the
   * initial code is written in the same write, only while the member has no personal code and
   * `newCodeSalt` is (or becomes) their salt; otherwise nothing is written (`undefined`).
   */
  upsertProfile(profile: ImportedProfile, now: number): Promise<UpsertedProfile | undefined>;
  /** Sets the initial code (valid until `validUntil`) unless the member already chose a personal code. */
  setInitialCodeHash(key: string, hash: string, validUntil: number): Promise<boolean>;
  /** Marks the lock notice of the lock ending at `lockedUntil` as sent: false if it already was (one per lock). */
  recordLockNotice(key: string, lockedUntil: number): Promise<boolean>;
  /** The member's WebAuthn user handle: `candidate` if none was set yet, else the one already set (first write wins). */
  ensurePasskeyUserId(key: string, candidate: string): Promise<string>;
  /** "Clé d'accès uniquement": codes no longer open the account (a code change lifts it). */
  setCodeSignInDisabled(key: string, disabled: boolean): Promise<void>;
}

export interface UpsertedProfile {
  readonly created: boolean;
  readonly hasPersonalCode: boolean;
  /** The member's salt (kept from before on an update). */
  readonly codeSalt: string;
  readonly memberId: string;
}

export interface PersonalCodeChange {
  readonly hash: string;
  readonly expectedCodeVersion: number;
  readonly now: number;
  /** Set when a reset link is used: the change happens only while it is the member's current link. */
  readonly resetTokenHash?: string;
}

export interface ResetLinkIssue {
  readonly tokenHash: string;
  readonly issuedAt: number;
  /** Reset mails of the last hour, this one included. */
  readonly recentResetMails: readonly number[];
  readonly expectedResetVersion: number;
}

export interface ImportedProfile {
  readonly key: string;
  readonly newMemberId: string;
  /** Used only when the member is created. */
  readonly newCodeSalt: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly maskedNir: string;
  readonly email?: string | undefined;
  readonly address?: PostalAddress | undefined;
  readonly clientId?: string | undefined;
  /** The member's end of access: set, `null` to clear it, undefined to leave it as it is (no column). */
  readonly accessEndsAt?: number | null | undefined;
  readonly importDigest?: string | undefined;
  /** The initial code's hash (with `newCodeSalt`) and its end, set in the same write (see upsertProfile). */
  readonly initialCode?: { readonly hash: string; readonly validUntil: number } | undefined;
}

export interface TermsAcceptance {
  readonly version: string;
  readonly acceptedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
}

export const DEACTIVATION_REASONS = ['MEMBER', 'CLIENT'] as const;
export type DeactivationReason = (typeof DEACTIVATION_REASONS)[number];

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
  /** Salt shared by all of this member's code hashes, so one derivation checks them all. */
  readonly codeSalt: string;
  readonly email?: string | undefined;
  readonly address?: PostalAddress | undefined;
  readonly clientId?: string | undefined;
  /** Code printed on statements; dead once a personal code exists, or after `initialCodeValidUntil`. */
  readonly initialCodeHash?: string | undefined;
  readonly initialCodeValidUntil?: number | undefined;
  /** Code sent by postal letter; valid until `temporaryCodeValidUntil`. */
  readonly temporaryCodeHash?: string | undefined;
  readonly temporaryCodeValidUntil?: number | undefined;
  /** Code chosen by the member: the only one that opens a session. */
  readonly personalCodeHash?: string | undefined;
  readonly personalCodeSetAt?: number | undefined;
  /**
   * Bumped at every code change and at deactivation; guards concurrent changes. Sessions and terms
   * challenges are bound to the version seen when the code was verified, and die when it moves.
   */
  readonly codeVersion: number;
  readonly termsVersion?: string | undefined;
  readonly termsAcceptedAt?: number | undefined;
  readonly deactivatedAt?: number | undefined;
  readonly deactivatedBy?: string | undefined;
  /** Deactivated on its own (CGU 3.5) or with its client company (CGU 3.6). */
  readonly deactivationReason?: DeactivationReason | undefined;
  /** 00:00 Europe/Paris on the member's `endDate` (the membership feed): access ends then, unasked. */
  readonly accessEndsAt?: number | undefined;
  /** The same for the member's client company (`import-clients`), copied onto each of its members. */
  readonly clientAccessEndsAt?: number | undefined;
  /** A keyed digest of the import row last applied: the same row again is `unchanged`, with no write and no hash. */
  readonly importDigest?: string | undefined;
  /** Hash of the current reset link: a newer link replaces it, a code change removes it. */
  readonly resetTokenHash?: string | undefined;
  readonly resetIssuedAt?: number | undefined;
  readonly recentResetMails?: readonly number[] | undefined;
  readonly resetVersion?: number | undefined;
  /** The letter request not exported yet (at most one). */
  readonly letterOutstandingId?: string | undefined;
  readonly lastLetterExportedAt?: number | undefined;
  /** The lock (by its end) whose notice was mailed: one notice per lock. */
  readonly lockNoticeFor?: number | undefined;
  /** WebAuthn user handle: opaque and random, never the NIR. */
  readonly passkeyUserId?: string | undefined;
  /** Passkey only: every code is answered like a wrong one (a used reset link or a letter's code lifts it). */
  readonly codeSignInDisabled?: boolean | undefined;
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
  else if (member.initialCodeHash && (member.initialCodeValidUntil ?? 0) > now)
    codes.push({ kind: 'INITIAL', hash: member.initialCodeHash });
  if (member.temporaryCodeHash && (member.temporaryCodeValidUntil ?? 0) > now) {
    codes.push({ kind: 'TEMPORARY', hash: member.temporaryCodeHash });
  }
  return codes;
}

/**
 * A session or challenge bound to `codeVersion` is good only while the member's code has not
 * changed since and access has not ended (deactivated, or past an end date): versions, not clocks,
 * for the code, so that clock skew between functions and a sign-in racing a code change cannot keep
 * a session alive.
 */
export function isBindingStillValid(member: Member, codeVersion: number, now: number): boolean {
  return !hasAccessEnded(member, now) && member.codeVersion === codeVersion;
}
