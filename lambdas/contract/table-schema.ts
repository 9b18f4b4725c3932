/**
 * The table's shape, shared by the adapters (which build every key from it) and the CDK (which
 * creates the table and limits each function to the partitions it touches with `dynamodb:LeadingKeys`).
 * Keys derived from a NIR use its keyed hash, never the NIR. `expiresAt` (epoch seconds) is the TTL.
 */
export const TABLE_KEYS = { partition: 'pk', sort: 'sk', ttl: 'expiresAt' } as const;

/**
 * The one index, sparse, for the groups that are read as a whole: letter requests by state
 * (`LETTERS#PENDING`, `LETTERS#EXPORTING`, oldest first; an exported letter leaves it), the
 * members of a client company (`CLIENT#<id>`), for CGU 3.6 deactivation, a member's sessions
 * (`SESSIONS#<member key>`) and trusted devices (`DEVICES#<member key>`).
 */
export const GROUP_INDEX = { name: 'byGroup', partition: 'groupPk', sort: 'groupSk' } as const;

/** Partition key prefixes: items are told apart by them (the terms have one fixed partition). */
export const PARTITIONS = {
  member: 'MEMBER#',
  attempts: 'ATTEMPTS#',
  throttle: 'THROTTLE#',
  session: 'SESSION#',
  /** Trusted devices, by the hash of their cookie. */
  device: 'DEVICE#',
  /** Passkeys, by the hash of their credential id. */
  passkey: 'PASSKEY#',
  challenge: 'CHALLENGE#',
  resetLink: 'RESET#',
  letter: 'LETTER#',
  audit: 'AUDIT#',
  client: 'CLIENT#',
  terms: 'TERMS',
  /** An end of access to record on its day (`ENDS#<day>#<MEMBER|CLIENT>#<id>`), listed by day on the group index. */
  accessEnd: 'ENDS#',
} as const;

/** Partitions of the group index. */
export const INDEX_PARTITIONS = {
  letterQueue: 'LETTERS#',
  clientMembers: 'CLIENT#',
  /** A member's sessions, newest first: what the member and customer service list and end. */
  memberSessions: 'SESSIONS#',
  /** A member's trusted devices: what the member and customer service list and forget. */
  memberDevices: 'DEVICES#',
  /** A member's passkeys. */
  memberPasskeys: 'PASSKEYS#',
  /** The ends of access due on a day (`ENDS#<YYYY-MM-DD>`), for the scheduled run. */
  accessEnds: 'ENDS#',
} as const;

export type Partition = keyof typeof PARTITIONS;
export type IndexPartition = keyof typeof INDEX_PARTITIONS;

/**
 * What a function may change on a member's item (`MEMBER#`), by purpose: the CDK limits each
 * function's UpdateItem there with `dynamodb:Attributes` to the key and the attributes of the
 * purposes it declares (contract/routes.ts) — the attributes it writes and those its conditions
 * name — so that a compromised function cannot rewrite a member's code hash or email (docs/security-model.md, the named attacks).
 */
const MEMBER_WRITES = {
  /** A code change or a used reset link: the one place a code changes (`setPersonalCode`). */
  code: [
    'personalCodeHash',
    'personalCodeSetAt',
    'codeVersion',
    'updatedAt',
    'initialCodeHash',
    'initialCodeValidUntil',
    'temporaryCodeHash',
    'temporaryCodeValidUntil',
    'resetTokenHash',
    'resetIssuedAt',
    'sessionsValidAfter',
    'codeSignInDisabled',
  ],
  /** The personal code's hash raised to current parameters, only while it is the one verified. */
  hashUpgrade: ['personalCodeHash'],
  terms: ['termsVersion', 'termsAcceptedAt'],
  passkeyHandle: ['passkeyUserId'],
  codeSignIn: ['codeSignInDisabled'],
  resetLink: ['resetTokenHash', 'resetIssuedAt', 'recentResetMails', 'resetVersion'],
  lockNotice: ['lockNoticeFor'],
  /** The membership feed's import of a row: the profile, its initial code, its end dates and digest. */
  import: [
    'key',
    'memberId',
    'codeSalt',
    'firstName',
    'lastName',
    'maskedNir',
    'codeVersion',
    'createdAt',
    'updatedAt',
    'email',
    'address',
    'clientId',
    'groupPk',
    'groupSk',
    'nirWindowDigests',
    'accessEndsAt',
    'clientAccessEndsAt',
    'importDigest',
    'initialCodeHash',
    'initialCodeValidUntil',
    // Named by the initial code's condition (no personal code yet); never written by the import.
    'personalCodeSetAt',
    'resetTokenHash',
    'resetIssuedAt',
  ],
  /** Access ended (an end date reached): the deactivation, and a new codeVersion that ends every session. */
  deactivation: ['deactivatedAt', 'deactivatedBy', 'deactivationReason', 'codeVersion'],
  letterRequest: ['letterOutstandingId', 'lastLetterExportedAt', 'deactivatedAt'],
  letterExport: ['temporaryCodeHash', 'temporaryCodeValidUntil', 'lastLetterExportedAt', 'letterOutstandingId'],
} as const;

export type MemberWrite = keyof typeof MEMBER_WRITES;

/** The attributes a function declaring `writes` may name in an UpdateItem on a member: the key, then its purposes'. */
export function memberAttributesFor(writes: readonly MemberWrite[]): string[] {
  return [...new Set([TABLE_KEYS.partition, TABLE_KEYS.sort, ...writes.flatMap((w) => MEMBER_WRITES[w])])];
}
