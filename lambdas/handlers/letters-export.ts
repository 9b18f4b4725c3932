import { S3Client } from '@aws-sdk/client-s3';
import { S3LetterFiles } from '../adapters/letters/s3-letter-files.ts';
import { logger } from '../runtime/logger.ts';
import { config, letterExport } from '../runtime/services.ts';

/**
 * The scheduled letter batch: the same export as `npm run ops -- export-letters`, into the letters
 * bucket. Invoked with `{"mode":"check"}` (hourly) it only publishes the age of the oldest pending
 * request, which the 36-hour alarm watches.
 */
const { lettersBucket: bucket, lettersKeyId: keyId } = config();
if (!bucket || !keyId)
  throw new Error('Invalid configuration: LETTERS_BUCKET and LETTERS_KMS_KEY_ID are required by the letter export');
const batch = await letterExport(new S3LetterFiles(new S3Client({ region: config().region }), { bucket, keyId }));

export const handler = async (event: { mode?: string } = {}): Promise<void> => {
  if (event.mode !== 'check') {
    const report = await batch.run();
    logger.info('letters exported', {
      exported: report.exported,
      cancelled: report.cancelled,
      files: report.files.map((f) => f.location).join(' '),
    });
  }
  const hours = await batch.oldestPendingAgeHours();
  logger.metric('oldest pending letter', 'OldestPendingLetterAgeHours', hours);
};
