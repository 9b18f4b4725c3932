import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EMPTY_COUNTER, type AttemptCounter, type WindowCounts } from '../../domain/lockout.ts';
import type { AttemptStore, ThrottleScope, VersionedCounter } from '../../domain/ports.ts';
import { conditionally } from './conditional.ts';
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
    if (!Item) return { counter: EMPTY_COUNTER, version: 0 };
    const counter: AttemptCounter = {
      consecutive: Item['consecutive'] as number,
      lockLevel: Item['lockLevel'] as number,
      lockedUntil: Item['lockedUntil'] as number,
      recentFailures: (Item['recentFailures'] as number[] | undefined) ?? [],
    };
    return { counter, version: Item['version'] as number };
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

  async windowCounts(scope: ThrottleScope, window: number): Promise<WindowCounts> {
    const failuresIn = async (w: number) => {
      const { Item } = await this.#t.client.send(
        new GetCommand({ TableName: this.#t.name, Key: keys.throttle(scope.kind, scope.id, w), ConsistentRead: true }),
      );
      return (Item?.['failures'] as number | undefined) ?? 0;
    };
    const [current, previous] = await Promise.all([failuresIn(window), failuresIn(window - 1)]);
    return { current, previous };
  }

  async addFailure(scope: ThrottleScope, window: number, expiresAt: number): Promise<void> {
    await this.#t.client.send(
      new UpdateCommand({
        TableName: this.#t.name,
        Key: keys.throttle(scope.kind, scope.id, window),
        UpdateExpression: 'ADD failures :one SET expiresAt = :expiresAt',
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAt },
      }),
    );
  }
}
