import { memberImportDependencies } from '../../runtime/services.ts';
import { defineCommand, operatorContext, UsageError } from '../command.ts';
import { type ImportProgress, importMembersFile } from '../import-members.ts';
import { maskDigitRuns } from '../nir-input.ts';
import { progress, result, say } from '../output.ts';

export const importMembers = defineCommand({
  name: 'import-members',
  summary: 'upsert members by NIR (operations.md CSV)',
  usage: '<file.csv> [--dry-run] [--json]',
  details:
    'Streams the file; each rejected row is reported with its line and reason, the others still go in; exits 1 if any row was rejected. ' +
    'A malformed file (a stray or unclosed quote) is refused whole. A re-import never undoes a personal code. ' +
    '--dry-run says what would be created, updated or rejected, and changes nothing.',
  options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: 1,
  async run({ values, positionals }) {
    const file = positionals[0];
    if (!file) throw new UsageError('import-members needs a CSV file');
    const dryRun = values['dry-run'] === true;
    const rejections: Array<{ line: number; reason: string }> = [];
    const context = await operatorContext();
    const report = await importMembersFile(
      file,
      dryRun
        ? { ...(await memberImportDependencies(context)), clientAccess: undefined, endSchedule: undefined, dryRun }
        : await memberImportDependencies(context),
      {
        rejected: (line, reason) => {
          rejections.push({ line, reason: maskDigitRuns(reason) });
          if (!values.json) progress(`line ${line}: rejected — ${maskDigitRuns(reason)}`);
        },
        progress: (p) => progress(progressLine(p)),
      },
    );
    result(values.json, { dryRun, ...report, rejections }, () =>
      say(
        dryRun
          ? `dry run: would import ${report.imported}, update ${report.updated}, leave ${report.unchanged} unchanged, reject ${report.rejected}; nothing changed`
          : `imported ${report.imported}, updated ${report.updated}, unchanged ${report.unchanged}, rejected ${report.rejected}`,
      ),
    );
    return report.rejected > 0 ? 1 : 0;
  },
});

/** « … 12,000 / 500,000 rows — 41 rows/s, about 3 h 18 min left » */
function progressLine({ done, total, elapsedMs }: ImportProgress): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const left = rate > 0 ? Math.max(0, total - done) / rate : undefined;
  const n = (x: number) => x.toLocaleString('en-US');
  return `… ${n(done)} / ${n(total)} rows — ${rate.toFixed(0)} rows/s${left === undefined ? '' : `, about ${duration(left)} left`}`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
