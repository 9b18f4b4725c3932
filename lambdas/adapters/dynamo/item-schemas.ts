import * as z from 'zod/mini';
import { AUDIT_EVENTS, AUDIT_OUTCOMES, type AuditEntry, type AuditEvent } from '../../domain/audit-events.ts';
import { LETTER_STATES, type LetterRequest } from '../../domain/letters.ts';
import type { AttemptCounter } from '../../domain/lockout.ts';
import { DEACTIVATION_REASONS, type Member } from '../../domain/member.ts';
import type { PasskeyRecord } from '../../domain/passkeys.ts';
import type { SessionRecord } from '../../domain/sessions.ts';

/**
 * What the table's items hold, checked as they are read: a record the domain gets has the shape its
 * type promises, or the read fails (a 500 that names the item kind and the fields, never a value) —
 * rather than a wrong type travelling on. Keys and index attributes (`pk`, `sk`, `groupPk`…) are
 * dropped: they are the table's, not the record's.
 */

const text = /* @__PURE__ */ z.string();
const instant = /* @__PURE__ */ z.number();
const optional = <T extends z.ZodMiniType>(schema: T) => z.optional(schema);

export const MemberItem = /* @__PURE__ */ z.object({
  key: text,
  memberId: text,
  firstName: text,
  lastName: text,
  maskedNir: text,
  codeSalt: text,
  email: optional(text),
  address: optional(z.object({ line1: text, line2: optional(text), postalCode: text, city: text, country: text })),
  clientId: optional(text),
  initialCodeHash: optional(text),
  initialCodeValidUntil: optional(instant),
  temporaryCodeHash: optional(text),
  temporaryCodeValidUntil: optional(instant),
  personalCodeHash: optional(text),
  personalCodeSetAt: optional(instant),
  codeVersion: z.number(),
  termsVersion: optional(text),
  termsAcceptedAt: optional(instant),
  deactivatedAt: optional(instant),
  deactivatedBy: optional(text),
  deactivationReason: optional(z.enum(DEACTIVATION_REASONS)),
  accessEndsAt: optional(instant),
  clientAccessEndsAt: optional(instant),
  importDigest: optional(text),
  resetTokenHash: optional(text),
  resetIssuedAt: optional(instant),
  recentResetMails: optional(z.array(instant)),
  resetVersion: optional(z.number()),
  letterOutstandingId: optional(text),
  lastLetterExportedAt: optional(instant),
  lockNoticeFor: optional(instant),
  passkeyUserId: optional(text),
  codeSignInDisabled: optional(z.boolean()),
}) satisfies z.ZodMiniType<Member>;

export const PasskeyUserIdItem = /* @__PURE__ */ z.object({ passkeyUserId: text });

export const SessionItem = /* @__PURE__ */ z.object({
  sid: text,
  memberKey: text,
  memberId: text,
  codeVersion: z.number(),
  createdAt: instant,
  lastRefreshAt: instant,
  absoluteExpiresAt: instant,
  refreshHash: text,
  rotatedFromHash: optional(text),
  rotatedAt: optional(instant),
  previousRefreshHashes: z.array(text),
  revokedAt: optional(instant),
  userAgent: optional(text),
  sourceIp: optional(text),
  deviceId: optional(text),
}) satisfies z.ZodMiniType<SessionRecord>;

export const PasskeyItem = /* @__PURE__ */ z.object({
  credentialId: text,
  passkeyId: text,
  memberKey: text,
  memberId: text,
  userHandle: text,
  publicKey: text,
  counter: z.number(),
  transports: optional(z.array(text)),
  synced: z.boolean(),
  name: text,
  createdAt: instant,
  lastUsedAt: optional(instant),
}) satisfies z.ZodMiniType<PasskeyRecord>;

export const LetterItem = /* @__PURE__ */ z.object({
  letterId: text,
  memberKey: text,
  memberId: text,
  requestedAt: instant,
  requestedBy: z.enum(['MEMBER', 'CUSTOMER_SERVICE']),
  requestId: text,
  state: z.enum(LETTER_STATES),
  runId: optional(text),
  claimedAt: optional(instant),
  fileName: optional(text),
  exportedAt: optional(instant),
}) satisfies z.ZodMiniType<LetterRequest>;

