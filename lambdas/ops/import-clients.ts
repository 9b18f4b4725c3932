import {
  CLIENT_COLUMNS,
  type ClientImportDependencies,
  type ClientImportReport,
  importClientRow,
} from '../domain/client-import.ts';
import { csvFileRows } from './csv-records.ts';

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
    const outcome = await importClientRow(row, d);
    if (outcome.result === 'rejected') reject(line, outcome.reason);
    else counts[outcome.result]++;
  }
  return counts;
}
