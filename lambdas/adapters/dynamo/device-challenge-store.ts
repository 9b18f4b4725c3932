import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CodeReplacement, DeviceChallengeRecord, DeviceChallengeStore } from '../../domain/device-verification.ts';
import { conditionally, consumeOnce, putExpiring } from './conditional.ts';
import { DeviceChallengeItem, readItem } from './item-schemas.ts';
import { keys, type Table } from './table.ts';

function toRecord(item: Record<string, unknown>): DeviceChallengeRecord {
  const { validUntil, ...challenge } = readItem(DeviceChallengeItem, item, 'device challenge');
  return { ...challenge, expiresAt: validUntil };
}

export class DynamoDeviceChallengeStore implements DeviceChallengeStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async put(hash: string, record: DeviceChallengeRecord): Promise<void> {
    const { expiresAt, ...rest } = record;
    await putExpiring(this.#t, keys.deviceChallenge(hash), rest, expiresAt);
  }

  reserveCheck(hash: string, maxChecks: number, now: number): Promise<DeviceChallengeRecord | undefined> {
    return this.#updateIf(hash, {
      UpdateExpression: 'ADD checks :one',
      // Counted before the code is compared: concurrent guesses cannot get more than maxChecks.
      ConditionExpression: 'attribute_exists(pk) AND checks < :max AND validUntil > :now',
      ExpressionAttributeValues: { ':one': 1, ':max': maxChecks, ':now': now },
    });
  }

  replaceCode(hash: string, change: CodeReplacement, now: number): Promise<DeviceChallengeRecord | undefined> {
    return this.#updateIf(hash, {
      UpdateExpression: 'SET codeHash = :code, validUntil = :until, expiresAt = :ttl ADD resends :one',
      // The checks are left as they are: a new code is not a new set of guesses.
      ConditionExpression:
        'attribute_exists(pk) AND validUntil > :now AND checks < :maxChecks AND resends < :maxResends',
      ExpressionAttributeValues: {
        ':code': change.codeHash,
        ':until': change.expiresAt,
        ':ttl': Math.ceil(change.expiresAt / 1000),
        ':one': 1,
        ':now': now,
        ':maxChecks': change.maxChecks,
        ':maxResends': change.maxResends,
      },
    });
  }

  /** One conditional update of the challenge: the record as it now is, or undefined when the condition failed. */
  async #updateIf(
    hash: string,
    update: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<DeviceChallengeRecord | undefined> {
    let updated: Record<string, unknown> | undefined;
    const won = await conditionally(async () => {
      const { Attributes } = await this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.deviceChallenge(hash),
          ...update,
          ReturnValues: 'ALL_NEW',
        }),
      );
      updated = Attributes;
    });
    return won && updated ? toRecord(updated) : undefined;
  }

  async consume(hash: string, now: number): Promise<DeviceChallengeRecord | undefined> {
    const deleted = await consumeOnce(this.#t, keys.deviceChallenge(hash), now);
    return deleted ? toRecord(deleted) : undefined;
  }
}
