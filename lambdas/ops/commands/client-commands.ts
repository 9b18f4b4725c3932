import { memberAccess } from '../../runtime/services.ts';
import { defineCommand, operatorContext, UsageError } from '../command.ts';
import { progress, say } from '../output.ts';

const clientOptions = { client: { type: 'string' }, 'dry-run': { type: 'boolean' } } as const;

const requireClient = (client: string | undefined): string => {
  if (!client) throw new UsageError('--client <id> is required');
  return client;
};

export const deactivateClient = defineCommand({
  name: 'deactivate-client',
  summary: 'CGU 3.6: every member of that client company, now and imported later',
  usage: '--client <id> [--dry-run]',
  details:
    'Each member changes (and is audited) once: an interrupted run is simply run again. --dry-run counts what would change and changes nothing.',
  options: clientOptions,
  async run({ values }) {
    const client = requireClient(values.client);
    if (values['dry-run']) {
      const preview = await memberAccess().previewClientDeactivation(client);
      say(
        `dry run: client ${client} — ${preview.changed} members would be deactivated, ${preview.unchanged} already are; nothing changed`,
      );
      return 0;
    }
    const report = await memberAccess().deactivateClient(client, await operatorContext(), (done) =>
      progress(`… ${done} members`),
    );
    say(`client ${client} deactivated: ${report.changed} members deactivated now, ${report.unchanged} already were`);
    return 0;
  },
});

export const reactivateClient = defineCommand({
  name: 'reactivate-client',
  summary: 'the members deactivated with their client get access back',
  usage: '--client <id>',
  details: 'Members deactivated on their own stay deactivated.',
  options: { client: { type: 'string' } },
  async run({ values }) {
    const client = requireClient(values.client);
    const report = await memberAccess().reactivateClient(client, await operatorContext(), (done) =>
      progress(`… ${done} members`),
    );
    say(`client ${client} reactivated: ${report.changed} members reactivated, ${report.unchanged} left as they were`);
    return 0;
  },
});
