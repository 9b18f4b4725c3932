import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { GROUP_INDEX, INDEX_PARTITIONS, PARTITIONS as P, TABLE_KEYS } from '../../contract/table-schema.ts';
import type { ThrottleKind } from '../../domain/throttles.ts';
import { AWS_CLIENT_LIMITS } from '../client-limits.ts';

export { GROUP_INDEX };

/** Every key of the table, built here only (the prefixes are the contract's, shared with the CDK grants). */
export const keys = {
  member: (memberKey: string) => ({ pk: `${P.member}${memberKey}`, sk: 'PROFILE' }),
  termsAcceptance: (memberKey: string, version: string, at: number) => ({
    pk: `${P.member}${memberKey}`,
    sk: `TERMS_ACCEPTANCE#${version}#${at}`,
  }),
  attempts: (nirKey: string) => ({ pk: `${P.attempts}${nirKey}`, sk: 'COUNTER' }),
  throttle: (kind: ThrottleKind, id: string, window: number) => ({
    pk: `${P.throttle}${kind}#${id}`,
    sk: `WINDOW#${window}`,
  }),
  session: (sid: string) => ({ pk: `${P.session}${sid}`, sk: 'SESSION' }),
  challenge: (hash: string) => ({ pk: `${P.challenge}${hash}`, sk: 'CHALLENGE' }),
  /** A new-device challenge: same partition family, another sort key, so neither kind passes for the other. */
  deviceChallenge: (hash: string) => ({ pk: `${P.challenge}${hash}`, sk: 'DEVICE' }),
  device: (hash: string) => ({ pk: `${P.device}${hash}`, sk: 'DEVICE' }),
  /** A WebAuthn ceremony's challenge: the challenge partition family, a sort key of its own. */
  webauthnChallenge: (hash: string) => ({ pk: `${P.challenge}${hash}`, sk: 'WEBAUTHN' }),
  passkey: (credentialIdHash: string) => ({ pk: `${P.passkey}${credentialIdHash}`, sk: 'PASSKEY' }),
  currentTerms: () => ({ pk: P.terms, sk: 'CURRENT' }),
  resetLink: (tokenHash: string) => ({ pk: `${P.resetLink}${tokenHash}`, sk: 'RESET' }),
  letter: (letterId: string) => ({ pk: `${P.letter}${letterId}`, sk: 'LETTER' }),
  audit: (memberKey: string, sortKey: string) => ({ pk: `${P.audit}${memberKey}`, sk: sortKey }),
  client: (clientId: string) => ({ pk: `${P.client}${clientId}`, sk: 'CLIENT' }),
  termsVersion: (version: string) => ({ pk: P.terms, sk: `VERSION#${version}` }),
  accessEnd: (day: string, kind: string, id: string) => ({ pk: `${P.accessEnd}${day}#${kind}#${id}`, sk: 'END' }),
};

/** Partition keys of the group index. */
export const groupKeys = {
  letterQueue: (state: 'PENDING' | 'EXPORTING') => `${INDEX_PARTITIONS.letterQueue}${state}`,
  clientMembers: (clientId: string) => `${INDEX_PARTITIONS.clientMembers}${clientId}`,
  memberSessions: (memberKey: string) => `${INDEX_PARTITIONS.memberSessions}${memberKey}`,
  memberDevices: (memberKey: string) => `${INDEX_PARTITIONS.memberDevices}${memberKey}`,
  memberPasskeys: (memberKey: string) => `${INDEX_PARTITIONS.memberPasskeys}${memberKey}`,
  accessEnds: (day: string) => `${INDEX_PARTITIONS.accessEnds}${day}`,
};

export interface Table {
  readonly name: string;
  readonly client: DynamoDBDocumentClient;
}

export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ ...AWS_CLIENT_LIMITS, ...config }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

const ATTRIBUTES = [
  { AttributeName: TABLE_KEYS.partition, AttributeType: 'S' as const },
  { AttributeName: TABLE_KEYS.sort, AttributeType: 'S' as const },
  { AttributeName: GROUP_INDEX.partition, AttributeType: 'S' as const },
  { AttributeName: GROUP_INDEX.sort, AttributeType: 'S' as const },
];

const GROUP_INDEX_DEFINITION = {
  IndexName: GROUP_INDEX.name,
  KeySchema: [
    { AttributeName: GROUP_INDEX.partition, KeyType: 'HASH' as const },
    { AttributeName: GROUP_INDEX.sort, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'ALL' as const },
};

/** For the local stack and tests; in AWS the CDK creates the table. */
export async function ensureTable(client: DynamoDBDocumentClient, name: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ATTRIBUTES,
        KeySchema: [
          { AttributeName: TABLE_KEYS.partition, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sort, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [GROUP_INDEX_DEFINITION],
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttl, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const { Table: described } = await client.send(new DescribeTableCommand({ TableName: name }));
  // A table made by an earlier version of the local stack: add the index it lacks.
  if (!described?.GlobalSecondaryIndexes?.some((i) => i.IndexName === GROUP_INDEX.name)) {
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: ATTRIBUTES,
        GlobalSecondaryIndexUpdates: [{ Create: GROUP_INDEX_DEFINITION }],
      }),
    );
  }
}
