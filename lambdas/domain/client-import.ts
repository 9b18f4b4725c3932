import * as z from 'zod';
import { type AccessEndSchedule, parisMidnight } from './access-end.ts';
import type { MemberAccess, OperatorContext } from './member-access.ts';
import { endDateCell } from './member-row.ts';
import type { Clock } from './ports.ts';

/** The columns of `import-clients` (operations.md, "membership at scale"). */
export const CLIENT_COLUMNS = ['clientId', 'name'] as const;

const ClientRow = z.object({
  clientId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'clientId must be 1 to 64 letters, digits, dots, dashes or underscores'),
  name: z.string().trim().min(1, 'name is required').max(200),
  // Without the column, or empty: no end date (a date set earlier is cleared).
  endDate: endDateCell.transform((day) => day ?? null),
});

export interface ClientImportDependencies {
  readonly access: MemberAccess;
  readonly schedule: AccessEndSchedule;
  readonly clock: Clock;
  readonly context: OperatorContext;
}

export interface ClientImportReport {
  /** Client companies whose end date was set, moved or cleared (and copied onto their members). */
  readonly updated: number;
  readonly unchanged: number;
  /** Client companies whose date had already come: deactivated now, with their members. */
  readonly deactivated: number;
  readonly rejected: number;
}

export type ClientRowOutcome =
  | { readonly result: 'updated' | 'unchanged' | 'deactivated' }
  | { readonly result: 'rejected'; readonly reason: string };

/** One row of a clients file (the CLI's and the feed's): read, then applied. */
export async function importClientRow(
  row: Readonly<Record<string, string>>,
  d: ClientImportDependencies,
): Promise<ClientRowOutcome> {
  const parsed = ClientRow.safeParse(row);
  if (!parsed.success) return { result: 'rejected', reason: parsed.error.issues.map((i) => i.message).join('; ') };
  const { clientId, name, endDate } = parsed.data;
  const accessEndsAt = endDate ? parisMidnight(endDate) : null;
  const { changed } = await d.access.setClientEnd(clientId, name, accessEndsAt, () => undefined);
  if (endDate && accessEndsAt !== null && accessEndsAt <= d.clock.now()) {
    const report = await d.access.deactivateClient(clientId, d.context, () => undefined, 'END_DATE');
    return { result: report.changed > 0 || changed ? 'deactivated' : 'unchanged' };
  }
  if (endDate) await d.schedule.schedule(endDate, { kind: 'CLIENT', id: clientId });
  return { result: changed ? 'updated' : 'unchanged' };
}
