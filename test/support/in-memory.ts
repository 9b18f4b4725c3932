/**
 * In-memory stand-ins for the domain's ports, for unit tests of the orchestration without Java.
 * Each keeps the conditions its DynamoDB adapter writes under (versions, "only if still", both or
 * neither), so the races the domain guards against can be played here too; one contract suite per port
 * (test/support/port-contracts.ts) holds each fake and its DynamoDB adapter to the same cases.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  type AttemptState,
  type AttemptStore,
  deviceCounterKey,
  type ThrottleWindow,
  type VersionedCounter,
} from '../../lambdas/domain/attempts.ts';
import type { PendingAuditEntry } from '../../lambdas/domain/audit-events.ts';
import { type AuditEvent, outcomeOf } from '../../lambdas/domain/audit-events.ts';
import type { BackgroundJob, BackgroundJobs } from '../../lambdas/domain/background-jobs.ts';
import type {
  CodeReplacement,
  DeviceChallengeRecord,
  DeviceChallengeStore,
} from '../../lambdas/domain/device-verification.ts';
import { OperatorInputError } from '../../lambdas/domain/errors.ts';
import type { ResetLinkRecord, ResetLinkStore } from '../../lambdas/domain/forgotten-code.ts';
import type { LetterExportRecord, LetterFiles, LetterRequest, LetterStore } from '../../lambdas/domain/letters.ts';
import { type AttemptCounter, EMPTY_COUNTER } from '../../lambdas/domain/lockout.ts';
import type {
  ImportedProfile,
  Member,
  MemberRepository,
  PersonalCodeChange,
  ResetLinkIssue,
  TermsAcceptance,
  UpsertedProfile,
} from '../../lambdas/domain/member.ts';
import type {
  PasskeyRecord,
  PasskeyStore,
  WebAuthnChallengeRecord,
  WebAuthnChallengeStore,
} from '../../lambdas/domain/passkeys.ts';
import type {
  Clock,
  EventFields,
  KeyedHasher,
  Mailer,
  OutgoingMail,
  PreparedEvent,
  SecurityEvents,
} from '../../lambdas/domain/ports.ts';
import type { SessionRecord, SessionRevocationReason, SessionStore } from '../../lambdas/domain/sessions.ts';
import type { ChallengeRecord, ChallengeStore, Terms, TermsStore } from '../../lambdas/domain/terms.ts';
import type { ThrottleScope } from '../../lambdas/domain/throttles.ts';
import type { StoredDevice, TrustedDeviceRecord, TrustedDeviceStore } from '../../lambdas/domain/trusted-devices.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A copy, so that nothing a caller holds changes under it (as with a database read). */
const copy = <T>(value: T): T => structuredClone(value);

class FakeClock implements Clock {
  #now: number;

