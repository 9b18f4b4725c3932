import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from './conditional.ts';
import type { Table } from './table.ts';

/**
 * Migration: member items written by versions before 2026-11-26 kept peppered digests of every
 * 6-digit window of the NIR (`nirWindowDigests`), enough to rebuild every NIR with the pepper key.
 * This removes them from every item; the next import of a member removes them too. Operator CLI
 * only (it scans the table, which no function may do).
 */
export async function purgeNirWindowDigests(table: Table, progress: (purged: number) => void): Promise<number> {
  let purged = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new ScanCommand({
        TableName: table.name,
        FilterExpression: 'attribute_exists(nirWindowDigests)',
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const removed = await conditionally(() =>
        table.client.send(
          new UpdateCommand({
            TableName: table.name,
            Key: { pk: item['pk'], sk: item['sk'] },
            UpdateExpression: 'REMOVE nirWindowDigests',
            ConditionExpression: 'attribute_exists(nirWindowDigests)',
          }),
        ),
      );
      if (removed && ++purged % 500 === 0) progress(purged);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return purged;
}
