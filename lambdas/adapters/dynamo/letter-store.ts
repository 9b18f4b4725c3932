import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LetterExportRecord, LetterRequest, LetterStore } from '../../domain/letters.ts';
import { conditionally, transactionally } from './conditional.ts';
import { LetterItem, readItem } from './item-schemas.ts';
import { queryAll } from './query-pages.ts';
import { GROUP_INDEX, groupKeys, keys, type Table } from './table.ts';

const queueOf = groupKeys.letterQueue;

const toLetter = (item: Record<string, unknown>): LetterRequest => readItem(LetterItem, item, 'letter');

export class DynamoLetterStore implements LetterStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  queue(letter: LetterRequest, rules: { readonly notIfExportedSince?: number }): Promise<boolean> {
    const cooldown = rules.notIfExportedSince !== undefined;
    return this.#transact([
      {
        Update: {
          TableName: this.#t.name,
          Key: keys.member(letter.memberKey),
          UpdateExpression: 'SET letterOutstandingId = :id',
          // At most one outstanding letter per member, whatever races.
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(letterOutstandingId) AND attribute_not_exists(deactivatedAt)' +
            (cooldown ? ' AND (attribute_not_exists(lastLetterExportedAt) OR lastLetterExportedAt < :since)' : ''),
          ExpressionAttributeValues: {
            ':id': letter.letterId,
            ...(cooldown ? { ':since': rules.notIfExportedSince } : {}),
          },
        },
      },
      {
        Put: {
          TableName: this.#t.name,
          Item: {
            ...keys.letter(letter.letterId),
            ...letter,
            groupPk: queueOf('PENDING'),
            groupSk: `${String(letter.requestedAt).padStart(15, '0')}#${letter.letterId}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  }

  async list(state: 'PENDING' | 'EXPORTING'): Promise<LetterRequest[]> {
    const letters: LetterRequest[] = [];
    for await (const item of queryAll(this.#t, {
      IndexName: GROUP_INDEX.name,
      KeyConditionExpression: '#g = :g',
      ExpressionAttributeNames: { '#g': GROUP_INDEX.partition },
      ExpressionAttributeValues: { ':g': queueOf(state) },
    })) {
      letters.push(toLetter(item));
    }
    // The index is eventually consistent: the state on the item itself decides (see claim/commit).
    return letters.filter((l) => l.state === state);
  }

  async get(letterId: string): Promise<LetterRequest | undefined> {
    const { Item } = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.letter(letterId), ConsistentRead: true }),
    );
    return Item ? toLetter(Item) : undefined;
  }

  claim(letter: LetterRequest, runId: string, claimedAt: number): Promise<boolean> {
    const fromPending = letter.state === 'PENDING';
    return conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.letter(letter.letterId),
          UpdateExpression: 'SET #state = :exporting, runId = :run, claimedAt = :at, groupPk = :queue',
          ConditionExpression: fromPending ? '#state = :pending' : '#state = :exporting AND runId = :previousRun',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':exporting': 'EXPORTING',
            ':run': runId,
            ':at': claimedAt,
            ':queue': queueOf('EXPORTING'),
            ...(fromPending ? { ':pending': 'PENDING' } : { ':previousRun': letter.runId }),
          },
        }),
      ),
    );
  }

  commit(letter: LetterRequest, exported: LetterExportRecord): Promise<boolean> {
    return this.#transact([
      {
        Update: {
          TableName: this.#t.name,
          Key: keys.letter(letter.letterId),
          UpdateExpression: 'SET #state = :exported, exportedAt = :at, fileName = :file REMOVE groupPk, groupSk',
          ConditionExpression: '#state = :exporting AND runId = :run',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':exported': 'EXPORTED',
            ':exporting': 'EXPORTING',
            ':run': letter.runId,
            ':at': exported.exportedAt,
            ':file': exported.fileName,
          },
        },
      },
      {
        Update: {
          TableName: this.#t.name,
          Key: keys.member(letter.memberKey),
          // The member's current code keeps working: the temporary one is added beside it.
          UpdateExpression:
            'SET temporaryCodeHash = :hash, temporaryCodeValidUntil = :until, lastLetterExportedAt = :at REMOVE letterOutstandingId',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':hash': exported.temporaryCodeHash,
            ':until': exported.validUntil,
            ':at': exported.exportedAt,
          },
        },
      },
    ]);
  }

  /** Both writes or neither; false when a condition failed (someone else got there first). */
  #transact(items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<boolean> {
    return transactionally(() => this.#t.client.send(new TransactWriteCommand({ TransactItems: items })));
  }

  async cancel(letter: LetterRequest, now: number): Promise<void> {
    // The member's mark first: interrupted here, the letter is still queued and is cancelled again.
    await conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.member(letter.memberKey),
          UpdateExpression: 'REMOVE letterOutstandingId',
          ConditionExpression: 'letterOutstandingId = :id',
          ExpressionAttributeValues: { ':id': letter.letterId },
        }),
      ),
    );
    await conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.letter(letter.letterId),
          UpdateExpression: 'SET #state = :cancelled, cancelledAt = :now REMOVE groupPk, groupSk',
          ConditionExpression: '#state IN (:pending, :exporting)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':cancelled': 'CANCELLED',
            ':now': now,
            ':pending': 'PENDING',
            ':exporting': 'EXPORTING',
          },
        }),
      ),
    );
  }
}
