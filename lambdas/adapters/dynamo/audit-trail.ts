import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditTrail } from '../../domain/ports.ts';
import { newId } from '../../domain/random-secrets.ts';
import { queryAll } from './query-pages.ts';
import { keys, type Table } from './table.ts';

const sortKeyAt = (at: number) => String(at).padStart(15, '0');

/** An audit entry as stored: in the NIR key's partition, by time, until the retention ends. */
export function auditItem(memberKey: string, entry: AuditEntry, retentionDays: number): Record<string, unknown> {
  return {
    ...keys.audit(memberKey, `${sortKeyAt(entry.at)}#${newId()}`),
    ...entry,
    expiresAt: Math.ceil(entry.at / 1000) + retentionDays * 24 * 60 * 60,
  };
}

/** One partition per NIR key, newest first by time; DynamoDB's TTL drops entries after the retention. */
export class DynamoAuditTrail implements AuditTrail {
  readonly #t: Table;
  readonly #retentionDays: number;

  constructor(table: Table, retentionDays: number) {
    this.#t = table;
    this.#retentionDays = retentionDays;
  }

  async append(memberKey: string, entry: AuditEntry): Promise<void> {
    await this.#t.client.send(
      new PutCommand({ TableName: this.#t.name, Item: auditItem(memberKey, entry, this.#retentionDays) }),
    );
  }

  async list(memberKey: string, since = 0): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    for await (const item of queryAll(this.#t, {
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ExpressionAttributeValues: { ':pk': keys.audit(memberKey, '').pk, ':since': sortKeyAt(since) },
      ScanIndexForward: false,
    })) {
      const { pk: _pk, sk: _sk, expiresAt: _e, ...entry } = item;
      entries.push(entry as unknown as AuditEntry);
    }
    return entries;
  }
}
