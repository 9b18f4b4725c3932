import { accessEndsRun, clientImportDependencies } from '../../runtime/services.ts';
import { defineCommand, operatorContext, UsageError } from '../command.ts';
import { importClientsFile } from '../import-clients.ts';
import { maskDigitRuns } from '../nir-input.ts';
import { progress, result, say } from '../output.ts';

export const importClients = defineCommand({
  name: 'import-clients',
  summary: 'client companies and their end dates (CGU 3.6, operations.md CSV)',
  usage: '<file.csv> [--json]',
  details:
    'Header clientId,name,endDate (endDate optional, YYYY-MM-DD). On that date every member of the company loses access at 00:00 Europe/Paris, ' +
    'with no operator action; a date already reached deactivates the company and its members now; an empty endDate clears it. ' +
    'Each rejected row is reported with its line and reason; exits 1 if any row was rejected. Running the same file again changes nothing.',
  options: { json: { type: 'boolean' } },
  positionals: 1,
  async run({ values, positionals }) {
    const file = positionals[0];
    if (!file) throw new UsageError('import-clients needs a CSV file');
    const rejections: Array<{ line: number; reason: string }> = [];
    const report = await importClientsFile(file, clientImportDependencies(await operatorContext()), {
      rejected: (line, reason) => {
        rejections.push({ line, reason: maskDigitRuns(reason) });
        if (!values.json) progress(`line ${line}: rejected — ${maskDigitRuns(reason)}`);
      },
    });
    result(values.json, { ...report, rejections }, () =>
      say(
        `updated ${report.updated}, unchanged ${report.unchanged}, deactivated now ${report.deactivated}, rejected ${report.rejected}`,
      ),
    );
    return report.rejected > 0 ? 1 : 0;
  },
});

export const runAccessEnds = defineCommand({
  name: 'run-access-ends',
  summary: 'record the ends of access due (what the hourly scheduled run does in AWS)',
  usage: '[--json]',
  details:
    'Deactivates each member and client company whose end date has come (the last 7 days), audited as automatic (trigger END_DATE), ' +
    'and ends their sessions. Sign-in already refuses them from 00:00 Europe/Paris; this records it. Safe to run at any time, any number of times.',
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    const report = await accessEndsRun(await operatorContext());
    result(values.json, report, () =>
      say(
        `members ended ${report.membersEnded}, client companies ended ${report.clientsEnded}, moved or cleared since ${report.stale}`,
      ),
    );
    return 0;
  },
});
