import { writeFeedReport } from '../domain/feed-report.ts';
import { feedBucketResults } from '../runtime/feed-results.ts';
import { logger } from '../runtime/logger.ts';

/**
 * The last state of a feed import: the batches' outputs (the map's ResultWriter) added up into
 * `reports/<file>.json` — counts and every rejected row with its line and reason.
 */
export const handler = async (event: {
  readonly key: string;
  readonly map: { readonly ResultWriterDetails: { readonly Bucket: string; readonly Key: string } };
}) => {
  const { report, location } = await writeFeedReport(
    event.key,
    { bucket: event.map.ResultWriterDetails.Bucket, key: event.map.ResultWriterDetails.Key },
    feedBucketResults(),
  );
  const { rejected: _rows, ...counts } = report;
  logger.info('member feed imported', { ...counts, report: location });
  return { ...counts, report: location };
};
