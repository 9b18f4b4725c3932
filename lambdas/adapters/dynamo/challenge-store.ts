import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ChallengeRecord, ChallengeStore } from '../../domain/terms.ts';
import { consumeOnce } from './conditional.ts';
import { keys, type Table } from './table.ts';

export class DynamoChallengeStore implements ChallengeStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async put(hash: string, record: ChallengeRecord): Promise<void> {
    await this.#t.client.send(
      new PutCommand({
        TableName: this.#t.name,
        Item: {
          ...keys.challenge(hash),
          memberKey: record.memberKey,
          codeVersion: record.codeVersion,
          createdAt: record.createdAt,
          validUntil: record.expiresAt,
          expiresAt: Math.ceil(record.expiresAt / 1000),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(hash: string): Promise<ChallengeRecord | undefined> {
    const { Item } = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.challenge(hash), ConsistentRead: true }),
    );
    return Item ? toRecord(Item) : undefined;
  }

  async consume(hash: string, now: number): Promise<ChallengeRecord | undefined> {
    const deleted = await consumeOnce(this.#t, keys.challenge(hash), now);
    return deleted ? toRecord(deleted) : undefined;
  }
}

function toRecord(item: Record<string, unknown>): ChallengeRecord {
  return {
    memberKey: item['memberKey'] as string,
    codeVersion: item['codeVersion'] as number,
    createdAt: item['createdAt'] as number,
    expiresAt: item['validUntil'] as number,
  };
}
