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
} as const;

export type Partition = keyof typeof PARTITIONS;
export type IndexPartition = keyof typeof INDEX_PARTITIONS;