const AUDIT_EVENT_NAMES = /* @__PURE__ */ Object.keys(AUDIT_EVENTS) as [AuditEvent, ...AuditEvent[]];

export const AuditItem = /* @__PURE__ */ z.object({
  at: instant,
  event: z.enum(AUDIT_EVENT_NAMES),
  outcome: z.enum(AUDIT_OUTCOMES),
  requestId: text,
  memberId: optional(text),
  sourceIp: optional(text),
  operator: optional(text),
  operatorClaim: optional(text),
  detail: optional(z.record(text, z.union([text, z.number(), z.boolean()]))),
}) satisfies z.ZodMiniType<AuditEntry>;

export const CounterItem = /* @__PURE__ */ z.object({
  consecutive: z.number(),
  lockLevel: z.number(),
  lockedUntil: instant,
  recentFailures: z._default(z.array(instant), []),
  version: z.number(),
}) satisfies z.ZodMiniType<AttemptCounter & { version: number }>;

export const WindowItem = /* @__PURE__ */ z.object({ failures: z._default(z.number(), 0) });

/** Challenges, devices and links keep their end in `validUntil` (the table's TTL attribute is another). */
export const TrustedDeviceItem = /* @__PURE__ */ z.object({
  deviceId: text,
  memberKey: text,
  memberId: text,
  codeVersion: z.number(),
  label: text,
  createdAt: instant,
  lastUsedAt: instant,
  validUntil: instant,
});

export const DeviceHashItem = /* @__PURE__ */ z.object({ deviceHash: text });

export const DeviceChallengeItem = /* @__PURE__ */ z.object({
  memberKey: text,
  memberId: text,
  codeVersion: z.number(),
  codeHash: text,
  checks: z.number(),
  resends: z.number(),
  createdAt: instant,
  validUntil: instant,
});

export const ChallengeItem = /* @__PURE__ */ z.object({
  memberKey: text,
  codeVersion: z.number(),
  createdAt: instant,
  validUntil: instant,
  deviceId: optional(text),
});

export const WebAuthnChallengeItem = /* @__PURE__ */ z.object({
  purpose: z.enum(['REGISTER', 'USED']),
  memberKey: optional(text),
  sid: optional(text),
  createdAt: instant,
  validUntil: instant,
});

export const ResetLinkItem = /* @__PURE__ */ z.object({
  memberKey: text,
  validUntil: instant,
  /** Answers given with it (none yet: absent). */
  uses: optional(z.number()),
});

export const AccessEndItem = /* @__PURE__ */ z.object({ kind: z.enum(['MEMBER', 'CLIENT']), id: text });

export const ClientItem = /* @__PURE__ */ z.object({
  name: optional(text),
  deactivatedAt: optional(instant),
  deactivatedBy: optional(text),
  accessEndsAt: optional(instant),
});

export const ClientMemberItem = /* @__PURE__ */ z.object({
  key: text,
  memberId: text,
  deactivatedAt: optional(instant),
});

/** The item as its schema reads it; a shape it refuses fails the read, naming the kind and the fields only. */
export function readItem<T extends z.ZodMiniType>(schema: T, item: Record<string, unknown>, kind: string): z.output<T> {
  const parsed = z.safeParse(schema, item);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(item)'))].sort().join(', ');
  throw new Error(`a ${kind} item in the table does not have the expected shape (${fields})`);
}

/**
 * Every field of a record has its place in its schema: a field added to the domain's type and
 * forgotten here would be dropped silently at each read (an optional one passes `satisfies`), so
 * the build refuses it.
 */
type Covers<Schema extends z.ZodMiniType, Record> =
  Exclude<keyof Record, keyof z.output<Schema>> extends never
    ? true
    : { missing: Exclude<keyof Record, keyof z.output<Schema>> };
/** @public (checked by the type checker, read by nothing) */
export const EVERY_FIELD_READ: [
  Covers<typeof MemberItem, Member>,
  Covers<typeof SessionItem, SessionRecord>,
  Covers<typeof PasskeyItem, PasskeyRecord>,
  Covers<typeof LetterItem, LetterRequest>,
  Covers<typeof AuditItem, AuditEntry>,
] = [true, true, true, true, true];
