import type { AttemptCounter, WindowCounts } from './lockout.ts';
import type { Member, PostalAddress } from './member.ts';

/**
 * What the domain needs from the outside world. Adapters (DynamoDB, SES, KMS, files) implement
 * these; the domain never imports an AWS SDK.
 */

/** A keyed hash whose key lives outside the database (a local key file, or a KMS HMAC key). */
export interface KeyedHasher {
  digest(message: string): Promise<Buffer>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface MemberRepository {
  get(key: string): Promise<Member | undefined>;
  /**
   * Makes `personalCodeHash` the member's only code, drops initial and temporary codes, bumps
   * `codeVersion` and kills older sessions — only if `codeVersion` is still `expectedCodeVersion`.
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
  /** Operator import: creates or updates the profile; never touches a personal code. */
  upsertProfile(profile: ImportedProfile, now: number): Promise<UpsertedProfile>;
  /** Sets the initial code unless the member already chose a personal code. */
  setInitialCodeHash(key: string, hash: string): Promise<boolean>;
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

export interface ResetLinkRecord {
  readonly memberKey: string;
  readonly expiresAt: number;
}

/** Lookup from a reset link's hash to its member; the link itself is never stored. */
export interface ResetLinkStore {
  put(tokenHash: string, record: ResetLinkRecord): Promise<void>;
  get(tokenHash: string): Promise<ResetLinkRecord | undefined>;
  delete(tokenHash: string): Promise<void>;
}

export type LetterState = 'PENDING' | 'EXPORTING' | 'EXPORTED' | 'CANCELLED';

export interface LetterRequest {
  readonly letterId: string;
  readonly memberKey: string;
  readonly memberId: string;
  readonly requestedAt: number;
  readonly requestedBy: 'MEMBER' | 'CUSTOMER_SERVICE';
  readonly requestId: string;
  readonly state: LetterState;
  /** The export run that claimed it, while EXPORTING and after, and when. */
  readonly runId?: string | undefined;
  readonly claimedAt?: number | undefined;
  readonly fileName?: string | undefined;
  readonly exportedAt?: number | undefined;
}

export interface LetterStore {
  /**
   * Queues a letter and marks it outstanding on the member, both or neither: refused when one is
   * already outstanding, or (for `notIfExportedSince`) when a letter left since then.
   */
  queue(letter: LetterRequest, rules: { readonly notIfExportedSince?: number }): Promise<boolean>;
  list(state: 'PENDING' | 'EXPORTING'): Promise<LetterRequest[]>;
  get(letterId: string): Promise<LetterRequest | undefined>;
  /** PENDING → EXPORTING for `runId`, or an EXPORTING letter of a run that left no file → `runId`. */
  claim(letter: LetterRequest, runId: string, claimedAt: number): Promise<boolean>;
  /** Gives the member the letter's temporary code and marks the letter EXPORTED, both or neither. */
  commit(letter: LetterRequest, export_: LetterExportRecord): Promise<boolean>;
  /** The member was deactivated since: no letter. */
  cancel(letter: LetterRequest, now: number): Promise<void>;
}

export interface LetterExportRecord {
  readonly temporaryCodeHash: string;
  readonly validUntil: number;
  readonly exportedAt: number;
  readonly fileName: string;
}

/** Where export files go: a local folder, or the letters bucket. Writes are all-or-nothing. */
export interface LetterFiles {
  exists(name: string): Promise<boolean>;
  write(name: string, content: string): Promise<string>;
}

export interface ForgotJob {
  readonly memberKey: string;
  readonly requestId: string;
  readonly sourceIp?: string | undefined;
  readonly language: 'fr' | 'en';
}

/** Takes a forgotten-code request off the response path (an async Lambda invocation in AWS). */
export interface ForgotDispatcher {
  dispatch(job: ForgotJob): Promise<void>;
}

export interface ImportedProfile {
  readonly key: string;
  readonly newMemberId: string;
  /** Used only when the member is created. */
  readonly newCodeSalt: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly maskedNir: string;
  readonly nirWindowDigests: readonly string[];
  readonly email?: string | undefined;
  readonly address?: PostalAddress | undefined;
  readonly clientId?: string | undefined;
}

export interface TermsAcceptance {
  readonly version: string;
  readonly acceptedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
}

export interface VersionedCounter {
  readonly counter: AttemptCounter;
  /** Optimistic-concurrency version; 0 when no item exists yet. */
  readonly version: number;
}

export interface AttemptStore {
  loadCounter(nirKey: string): Promise<VersionedCounter>;
  /** Conditional on `expectedVersion`: false when another request wrote first. */
  saveCounter(nirKey: string, counter: AttemptCounter, expectedVersion: number, expiresAt: number): Promise<boolean>;
  /**
   * Everything an attempt needs to know before it may check a code — the member (if any), the
   * NIR's counter and the throttle windows — in one round trip: the sign-in's hot path.
   */
  loadAttemptState(nirKey: string, windows: readonly ThrottleWindow[]): Promise<AttemptState>;
  addFailure(scope: ThrottleScope, window: number, expiresAt: number): Promise<void>;
}

export interface ThrottleWindow {
  readonly scope: ThrottleScope;
  readonly window: number;
}

export interface AttemptState {
  readonly member: Member | undefined;
  readonly counter: VersionedCounter;
  /** Same order as the windows asked for. */
  readonly counts: readonly WindowCounts[];
}

export interface ThrottleScope {
  readonly kind: 'IP' | 'CODE';
  readonly id: string;
}

export interface SessionRecord {
  readonly sid: string;
  readonly memberKey: string;
  readonly memberId: string;
  readonly createdAt: number;
  readonly lastRefreshAt: number;
  readonly absoluteExpiresAt: number;
  readonly refreshHash: string;
  /** Hashes of refresh tokens already rotated: presenting one again is a replay. */
  readonly previousRefreshHashes: readonly string[];
  readonly revokedAt?: number | undefined;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  get(sid: string): Promise<SessionRecord | undefined>;
  /** Conditional on the session's refresh hash being still `session.refreshHash`: exactly one rotation wins. */
  rotate(session: SessionRecord, nextHash: string, now: number, keepPrevious: number): Promise<boolean>;
  revoke(sid: string, reason: SessionRevocationReason, now: number): Promise<void>;
}

export type SessionRevocationReason = 'LOGOUT' | 'REPLAY' | 'MEMBER_INVALIDATED' | 'EXPIRED';

export interface Terms {
  readonly version: string;
  readonly url: string;
  readonly publishedAt: number;
}

export interface TermsStore {
  current(): Promise<Terms | undefined>;
  /** Idempotent for the same version and URL; makes it the current version. */
  publish(terms: Terms): Promise<void>;
}

export interface ChallengeRecord {
  readonly memberKey: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface ChallengeStore {
  put(hash: string, record: ChallengeRecord): Promise<void>;
  get(hash: string): Promise<ChallengeRecord | undefined>;
  /** Deletes it if still there and unexpired; returns it only to the one caller that deleted it. */
  consume(hash: string, now: number): Promise<ChallengeRecord | undefined>;
}

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * Security events for operators: logged, and kept in the member's audit trail when `memberKey`
 * (the NIR's keyed hash, known or not) is given. Fields never carry a NIR, a code, a token or a link.
 */
export interface SecurityEvents {
  record(event: string, fields: EventFields): void | Promise<void>;
}

export interface EventFields {
  readonly requestId: string;
  readonly memberKey?: string | undefined;
  readonly memberId?: string | undefined;
  readonly sourceIp?: string | undefined;
  /** Who ran an operator command. */
  readonly operator?: string | undefined;
  readonly [detail: string]: string | number | boolean | undefined;
}

export interface AuditEntry {
  readonly at: number;
  readonly event: string;
  readonly outcome: 'SUCCESS' | 'FAILURE' | 'REFUSED' | 'INFO';
  readonly requestId: string;
  readonly memberId?: string | undefined;
  readonly sourceIp?: string | undefined;
  readonly operator?: string | undefined;
  readonly detail?: Readonly<Record<string, string | number | boolean>> | undefined;
}

/** The audit trail, one partition per NIR key, kept for the configured retention. */
export interface AuditTrail {
  append(memberKey: string, entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(memberKey: string, since?: number): Promise<AuditEntry[]>;
}

export type DeactivationReason = 'MEMBER' | 'CLIENT';

export interface Deactivation {
  readonly at: number;
  /** The operator who ran the command. */
  readonly by: string;
  readonly reason: DeactivationReason;
}

export interface ClientRecord {
  readonly clientId: string;
  readonly deactivatedAt?: number | undefined;
  readonly deactivatedBy?: string | undefined;
}

/** Deactivation state of members and client companies (CGU 3.5 / 3.6). */
export interface AccessStore {
  /** Active → deactivated, with its audit entry, both or neither; false when it already was. */
  deactivate(memberKey: string, deactivation: Deactivation, audit: AuditEntry): Promise<boolean>;
  /** Deactivated (for `onlyReason`, when given) → active, with its audit entry; false otherwise. */
  reactivate(memberKey: string, onlyReason: DeactivationReason | undefined, audit: AuditEntry): Promise<boolean>;
  getClient(clientId: string): Promise<ClientRecord | undefined>;
  setClientDeactivation(clientId: string, deactivation: { at: number; by: string } | undefined): Promise<void>;
  /** The members attached to a client, page by page. */
  membersOfClient(clientId: string): AsyncIterable<{ readonly key: string; readonly memberId: string }>;
}
