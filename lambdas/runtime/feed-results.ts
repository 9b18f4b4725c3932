import { S3Client } from '@aws-sdk/client-s3';
import { AWS_CLIENT_LIMITS } from '../adapters/client-limits.ts';
import { S3FeedResults } from '../adapters/feed/s3-feed-results.ts';
import { config } from './config.ts';
import { once } from './once.ts';

/**
 * The member feed's results and reports, in its bucket under its key. Apart from services.ts so that
 * only the report function's bundle carries the S3 client.
 */
export const feedBucketResults = /* @__PURE__ */ once(() => {
  const { feedBucket: bucket, feedKeyId: keyId, region } = config();
  if (!bucket || !keyId)
    throw new Error('Invalid configuration: FEED_BUCKET and FEED_KMS_KEY_ID are required by the feed report');
  return new S3FeedResults(new S3Client({ region, ...AWS_CLIENT_LIMITS }), { bucket, keyId });
});
