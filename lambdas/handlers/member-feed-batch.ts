import { availableParallelism } from 'node:os';
import { type FeedItem, feedKindOf, importFeedBatch } from '../domain/feed-batch.ts';
import { clientImportDependencies, memberImportDependencies } from '../runtime/services.ts';

/**
 * A batch of a member-feed file, sent by the Step Functions Distributed Map (`lib/member-feed.ts`):
 * the same row logic as the CLI's imports. A refused row is in the answer with its line; a failing
 * dependency fails the batch (the map retries it: rows are idempotent).
 */
export const handler = async (
  event: { readonly Items: readonly FeedItem[]; readonly BatchInput: { readonly key: string } },
  context?: { readonly awsRequestId?: string },
) => {
  const kind = feedKindOf(event.BatchInput.key);
  if (!kind) throw new Error('not a feed file: members/<name>.csv or clients/<name>.csv');
  const operator = { operator: `feed:${event.BatchInput.key}`, requestId: context?.awsRequestId ?? 'feed' };
  return importFeedBatch(kind, event.Items, {
    members: await memberImportDependencies(operator),
    clients: clientImportDependencies(operator),
    concurrency: Math.max(2, availableParallelism() * 2),
  });
};
