import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PasskeyRecord, PasskeyStore } from '../../domain/passkeys.ts';
import { secretHash } from '../../domain/random-secrets.ts';
import { conditionally } from './conditional.ts';
import { PasskeyItem, readItem } from './item-schemas.ts';
import { queryAll } from './query-pages.ts';
import { GROUP_INDEX, groupKeys, keys, type Table } from './table.ts';

const keyOf = (credentialId: string) => keys.passkey(secretHash(`passkey:${credentialId}`));

const toPasskey = (item: Record<string, unknown>): PasskeyRecord => readItem(PasskeyItem, item, 'passkey');

/** Passkeys under the hash of their credential id, listed under their member in the group index. */
export class DynamoPasskeyStore implements PasskeyStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async create(record: PasskeyRecord): Promise<void> {
    await this.#t.client.send(
      new PutCommand({
        TableName: this.#t.name,
        Item: {
          ...keyOf(record.credentialId),
          ...record,
          groupPk: groupKeys.memberPasskeys(record.memberKey),
          groupSk: `${String(record.createdAt).padStart(15, '0')}#${record.passkeyId}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(credentialId: string): Promise<PasskeyRecord | undefined> {
    if (credentialId.length > 1400) return undefined;
    const { Item } = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keyOf(credentialId), ConsistentRead: true }),
    );
    return Item ? toPasskey(Item) : undefined;
  }

  async listByMember(memberKey: string): Promise<PasskeyRecord[]> {
    const passkeys: PasskeyRecord[] = [];
    for await (const item of queryAll(this.#t, {
      IndexName: GROUP_INDEX.name,
      KeyConditionExpression: '#g = :g',
      ExpressionAttributeNames: { '#g': GROUP_INDEX.partition },
      ExpressionAttributeValues: { ':g': groupKeys.memberPasskeys(memberKey) },
    })) {
      passkeys.push(toPasskey(item));
    }
    return passkeys;
  }

  recordUse(credentialId: string, expected: number, next: number, now: number): Promise<boolean> {
    return conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keyOf(credentialId),
          UpdateExpression: 'SET #counter = :next, lastUsedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND #counter = :expected',
          ExpressionAttributeNames: { '#counter': 'counter' },
          ExpressionAttributeValues: { ':next': next, ':now': now, ':expected': expected },
        }),
      ),
    );
  }

  async rename(credentialId: string, name: string): Promise<void> {
    await conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keyOf(credentialId),
          UpdateExpression: 'SET #name = :name',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: { ':name': name },
        }),
      ),
    );
  }

  async delete(credentialId: string): Promise<void> {
    await this.#t.client.send(new DeleteCommand({ TableName: this.#t.name, Key: keyOf(credentialId) }));
  }
}
