import * as z from 'zod';
import { type AccessEndSchedule, parisMidnight, parseEndDate } from '../domain/access-end.ts';
import type { MemberAccess, OperatorContext } from '../domain/member-access.ts';
import type { Clock } from '../domain/ports.ts';
import { csvFileRows } from './csv-records.ts';

/** The columns of `import-clients` (operations.md, "membership at scale"). */
const CLIENT_COLUMNS = ['clientId', 'name'] as const;

const ClientRow = z.object({
  clientId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'clientId must be 1 to 64 letters, digits, dots, dashes or underscores'),
  name: z.string().trim().min(1, 'name is required').max(200),
  endDate: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const value = s?.trim() ?? '';
      if (value === '') return null;
      const day = parseEndDate(value);
      if (!day) ctx.addIssue({ code: 'custom', message: 'endDate must be a date YYYY-MM-DD' });
      return day ?? null;
    }),
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

/**
 * `import-clients`: each client company's name and end date; a date set, moved or cleared is copied
 * onto its members (the sign-in check reads one item), a date already reached deactivates the
 * company and its members at once (CGU 3.6), a later one waits for the run of its day.
 */
export async function importClientsFile(
  path: string,
  d: ClientImportDependencies,
  out: { rejected(line: number, reason: string): void },
): Promise<ClientImportReport> {
  const counts = { updated: 0, unchanged: 0, deactivated: 0, rejected: 0 };
  const reject = (line: number, reason: string) => {
    counts.rejected++;
    out.rejected(line, reason);
  };
  for await (const { line, row } of csvFileRows(path, CLIENT_COLUMNS, reject)) {
    const parsed = ClientRow.safeParse(row);
    if (!parsed.success) {
      reject(line, parsed.error.issues.map((i) => i.message).join('; '));
      continue;
    }
    const { clientId, name, endDate } = parsed.data;
    const accessEndsAt = endDate ? parisMidnight(endDate) : null;
    const { changed } = await d.access.setClientEnd(clientId, name, accessEndsAt, () => undefined);
    if (endDate && accessEndsAt !== null && accessEndsAt <= d.clock.now()) {
      const report = await d.access.deactivateClient(clientId, d.context, () => undefined, 'END_DATE');
      if (report.changed > 0 || changed) counts.deactivated++;
      else counts.unchanged++;
      continue;
    }
    if (endDate) await d.schedule.schedule(endDate, { kind: 'CLIENT', id: clientId });
    if (changed) counts.updated++;
    else counts.unchanged++;
  }
  return counts;
}
