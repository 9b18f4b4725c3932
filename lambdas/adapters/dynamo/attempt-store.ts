import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AttemptState,
  type AttemptStore,
  deviceCounterKey,
  type ThrottleWindow,
  type VersionedCounter,
} from '../../domain/attempts.ts';
import { type AttemptCounter, EMPTY_COUNTER } from '../../domain/lockout.ts';
import type { ThrottleScope } from '../../domain/throttles.ts';
import { conditionally } from './conditional.ts';
import { toTrustedDevice } from './device-store.ts';
import { CounterItem, readItem, WindowItem } from './item-schemas.ts';
import { toMember } from './member-repository.ts';
import { keys, type Table } from './table.ts';

export class DynamoAttemptStore implements AttemptStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async loadCounter(nirKey: string): Promise<VersionedCounter> {
    const { Item } = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.attempts(nirKey), ConsistentRead: true }),
    );
    return toVersionedCounter(Item);
  }

  async loadAttemptState(
    nirKey: string,
    windows: readonly ThrottleWindow[],
    deviceHash?: string,
  ): Promise<AttemptState> {
    const memberKey = keys.member(nirKey);
    const counterKey = keys.attempts(nirKey);
    const windowKeys = windows.map(({ scope, window }) => [
      keys.throttle(scope.kind, scope.id, window),
      keys.throttle(scope.kind, scope.id, window - 1),
    ]);
    const deviceKeys = deviceHash ? [keys.device(deviceHash), keys.attempts(deviceCounterKey(deviceHash))] : [];
    const items = await this.#batchGet([memberKey, counterKey, ...windowKeys.flat(), ...deviceKeys]);
    const find = (k: { pk: string; sk: string }) => items.find((i) => i['pk'] === k.pk && i['sk'] === k.sk);
    const failures = (k: { pk: string; sk: string }) => readItem(WindowItem, find(k) ?? {}, 'throttle window').failures;
    const memberItem = find(memberKey);
    const [deviceKey, counterOfDevice] = deviceKeys;
    const deviceItem = deviceKey && find(deviceKey);
    return {
      member: memberItem ? toMember(memberItem) : undefined,
      counter: toVersionedCounter(find(counterKey)),
      counts: windowKeys.map(([current, previous]) => ({ current: failures(current!), previous: failures(previous!) })),
      device:
        deviceItem && deviceHash
          ? {
              hash: deviceHash,
              record: toTrustedDevice(deviceItem),
              counter: toVersionedCounter(find(counterOfDevice!)),
            }
          : undefined,
    };
  }

  /** Consistent BatchGetItem, asking again for any keys DynamoDB left unprocessed. */
  async #batchGet(wanted: Array<{ pk: string; sk: string }>): Promise<Array<Record<string, unknown>>> {
    const found: Array<Record<string, unknown>> = [];
    let pending: Array<Record<string, unknown>> = wanted;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 5) throw new Error('BatchGetItem left keys unprocessed after 5 attempts');
      const { Responses, UnprocessedKeys } = await this.#t.client.send(
        new BatchGetCommand({ RequestItems: { [this.#t.name]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(Responses?.[this.#t.name] ?? []));
      pending = UnprocessedKeys?.[this.#t.name]?.Keys ?? [];
      if (pending.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
    return found;
  }

  saveCounter(nirKey: string, counter: AttemptCounter, expectedVersion: number, expiresAt: number): Promise<boolean> {
    return conditionally(() =>
      this.#t.client.send(
        new PutCommand({
          TableName: this.#t.name,
          Item: { ...keys.attempts(nirKey), ...counter, version: expectedVersion + 1, expiresAt },
          // Optimistic concurrency: of two racing reservations, one write wins, the other reloads.
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      ),
    );
  }

  reserveWindow(scope: ThrottleScope, window: number, cap: number, expiresAt: number): Promise<boolean> {
    return conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.throttle(scope.kind, scope.id, window),
          UpdateExpression: 'ADD failures :one SET expiresAt = :expiresAt',
          // Checked and counted in one write: of many concurrent attempts, no more than the cap pass.
          ConditionExpression: 'attribute_not_exists(failures) OR failures < :cap',
          ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAt, ':cap': cap },
        }),
      ),
    );
  }

  async releaseWindow(scope: ThrottleScope, window: number): Promise<void> {
    await conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.throttle(scope.kind, scope.id, window),
          UpdateExpression: 'ADD failures :minusOne',
          ConditionExpression: 'failures > :zero',
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
        }),
      ),
    );
  }
}

function toVersionedCounter(item: Record<string, unknown> | undefined): VersionedCounter {
  if (!item) return { counter: EMPTY_COUNTER, version: 0 };
  const { version, ...counter } = readItem(CounterItem, item, 'attempt counter');
  return { counter, version };
}
