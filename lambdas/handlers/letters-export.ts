import { lettersBucketFiles } from '../runtime/letter-files.ts';
import { logger } from '../runtime/logger.ts';
import { letterExport } from '../runtime/services.ts';

/**
 * The scheduled letter batch: the same export as `npm run ops -- export-letters`, into the letters
 * bucket. Invoked with `{"mode":"check"}` (hourly) it only publishes the age of the oldest pending
 * request, which the 36-hour alarm watches.
 */
const batch = await letterExport(lettersBucketFiles());

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
