import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditTrail } from '../../domain/audit-events.ts';
import { newId } from '../../domain/random-secrets.ts';
import { AuditItem, readItem } from './item-schemas.ts';
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

export interface AuditRetentionDays {
  /** What customer service and a DPO read: a year by default. */
  readonly keep: number;
  /** Refusals, failures and unknown NIRs: 30 days by default. */
  readonly short: number;
}

/** One partition per NIR key, newest first by time; DynamoDB's TTL drops entries after their retention. */
export class DynamoAuditTrail implements AuditTrail {
  readonly #t: Table;
  readonly #retentionDays: AuditRetentionDays;

  constructor(table: Table, retentionDays: AuditRetentionDays) {
    this.#t = table;
    this.#retentionDays = retentionDays;
  }

  async append(memberKey: string, entry: AuditEntry, retention: 'keep' | 'short'): Promise<void> {
    await this.#t.client.send(
      new PutCommand({
        TableName: this.#t.name,
        Item: auditItem(memberKey, entry, this.#retentionDays[retention]),
        // Entries are only ever added: never one written over another.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async list(memberKey: string, since = 0): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    for await (const item of queryAll(this.#t, {
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ExpressionAttributeValues: { ':pk': keys.audit(memberKey, '').pk, ':since': sortKeyAt(since) },
      ScanIndexForward: false,
    })) {
      entries.push(readItem(AuditItem, item, 'audit entry'));
    }
    return entries;
  }
}
