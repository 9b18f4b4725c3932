import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ChallengeRecord, ChallengeStore } from '../../domain/terms.ts';
import { consumeOnce, putExpiring } from './conditional.ts';
import { ChallengeItem, readItem } from './item-schemas.ts';
import { keys, type Table } from './table.ts';

export class DynamoChallengeStore implements ChallengeStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async put(hash: string, record: ChallengeRecord): Promise<void> {
    const { memberKey, codeVersion, createdAt, deviceId } = record;
    const item = { memberKey, codeVersion, createdAt, ...(deviceId ? { deviceId } : {}) };
    await putExpiring(this.#t, keys.challenge(hash), item, record.expiresAt);
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
  const { validUntil, deviceId, ...challenge } = readItem(ChallengeItem, item, 'terms challenge');
  return { ...challenge, expiresAt: validUntil, ...(deviceId ? { deviceId } : {}) };
}
