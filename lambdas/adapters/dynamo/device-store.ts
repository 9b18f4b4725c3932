import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredDevice, TrustedDeviceRecord, TrustedDeviceStore } from '../../domain/trusted-devices.ts';
import { conditionally, putExpiring } from './conditional.ts';
import { DeviceHashItem, readItem, TrustedDeviceItem } from './item-schemas.ts';
import { queryAll } from './query-pages.ts';
import { GROUP_INDEX, groupKeys, keys, type Table } from './table.ts';

export function toTrustedDevice(item: Record<string, unknown>): TrustedDeviceRecord {
  const { validUntil, ...device } = readItem(TrustedDeviceItem, item, 'trusted device');
  return { ...device, expiresAt: validUntil };
}

/** Trusted devices under the hash of their cookie, listed under their member in the group index. */
export class DynamoTrustedDeviceStore implements TrustedDeviceStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async put(hash: string, record: TrustedDeviceRecord): Promise<void> {
    const { expiresAt, ...rest } = record;
    await putExpiring(
      this.#t,
      keys.device(hash),
      {
        ...rest,
        deviceHash: hash,
        groupPk: groupKeys.memberDevices(record.memberKey),
        groupSk: `${String(record.createdAt).padStart(15, '0')}#${record.deviceId}`,
      },
      expiresAt,
    );
  }

  async get(hash: string): Promise<TrustedDeviceRecord | undefined> {
    const { Item } = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.device(hash), ConsistentRead: true }),
    );
    return Item ? toTrustedDevice(Item) : undefined;
  }

  async touch(hash: string, now: number): Promise<void> {
    await conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.device(hash),
          UpdateExpression: 'SET lastUsedAt = :now',
          // A device forgotten meanwhile is not written back.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':now': now },
        }),
      ),
    );
  }

  rebind(hash: string, fromCodeVersion: number, toCodeVersion: number): Promise<boolean> {
    return conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.device(hash),
          UpdateExpression: 'SET codeVersion = :to',
          ConditionExpression: 'attribute_exists(pk) AND codeVersion = :from',
          ExpressionAttributeValues: { ':from': fromCodeVersion, ':to': toCodeVersion },
        }),
      ),
    );
  }

  async listByMember(memberKey: string): Promise<StoredDevice[]> {
    const devices: StoredDevice[] = [];
    for await (const item of queryAll(this.#t, {
      IndexName: GROUP_INDEX.name,
      KeyConditionExpression: '#g = :g',
      ExpressionAttributeNames: { '#g': GROUP_INDEX.partition },
      ExpressionAttributeValues: { ':g': groupKeys.memberDevices(memberKey) },
      ScanIndexForward: false,
    })) {
      devices.push({
        hash: readItem(DeviceHashItem, item, 'trusted device').deviceHash,
        record: toTrustedDevice(item),
      });
    }
    return devices;
  }

  async delete(hash: string): Promise<void> {
    await this.#t.client.send(new DeleteCommand({ TableName: this.#t.name, Key: keys.device(hash) }));
  }
}
