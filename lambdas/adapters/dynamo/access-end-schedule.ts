import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AccessEndSchedule, type EndTarget, parisMidnight } from '../../domain/access-end.ts';
import { AccessEndItem, readItem } from './item-schemas.ts';
import { queryAll } from './query-pages.ts';
import { GROUP_INDEX, groupKeys, keys, type Table } from './table.ts';

/** Kept 30 days past its day at most (TTL): a run a month late has nothing left to record. */
const KEEP_AFTER_DAY_SECONDS = 30 * 24 * 60 * 60;

/** One item per end to record, listed by day on the group index. */
export class DynamoAccessEndSchedule implements AccessEndSchedule {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async schedule(day: string, target: EndTarget): Promise<void> {
    await this.#t.client.send(
      new PutCommand({
        TableName: this.#t.name,
        Item: {
          ...keys.accessEnd(day, target.kind, target.id),
          [GROUP_INDEX.partition]: groupKeys.accessEnds(day),
          [GROUP_INDEX.sort]: `${target.kind}#${target.id}`,
          kind: target.kind,
          id: target.id,
          expiresAt: Math.ceil(parisMidnight(day) / 1000) + KEEP_AFTER_DAY_SECONDS,
        },
      }),
    );
  }

  async *due(day: string): AsyncIterable<EndTarget> {
    for await (const item of queryAll(this.#t, {
      IndexName: GROUP_INDEX.name,
      KeyConditionExpression: '#g = :g',
      ExpressionAttributeNames: { '#g': GROUP_INDEX.partition },
      ExpressionAttributeValues: { ':g': groupKeys.accessEnds(day) },
    })) {
      yield readItem(AccessEndItem, item, 'access end');
    }
  }

  async done(day: string, target: EndTarget): Promise<void> {
    await this.#t.client.send(
      new DeleteCommand({ TableName: this.#t.name, Key: keys.accessEnd(day, target.kind, target.id) }),
    );
  }
}
