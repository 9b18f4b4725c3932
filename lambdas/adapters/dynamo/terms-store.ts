import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { OperatorInputError } from '../../domain/errors.ts';
import type { Terms, TermsStore } from '../../domain/terms.ts';
import { keys, type Table } from './table.ts';

export class DynamoTermsStore implements TermsStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async current(): Promise<Terms | undefined> {
    const { Item } = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.currentTerms(), ConsistentRead: true }),
    );
    return Item ? { version: Item['version'], url: Item['url'], publishedAt: Item['publishedAt'] } : undefined;
  }

  /** The version record is written once; publishing the same version again only re-points CURRENT. */
  async publish(terms: Terms): Promise<void> {
    const existing = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.termsVersion(terms.version), ConsistentRead: true }),
    );
    const record: Terms = existing.Item
      ? { version: terms.version, url: existing.Item['url'], publishedAt: existing.Item['publishedAt'] }
      : terms;
    if (existing.Item && existing.Item['url'] !== terms.url) {
      throw new OperatorInputError(`terms version ${terms.version} was already published with another URL`);
    }
    await this.#t.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.#t.name,
              Item: { ...keys.termsVersion(record.version), ...record },
              ...(existing.Item ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
            },
          },
          { Put: { TableName: this.#t.name, Item: { ...keys.currentTerms(), ...record } } },
        ],
      }),
    );
  }
}
