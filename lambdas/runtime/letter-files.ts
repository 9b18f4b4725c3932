import { S3Client } from '@aws-sdk/client-s3';
import { AWS_CLIENT_LIMITS } from '../adapters/client-limits.ts';
import { S3LetterFiles } from '../adapters/letters/s3-letter-files.ts';
import { config } from './config.ts';
import { once } from './once.ts';

/**
 * Where the scheduled export writes the letters: the letters bucket, under the letters key — with
 * the bounded waits every other client of the functions has. Apart from services.ts so that only
 * the export's bundle carries the S3 client.
 */
export const lettersBucketFiles = /* @__PURE__ */ once(() => {
  const { lettersBucket: bucket, lettersKeyId: keyId, region } = config();
  if (!bucket || !keyId)
    throw new Error('Invalid configuration: LETTERS_BUCKET and LETTERS_KMS_KEY_ID are required by the letter export');
  return new S3LetterFiles(new S3Client({ region, ...AWS_CLIENT_LIMITS }), { bucket, keyId });
});
