import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ResetLinkRecord, ResetLinkStore } from '../../domain/forgotten-code.ts';
import { conditionally, putExpiring } from './conditional.ts';
import { ResetLinkItem, readItem } from './item-schemas.ts';
import { keys, type Table } from './table.ts';

export class DynamoResetLinkStore implements ResetLinkStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async put(tokenHash: string, record: ResetLinkRecord): Promise<void> {
    await putExpiring(this.#t, keys.resetLink(tokenHash), { memberKey: record.memberKey }, record.expiresAt);
  }

  async reserveUse(tokenHash: string, now: number, maxUses: number): Promise<ResetLinkRecord | undefined> {
    let record: ResetLinkRecord | undefined;
    await conditionally(async () => {
      const { Attributes } = await this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.resetLink(tokenHash),
          UpdateExpression: 'ADD uses :one',
          // Counted and checked in one write: concurrent guesses of the NIR get `maxUses` tries in all.
          ConditionExpression:
            'attribute_exists(pk) AND validUntil > :now AND (attribute_not_exists(uses) OR uses < :max)',
          ExpressionAttributeValues: { ':one': 1, ':now': now, ':max': maxUses },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (Attributes) {
        const { memberKey, validUntil } = readItem(ResetLinkItem, Attributes, 'reset link');
        record = { memberKey, expiresAt: validUntil };
      }
    });
    return record;
  }

  async find(tokenHash: string, now: number, maxUses: number): Promise<ResetLinkRecord | undefined> {
    const { Item } = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.resetLink(tokenHash), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { memberKey, validUntil, uses = 0 } = readItem(ResetLinkItem, Item, 'reset link');
    return validUntil > now && uses < maxUses ? { memberKey, expiresAt: validUntil } : undefined;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.#t.client.send(new DeleteCommand({ TableName: this.#t.name, Key: keys.resetLink(tokenHash) }));
  }
}
