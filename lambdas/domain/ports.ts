import type { AuditEvent, AuditOutcome, AuditRetention } from './audit-events.ts';
import type { AttemptCounter } from './lockout.ts';
import type { Member, PostalAddress } from './member.ts';
import type { MetricName } from './metrics.ts';
import type { ThrottleScope, WindowCounts } from './throttles.ts';

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
  /** Operator import: creates or updates the profile; never touches a personal code. */
  upsertProfile(profile: ImportedProfile, now: number): Promise<UpsertedProfile>;
  /** Sets the initial code (valid until `validUntil`) unless the member already chose a personal code. */
  setInitialCodeHash(key: string, hash: string, validUntil: number): Promise<boolean>;
  /** Marks the lock notice of the lock ending at `lockedUntil` as sent: false if it already was (one per lock). */
  recordLockNotice(key: string, lockedUntil: number): Promise<boolean>;
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
  /**
   * Counts one use of the link before its NIR is compared, and returns it — unless it is unknown,
   * expired, or already used `maxUses` times (then undefined): concurrent guesses of the NIR get
   * no more tries than that.
   */
  reserveUse(tokenHash: string, now: number, maxUses: number): Promise<ResetLinkRecord | undefined>;
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

/** A forgotten-code request: its branch (mail, letter, nothing) is worked out off the response path. */
export interface ForgotJob {
  readonly kind: 'FORGOT';
  readonly memberKey: string;
  readonly requestId: string;
  readonly sourceIp?: string | undefined;
  readonly language: 'fr' | 'en';
}

/** A lock just started on a NIR: the member, if any and with an email, gets a notice. */
export interface LockNoticeJob {
  readonly kind: 'LOCK_NOTICE';
  readonly memberKey: string;
  readonly requestId: string;
  readonly lockedUntil: number;
  readonly language: 'fr' | 'en';
}

export type BackgroundJob = ForgotJob | LockNoticeJob;

/**
 * Takes work whose cost depends on the account off the response path (an async Lambda invocation
 * in AWS), so that answers and their timing are the same whether or not a member exists.
 */
export interface BackgroundJobs {
  dispatch(job: BackgroundJob): Promise<void>;
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
  /** Counts one event in a throttle window, only while the window holds fewer than `cap`: false when refused. */
  reserveWindow(scope: ThrottleScope, window: number, cap: number, expiresAt: number): Promise<boolean>;
  /** Gives a reservation back (the attempt succeeded, or another guard refused it). */
  releaseWindow(scope: ThrottleScope, window: number): Promise<void>;
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

export interface SessionRecord {
  readonly sid: string;
  readonly memberKey: string;
  readonly memberId: string;
  /** The member's `codeVersion` when the code was verified: the session dies when it moves. */
  readonly codeVersion: number;
  readonly createdAt: number;
  readonly lastRefreshAt: number;
  readonly absoluteExpiresAt: number;
  readonly refreshHash: string;
  /** The refresh token rotated last, and when: presented again within the grace, it gets the same answer. */
  readonly rotatedFromHash?: string | undefined;
  readonly rotatedAt?: number | undefined;
  /** Hashes of refresh tokens already rotated: presenting one again (after the grace) is a replay. */
  readonly previousRefreshHashes: readonly string[];
  readonly revokedAt?: number | undefined;
}

export interface SessionStore {
  /**
   * Writes the session only while the member's `codeVersion` is still the session's and the member
   * is not deactivated (one transaction): false otherwise, and nothing is written.
   */
  create(session: SessionRecord): Promise<boolean>;
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
  /** The member's `codeVersion` when the code was verified. */
  readonly codeVersion: number;
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
  record(event: AuditEvent, fields: EventFields): void | Promise<void>;
}

export interface EventFields {
  readonly requestId: string;
  readonly memberKey?: string | undefined;
  readonly memberId?: string | undefined;
  readonly sourceIp?: string | undefined;
  /** Who ran an operator command: the verified identity. */
  readonly operator?: string | undefined;
  /** The name an operator gave (`OPERATOR`): recorded beside the verified identity, never instead of it. */
  readonly operatorClaim?: string | undefined;
  /** A count for the alarms (CloudWatch embedded metric format). */
  readonly metric?: MetricName | undefined;
  readonly [detail: string]: string | number | boolean | undefined;
}

export interface AuditEntry {
  readonly at: number;
  readonly event: AuditEvent;
  readonly outcome: AuditOutcome;
  readonly requestId: string;
  readonly memberId?: string | undefined;
  readonly sourceIp?: string | undefined;
  readonly operator?: string | undefined;
  readonly operatorClaim?: string | undefined;
  readonly detail?: Readonly<Record<string, string | number | boolean>> | undefined;
}

/** The audit trail, one partition per NIR key; each entry kept for its retention class. */
export interface AuditTrail {
  append(memberKey: string, entry: AuditEntry, retention: Exclude<AuditRetention, 'log'>): Promise<void>;
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