  constructor(start = Date.UTC(2026, 10, 26, 9, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

/** An HMAC key of its own, as a local key file would hold. */
export function inMemoryKey(): KeyedHasher {
  const key = randomBytes(32);
  return { digest: async (message) => createHmac('sha256', key).update(message).digest() };
}

interface RecordedEvent {
  readonly event: AuditEvent;
  readonly fields: EventFields;
}

/** Events nobody reads: for tests of the stores. */
export const silentEvents: SecurityEvents = { record: () => undefined, prepare: () => ({ log: () => undefined }) };

class RecordingEvents implements SecurityEvents {
  readonly recorded: RecordedEvent[] = [];

  record(event: AuditEvent, fields: EventFields): void {
    this.recorded.push({ event, fields });
  }

  readonly #pending = new WeakMap<PendingAuditEntry, RecordedEvent>();

  /** Recorded when a store writes its entry (`written`), as that store's transaction would. */
  prepare(event: AuditEvent, fields: EventFields): PreparedEvent {
    const trail: PendingAuditEntry = {
      memberKey: fields.memberKey ?? '',
      entry: { at: 0, event, outcome: outcomeOf(event), requestId: fields.requestId },
      retention: 'keep',
    };
    this.#pending.set(trail, { event, fields });
    return { trail, log: () => undefined };
  }

  /** A store in memory wrote these prepared entries with its own write. */
  written(entries: readonly PendingAuditEntry[]): void {
    for (const entry of entries) {
      const recorded = this.#pending.get(entry);
      if (recorded) this.recorded.push(recorded);
    }
  }

  names(): AuditEvent[] {
    return this.recorded.map((r) => r.event);
  }

  count(event: AuditEvent): number {
    return this.recorded.filter((r) => r.event === event).length;
  }
}

class RecordingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  failing = false;

  async send(mail: OutgoingMail): Promise<void> {
    if (this.failing) throw new Error('mail service unavailable');
    this.sent.push(mail);
  }
}

/** Jobs kept until `runAll`, as an async invocation would run them later. */
class QueuedJobs implements BackgroundJobs {
  readonly queued: BackgroundJob[] = [];

  async dispatch(job: BackgroundJob): Promise<void> {
    this.queued.push(job);
  }

  async runAll(run: (job: BackgroundJob) => Promise<void>): Promise<void> {
    for (const job of this.queued.splice(0)) await run(job);
  }
}

/** Members, by key; also what the session and letter stores' transactions check. */
class InMemoryMembers implements MemberRepository {
  readonly #items = new Map<string, Mutable<Member> & { createdAt?: number }>();
  readonly termsProofs: Array<TermsAcceptance & { readonly key: string }> = [];

  async get(key: string): Promise<Member | undefined> {
    return this.peek(key);
  }

  /** The stored member, synchronously (for the other stores' conditions, and for assertions). */
  peek(key: string): Member | undefined {
    const item = this.#items.get(key);
    return item ? copy(item) : undefined;
  }

  /** Changes a stored member directly: what an operator or another function did meanwhile. */
  update(key: string, change: (member: Mutable<Member>) => void): void {
    const item = this.#items.get(key);
    if (!item) throw new Error('no such member');
    change(item);
  }

  async setPersonalCode(key: string, change: PersonalCodeChange): Promise<boolean> {
    const item = this.#items.get(key);
    if (!item || item.codeVersion !== change.expectedCodeVersion) return false;
    if (change.resetTokenHash !== undefined && item.resetTokenHash !== change.resetTokenHash) return false;
    item.personalCodeHash = change.hash;
    item.personalCodeSetAt = change.now;
    item.codeVersion = change.expectedCodeVersion + 1;
    for (const gone of [
      'initialCodeHash',
      'initialCodeValidUntil',
      'temporaryCodeHash',
      'temporaryCodeValidUntil',
      'resetTokenHash',
      'resetIssuedAt',
      'codeSignInDisabled',
    ] as const)
      delete item[gone];
    return true;
  }

  async ensurePasskeyUserId(key: string, candidate: string): Promise<string> {
    const item = this.#items.get(key);
    if (!item) throw new Error('conditional check failed');
    item.passkeyUserId ??= candidate;
    return item.passkeyUserId;
  }

  async setCodeSignInDisabled(key: string, disabled: boolean): Promise<void> {
    const item = this.#items.get(key);
    if (!item) throw new Error('conditional check failed');
    if (disabled) item.codeSignInDisabled = true;
    else delete item.codeSignInDisabled;
  }

  async replaceCodeHash(key: string, field: 'personalCodeHash', previous: string, next: string): Promise<void> {
    const item = this.#items.get(key);
    if (item?.[field] === previous) item[field] = next;
  }

  async recordTermsAcceptance(key: string, acceptance: TermsAcceptance): Promise<void> {
    this.termsProofs.push({ key, ...acceptance });
    const item = this.#items.get(key);
    if (!item) throw new Error('conditional check failed');
    item.termsVersion = acceptance.version;
    item.termsAcceptedAt = acceptance.acceptedAt;
  }

  async recordResetLink(key: string, link: ResetLinkIssue): Promise<boolean> {
    const item = this.#items.get(key);
    if (!item || (item.resetVersion ?? 0) !== link.expectedResetVersion) return false;
    item.resetTokenHash = link.tokenHash;
    item.resetIssuedAt = link.issuedAt;
    item.recentResetMails = [...link.recentResetMails];
    item.resetVersion = link.expectedResetVersion + 1;
    return true;
  }

  async upsertProfile(profile: ImportedProfile, now: number): Promise<UpsertedProfile | undefined> {
    const existing = this.#items.get(profile.key);
    if (
      profile.initialCode &&
      (existing?.personalCodeHash || (existing && existing.codeSalt !== profile.newCodeSalt))
    ) {
      return undefined;
    }
    const item: Mutable<Member> & { createdAt?: number } = existing ?? {
      key: profile.key,
      memberId: profile.newMemberId,
      codeSalt: profile.newCodeSalt,
      codeVersion: 0,
      createdAt: now,
      firstName: '',
      lastName: '',
      maskedNir: '',
    };
    // A link mailed to a former address stops working (contract, amended 2026-12-07).
    if (existing && existing.email !== profile.email && existing.resetTokenHash) {
      delete item.resetTokenHash;
      delete item.resetIssuedAt;
    }
    Object.assign(item, {
      firstName: profile.firstName,
      lastName: profile.lastName,
      maskedNir: profile.maskedNir,
      email: profile.email,
      address: profile.address,
      clientId: profile.clientId,
      ...(profile.importDigest === undefined ? {} : { importDigest: profile.importDigest }),
      ...(profile.accessEndsAt === undefined ? {} : { accessEndsAt: profile.accessEndsAt ?? undefined }),
      ...(profile.initialCode
        ? { initialCodeHash: profile.initialCode.hash, initialCodeValidUntil: profile.initialCode.validUntil }
        : {}),
    });
    this.#items.set(profile.key, item);
    return {
      created: !existing,
      hasPersonalCode: Boolean(item.personalCodeHash),
      codeSalt: item.codeSalt,
      memberId: item.memberId,
    };
  }

  async setInitialCodeHash(key: string, hash: string, validUntil: number): Promise<boolean> {
    const item = this.#items.get(key);
    if (!item || item.personalCodeHash) return false;
    item.initialCodeHash = hash;
    item.initialCodeValidUntil = validUntil;
    return true;
  }

  async recordLockNotice(key: string, lockedUntil: number): Promise<boolean> {
    const item = this.#items.get(key);
    if (!item || item.lockNoticeFor === lockedUntil) return false;
    item.lockNoticeFor = lockedUntil;
    return true;
  }
}

const scopeKey = (scope: ThrottleScope, window: number) => `${scope.kind}#${scope.id}#${window}`;

class InMemoryAttempts implements AttemptStore {
  readonly #counters = new Map<string, VersionedCounter>();
  readonly #windows = new Map<string, number>();
  readonly #members: InMemoryMembers;
  readonly #devices: InMemoryTrustedDevices | undefined;

  constructor(members: InMemoryMembers, devices?: InMemoryTrustedDevices) {
    this.#members = members;
    this.#devices = devices;
  }

  async loadCounter(nirKey: string): Promise<VersionedCounter> {
    return copy(this.#counters.get(nirKey) ?? { counter: EMPTY_COUNTER, version: 0 });
  }

  async saveCounter(nirKey: string, counter: AttemptCounter, expectedVersion: number): Promise<boolean> {
    if ((this.#counters.get(nirKey)?.version ?? 0) !== expectedVersion) return false;
    this.#counters.set(nirKey, { counter: copy(counter), version: expectedVersion + 1 });
    return true;
  }

  async loadAttemptState(
    nirKey: string,
    windows: readonly ThrottleWindow[],
    deviceHash?: string,
  ): Promise<AttemptState> {
    const record = deviceHash ? this.#devices?.peek(deviceHash) : undefined;
    return {
      member: this.#members.peek(nirKey),
      counter: await this.loadCounter(nirKey),
      counts: windows.map(({ scope, window }) => ({
        current: this.#windows.get(scopeKey(scope, window)) ?? 0,
        previous: this.#windows.get(scopeKey(scope, window - 1)) ?? 0,
      })),
      device:
        record && deviceHash
          ? { hash: deviceHash, record, counter: await this.loadCounter(deviceCounterKey(deviceHash)) }
          : undefined,
    };
  }

  async reserveWindow(scope: ThrottleScope, window: number, cap: number): Promise<boolean> {
    const key = scopeKey(scope, window);
    const count = this.#windows.get(key) ?? 0;
    if (count >= cap) return false;
    this.#windows.set(key, count + 1);
    return true;
  }

  async releaseWindow(scope: ThrottleScope, window: number): Promise<void> {
    const key = scopeKey(scope, window);
    const count = this.#windows.get(key) ?? 0;
    if (count > 0) this.#windows.set(key, count - 1);
  }
}

class InMemorySessionStore implements SessionStore {
  readonly #items = new Map<string, Mutable<SessionRecord> & { revokeReason?: SessionRevocationReason }>();
  readonly #members: InMemoryMembers;
  readonly #events: RecordingEvents | undefined;

  /** `events`: where the audit entries written with a session are recorded. */
  constructor(members: InMemoryMembers, events?: RecordingEvents) {
    this.#members = members;
    this.#events = events;
  }

  async create(session: SessionRecord, audit: readonly PendingAuditEntry[]): Promise<boolean> {
    const member = this.#members.peek(session.memberKey);
    if (this.#items.has(session.sid) || member?.codeVersion !== session.codeVersion || member.deactivatedAt)
      return false;
    this.#items.set(session.sid, copy(session));
    this.#events?.written(audit);
    return true;
  }

  async get(sid: string): Promise<SessionRecord | undefined> {
    const item = this.#items.get(sid);
    return item ? copy(item) : undefined;
  }

  async rotate(session: SessionRecord, nextHash: string, now: number, keepPrevious: number): Promise<boolean> {
    const item = this.#items.get(session.sid);
    if (!item || item.refreshHash !== session.refreshHash || item.revokedAt !== undefined) return false;
    Object.assign(item, {
      previousRefreshHashes: [...session.previousRefreshHashes, session.refreshHash].slice(-keepPrevious),
      rotatedFromHash: session.refreshHash,
      refreshHash: nextHash,
      rotatedAt: now,
      lastRefreshAt: now,
    });
    return true;
  }

  async rebind(
    sid: string,
    fromCodeVersion: number,
    to: { codeVersion: number; deviceId?: string | undefined },
  ): Promise<boolean> {
    const item = this.#items.get(sid);
    if (!item || item.revokedAt !== undefined || item.codeVersion !== fromCodeVersion) return false;
    const { deviceId: _former, ...rest } = item;
    this.#items.set(sid, { ...rest, codeVersion: to.codeVersion, ...(to.deviceId ? { deviceId: to.deviceId } : {}) });
    return true;
  }

  async revoke(sid: string, reason: SessionRevocationReason, now: number): Promise<void> {
    const item = this.#items.get(sid);
    if (item && item.revokedAt === undefined) Object.assign(item, { revokedAt: now, revokeReason: reason });
  }

  async listByMember(memberKey: string): Promise<SessionRecord[]> {
    return [...this.#items.values()]
      .filter((s) => s.memberKey === memberKey)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map(copy);
  }

  revokeReasonOf(sid: string): SessionRevocationReason | undefined {
    return this.#items.get(sid)?.revokeReason;
  }
}

class InMemoryTerms implements TermsStore {
  readonly #versions = new Map<string, Terms>();
  #current: Terms | undefined;

  async current(): Promise<Terms | undefined> {
    return this.#current;
  }

  /** As its adapter: a version is written once (its first date kept); another URL for it is refused. */
  async publish(terms: Terms): Promise<void> {
    const existing = this.#versions.get(terms.version);
    if (existing && existing.url !== terms.url) {
      throw new OperatorInputError(`terms version ${terms.version} was already published with another URL`);
    }
    const record = existing ?? copy(terms);
    this.#versions.set(record.version, record);
    this.#current = record;
  }
}

class InMemoryChallenges implements ChallengeStore {
  readonly #items = new Map<string, ChallengeRecord>();

  async put(hash: string, record: ChallengeRecord): Promise<void> {
    if (this.#items.has(hash)) throw new Error('conditional check failed');
    this.#items.set(hash, record);
  }

  async get(hash: string): Promise<ChallengeRecord | undefined> {
    return this.#items.get(hash);
  }

  async consume(hash: string, now: number): Promise<ChallengeRecord | undefined> {
    const record = this.#items.get(hash);
    if (!record || record.expiresAt <= now) return undefined;
    this.#items.delete(hash);
    return record;
  }
}

class InMemoryTrustedDevices implements TrustedDeviceStore {
  readonly #items = new Map<string, TrustedDeviceRecord>();

  peek(hash: string): TrustedDeviceRecord | undefined {
    const item = this.#items.get(hash);
    return item ? copy(item) : undefined;
  }

  async put(hash: string, record: TrustedDeviceRecord): Promise<void> {
    if (this.#items.has(hash)) throw new Error('conditional check failed');
    this.#items.set(hash, copy(record));
  }

  async get(hash: string): Promise<TrustedDeviceRecord | undefined> {
    return this.peek(hash);
  }

  async touch(hash: string, now: number): Promise<void> {
    const item = this.#items.get(hash);
    if (item) this.#items.set(hash, { ...item, lastUsedAt: now });
  }

  async rebind(hash: string, fromCodeVersion: number, toCodeVersion: number): Promise<boolean> {
    const item = this.#items.get(hash);
    if (!item || item.codeVersion !== fromCodeVersion) return false;
    this.#items.set(hash, { ...item, codeVersion: toCodeVersion });
    return true;
  }

  async listByMember(memberKey: string): Promise<StoredDevice[]> {
    return [...this.#items.entries()]
      .filter(([, record]) => record.memberKey === memberKey)
      .map(([hash, record]) => ({ hash, record: copy(record) }));
  }

  async delete(hash: string): Promise<void> {
    this.#items.delete(hash);
  }
}

class InMemoryDeviceChallenges implements DeviceChallengeStore {
  readonly #items = new Map<string, DeviceChallengeRecord>();

  async put(hash: string, record: DeviceChallengeRecord): Promise<void> {
    if (this.#items.has(hash)) throw new Error('conditional check failed');
    this.#items.set(hash, copy(record));
  }

  async reserveCheck(hash: string, maxChecks: number, now: number): Promise<DeviceChallengeRecord | undefined> {
    const item = this.#items.get(hash);
    if (!item || item.checks >= maxChecks || item.expiresAt <= now) return undefined;
    const next = { ...item, checks: item.checks + 1 };
    this.#items.set(hash, next);
    return copy(next);
  }

  async replaceCode(hash: string, change: CodeReplacement, now: number): Promise<DeviceChallengeRecord | undefined> {
    const item = this.#items.get(hash);
    if (!item || item.expiresAt <= now || item.checks >= change.maxChecks || item.resends >= change.maxResends) {
      return undefined;
    }
    const next = { ...item, codeHash: change.codeHash, expiresAt: change.expiresAt, resends: item.resends + 1 };
    this.#items.set(hash, next);
    return copy(next);
  }

  async consume(hash: string, now: number): Promise<DeviceChallengeRecord | undefined> {
    const item = this.#items.get(hash);
    if (!item || item.expiresAt <= now) return undefined;
    this.#items.delete(hash);
    return copy(item);
  }
}

class InMemoryPasskeys implements PasskeyStore {
  readonly #items = new Map<string, PasskeyRecord>();

  async create(record: PasskeyRecord): Promise<void> {
    if (this.#items.has(record.credentialId)) throw new Error('conditional check failed');
    this.#items.set(record.credentialId, copy(record));
  }

  async get(credentialId: string): Promise<PasskeyRecord | undefined> {
    const item = this.#items.get(credentialId);
    return item ? copy(item) : undefined;
  }

  async listByMember(memberKey: string): Promise<PasskeyRecord[]> {
    return [...this.#items.values()].filter((p) => p.memberKey === memberKey).map(copy);
  }

  async recordUse(credentialId: string, expected: number, next: number, now: number): Promise<boolean> {
    const item = this.#items.get(credentialId);
    if (!item || item.counter !== expected) return false;
    this.#items.set(credentialId, { ...item, counter: next, lastUsedAt: now });
    return true;
  }

  async rename(credentialId: string, name: string): Promise<void> {
    const item = this.#items.get(credentialId);
    if (item) this.#items.set(credentialId, { ...item, name });
  }

  async delete(credentialId: string): Promise<void> {
    this.#items.delete(credentialId);
  }
}

class InMemoryWebAuthnChallenges implements WebAuthnChallengeStore {
  readonly #items = new Map<string, WebAuthnChallengeRecord>();

  async put(hash: string, record: WebAuthnChallengeRecord): Promise<void> {
    if (this.#items.has(hash)) throw new Error('conditional check failed');
    this.#items.set(hash, copy(record));
  }

  async consume(hash: string, now: number): Promise<WebAuthnChallengeRecord | undefined> {
    const item = this.#items.get(hash);
    if (!item || item.expiresAt <= now || item.purpose !== 'REGISTER') return undefined;
    this.#items.delete(hash);
    return item;
  }

  readonly #used = new Set<string>();

  async recordUse(hash: string): Promise<boolean> {
    if (this.#used.has(hash)) return false;
    this.#used.add(hash);
    return true;
  }

  /** How many items are stored: what an anonymous request must not grow. */
  get size(): number {
    return this.#items.size + this.#used.size;
  }
}

class InMemoryResetLinks implements ResetLinkStore {
  readonly #items = new Map<string, ResetLinkRecord & { uses: number }>();

  async put(tokenHash: string, record: ResetLinkRecord): Promise<void> {
    if (this.#items.has(tokenHash)) throw new Error('conditional check failed');
    this.#items.set(tokenHash, { ...record, uses: 0 });
  }

  async reserveUse(tokenHash: string, now: number, maxUses: number): Promise<ResetLinkRecord | undefined> {
    const item = this.#items.get(tokenHash);
    if (!item || item.expiresAt <= now || item.uses >= maxUses) return undefined;
    item.uses++;
    return { memberKey: item.memberKey, expiresAt: item.expiresAt };
  }

  async find(tokenHash: string, now: number, maxUses: number): Promise<ResetLinkRecord | undefined> {
    const item = this.#items.get(tokenHash);
    if (!item || item.expiresAt <= now || item.uses >= maxUses) return undefined;
    return { memberKey: item.memberKey, expiresAt: item.expiresAt };
  }

  async delete(tokenHash: string): Promise<void> {
    this.#items.delete(tokenHash);
  }

  get size(): number {
    return this.#items.size;
  }
}

class InMemoryLetters implements LetterStore {
  readonly #items = new Map<string, Mutable<LetterRequest>>();
  readonly #members: InMemoryMembers;

  constructor(members: InMemoryMembers) {
    this.#members = members;
  }

  async queue(letter: LetterRequest, rules: { readonly notIfExportedSince?: number }): Promise<boolean> {
    const member = this.#members.peek(letter.memberKey);
    if (!member || member.letterOutstandingId || member.deactivatedAt !== undefined) return false;
    if (rules.notIfExportedSince !== undefined && (member.lastLetterExportedAt ?? 0) >= rules.notIfExportedSince)
      return false;
    this.#members.update(letter.memberKey, (m) => {
      m.letterOutstandingId = letter.letterId;
    });
    this.#items.set(letter.letterId, copy(letter));
    return true;
  }

  async list(state: 'PENDING' | 'EXPORTING'): Promise<LetterRequest[]> {
    return [...this.#items.values()]
      .filter((l) => l.state === state)
      .sort((a, b) => a.requestedAt - b.requestedAt)
      .map(copy);
  }

  async get(letterId: string): Promise<LetterRequest | undefined> {
    const item = this.#items.get(letterId);
    return item ? copy(item) : undefined;
  }

  async claim(letter: LetterRequest, runId: string, claimedAt: number): Promise<boolean> {
    const item = this.#items.get(letter.letterId);
    const claimable =
      letter.state === 'PENDING'
        ? item?.state === 'PENDING'
        : item?.state === 'EXPORTING' && item.runId === letter.runId;
    if (!item || !claimable) return false;
    Object.assign(item, { state: 'EXPORTING', runId, claimedAt });
    return true;
  }

  async commit(letter: LetterRequest, exported: LetterExportRecord): Promise<boolean> {
    const item = this.#items.get(letter.letterId);
    if (item?.state !== 'EXPORTING' || item.runId !== letter.runId || !this.#members.peek(letter.memberKey))
      return false;
    Object.assign(item, { state: 'EXPORTED', exportedAt: exported.exportedAt, fileName: exported.fileName });
    this.#members.update(letter.memberKey, (m) => {
      m.temporaryCodeHash = exported.temporaryCodeHash;
      m.temporaryCodeValidUntil = exported.validUntil;
      m.lastLetterExportedAt = exported.exportedAt;
      delete m.letterOutstandingId;
    });
    return true;
  }

  async cancel(letter: LetterRequest): Promise<void> {
    if (this.#members.peek(letter.memberKey)?.letterOutstandingId === letter.letterId)
      this.#members.update(letter.memberKey, (m) => {
        delete m.letterOutstandingId;
      });
    const item = this.#items.get(letter.letterId);
    if (item?.state === 'PENDING' || item?.state === 'EXPORTING') item.state = 'CANCELLED';
  }
}

/** Export files in memory: written whole, or (with `failNextWrite`) not at all. */
export class InMemoryLetterFiles implements LetterFiles {
  readonly files = new Map<string, string>();
  failNextWrite = false;

  async exists(name: string): Promise<boolean> {
    return this.files.has(name);
  }

  async write(name: string, content: string): Promise<string> {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('disk full');
    }
    this.files.set(name, content);
    return `memory:${name}`;
  }
}

/** The in-memory ports of one world: what lambdas/runtime/adapters.ts builds from DynamoDB, KMS, SES. */
export function inMemoryPorts() {
  const clock = new FakeClock();
  const events = new RecordingEvents();
  const members = new InMemoryMembers();
  const deviceStore = new InMemoryTrustedDevices();
  return {
    clock,
    events,
    mailer: new RecordingMailer(),
    jobs: new QueuedJobs(),
    members,
    deviceStore,
    attempts: new InMemoryAttempts(members, deviceStore),
    sessionStore: new InMemorySessionStore(members, events),
    termsStore: new InMemoryTerms(),
    challenges: new InMemoryChallenges(),
    deviceChallenges: new InMemoryDeviceChallenges(),
    resetLinks: new InMemoryResetLinks(),
    letterStore: new InMemoryLetters(members),
    passkeyStore: new InMemoryPasskeys(),
    webauthnChallenges: new InMemoryWebAuthnChallenges(),
  };
}
