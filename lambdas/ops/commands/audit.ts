import type { AuditEntry } from '../../domain/audit-events.ts';
import { maskNir, nirLookupKey } from '../../domain/nir.ts';
import { auditTrail, nirLookupHasher } from '../../runtime/services.ts';
import { defineCommand, JSON_OPTION, NIR_OPTION, nirFrom, UsageError } from '../command.ts';
import { iso, result, say } from '../output.ts';

function line(e: AuditEntry): string {
  const detail = Object.entries(e.detail ?? {}).map(([k, v]) => `${k}=${v}`);
  const who = [
    e.sourceIp && `ip=${e.sourceIp}`,
    e.operator && `operator=${e.operator}`,
    e.operatorClaim && `claimed=${e.operatorClaim}`,
    `request=${e.requestId}`,
    ...detail,
  ].filter(Boolean);
  return `${iso(e.at)}  ${e.event.padEnd(32)} ${e.outcome.padEnd(8)} ${who.join(' ')}`;
}

export const audit = defineCommand({
  name: 'audit',
  summary: "the member's authentication events, newest first",
  usage: '--nir <NIR> [--since <YYYY-MM-DD>] [--json]',
  details: 'Time, event, outcome, source IP or operator (verified, and the claimed name beside it), request id.',
  options: { ...NIR_OPTION, ...JSON_OPTION, since: { type: 'string' } },
  async run({ values }) {
    const nir = await nirFrom(values);
    const since = values.since ? Date.parse(values.since) : 0;
    if (Number.isNaN(since)) throw new UsageError('--since must be a date, as YYYY-MM-DD');
    const entries = await auditTrail().list(await nirLookupKey(await nirLookupHasher(), nir), since);
    result(values.json, { nir: maskNir(nir), events: entries }, () => {
      if (entries.length === 0) say(`no events for ${maskNir(nir)}${values.since ? ` since ${values.since}` : ''}`);
      for (const e of entries) say(line(e));
    });
    return 0;
  },
});
