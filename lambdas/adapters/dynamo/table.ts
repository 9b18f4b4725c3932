import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One table, items told apart by their partition key prefix. Keys derived from a NIR use its
 * keyed hash, never the NIR. `expiresAt` (epoch seconds) is the TTL attribute.
 */
export const TABLE_KEYS = { partition: 'pk', sort: 'sk', ttl: 'expiresAt' } as const;

/**
 * The one index, sparse, for the two groups that are read as a whole: letter requests by state
 * (`LETTERS#PENDING`, `LETTERS#EXPORTING`, oldest first; an exported letter leaves it) and the
 * members of a client company (`CLIENT#<id>`), for CGU 3.6 deactivation.
 */
export const GROUP_INDEX = { name: 'byGroup', partition: 'groupPk', sort: 'groupSk' } as const;

export const keys = {
  member: (memberKey: string) => ({ pk: `MEMBER#${memberKey}`, sk: 'PROFILE' }),
  termsAcceptance: (memberKey: string, version: string, at: number) => ({
    pk: `MEMBER#${memberKey}`,
    sk: `TERMS_ACCEPTANCE#${version}#${at}`,
  }),
  attempts: (nirKey: string) => ({ pk: `ATTEMPTS#${nirKey}`, sk: 'COUNTER' }),
  throttle: (kind: string, id: string, window: number) => ({ pk: `THROTTLE#${kind}#${id}`, sk: `WINDOW#${window}` }),
  session: (sid: string) => ({ pk: `SESSION#${sid}`, sk: 'SESSION' }),
  challenge: (hash: string) => ({ pk: `CHALLENGE#${hash}`, sk: 'CHALLENGE' }),
  currentTerms: () => ({ pk: 'TERMS', sk: 'CURRENT' }),
  resetLink: (tokenHash: string) => ({ pk: `RESET#${tokenHash}`, sk: 'RESET' }),
  letter: (letterId: string) => ({ pk: `LETTER#${letterId}`, sk: 'LETTER' }),
  audit: (memberKey: string, sortKey: string) => ({ pk: `AUDIT#${memberKey}`, sk: sortKey }),
  client: (clientId: string) => ({ pk: `CLIENT#${clientId}`, sk: 'CLIENT' }),
  termsVersion: (version: string) => ({ pk: 'TERMS', sk: `VERSION#${version}` }),
};

export interface Table {
  readonly name: string;
  readonly client: DynamoDBDocumentClient;
}

export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
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
