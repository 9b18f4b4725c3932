import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ResetLinkRecord, ResetLinkStore } from '../../domain/ports.ts';
import { keys, type Table } from './table.ts';

export class DynamoResetLinkStore implements ResetLinkStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async put(tokenHash: string, record: ResetLinkRecord): Promise<void> {
    await this.#t.client.send(
      new PutCommand({
        TableName: this.#t.name,
        Item: { ...keys.resetLink(tokenHash), memberKey: record.memberKey, validUntil: record.expiresAt, expiresAt: Math.ceil(record.expiresAt / 1000) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(tokenHash: string): Promise<ResetLinkRecord | undefined> {
    const { Item } = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.resetLink(tokenHash), ConsistentRead: true }),
    );
    return Item ? { memberKey: Item['memberKey'] as string, expiresAt: Item['validUntil'] as number } : undefined;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.#t.client.send(new DeleteCommand({ TableName: this.#t.name, Key: keys.resetLink(tokenHash) }));
  }
}
