import type { IndexPartition, MemberWrite, Partition } from './table-schema.ts';

/**
 * What one function may do with the table, partition by partition: the CDK turns it into IAM
 * statements limited with `dynamodb:LeadingKeys`. No function may Scan; audit entries are only
 * ever Put (with `attribute_not_exists`), never updated or deleted.
 */
export interface TableAccess {
  /** GetItem, BatchGetItem. */
  readonly read?: readonly Partition[];
  /** PutItem. */
  readonly put?: readonly Exclude<Partition, never>[];
  /** UpdateItem: never the audit trail. */
  readonly update?: readonly Exclude<Partition, 'audit'>[];
  /** DeleteItem: never the audit trail. */
  readonly delete?: readonly Exclude<Partition, 'audit'>[];
  /** ConditionCheckItem, inside a transaction. */
  readonly conditionCheck?: readonly Partition[];
  /** Query on the group index. */
  readonly queryIndex?: readonly IndexPartition[];
  /**
   * Required when `update` names `member`: what the function changes on a member's item. Its
   * UpdateItem there may name no other attribute (`dynamodb:Attributes`).
   */
  readonly memberWrites?: readonly MemberWrite[];
}

/** HMAC keys held outside the database (KMS in AWS, key files locally). */
/**
 * `passkey-challenge`: MACs the anonymous passkey sign-in's challenge, so that nothing is written
 * until it is answered (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do"); it protects 5-minute challenges only, so it is never adopted.
 */
export type HmacKey = 'nir-lookup' | 'code-pepper' | 'refresh-token' | 'letter-code' | 'passkey-challenge';

export interface FunctionAccess {
  readonly table?: TableAccess;
  readonly hmacKeys?: readonly HmacKey[];
  /** `private`: signs access tokens (kms:Sign on the token signing key); `public`: only verifies them (its public key). */
  readonly signingKeys?: 'private' | 'public';
  /** Sends member mail (SES, one identity and one From address). */
  readonly mail?: boolean;
  /** Hands work off to the account worker (an async Lambda invocation). */
  readonly invokesWorker?: boolean;
  /** Derives argon2id code hashes (19 MiB and a deliberate CPU cost each): given the memory, hence the CPU, for it. */
  readonly derivesCodeHashes?: boolean;
}
