import { logger } from '../runtime/logger.ts';
import { accessEndsRun } from '../runtime/services.ts';

/**
 * The hourly run (EventBridge) that records the ends of access due: each member or client company
 * whose end date has come is deactivated, audited as an automatic deactivation, its sessions ended.
 * Sign-in and sessions already refuse them from 00:00 Europe/Paris: nothing waits for this run.
 */
export const handler = async (_event: unknown, context?: { awsRequestId?: string }): Promise<void> => {
  const report = await accessEndsRun({
    operator: 'scheduled:access-ends',
    requestId: context?.awsRequestId ?? 'scheduled',
  });
  logger.info('access ends recorded', { ...report });
};
