import { type MemberStatus, memberStatus } from '../../domain/member-status.ts';
import { maskNir } from '../../domain/nir.ts';
import { config } from '../../runtime/config.ts';
import { accessStore, attemptStore, letterStore, termsStore } from '../../runtime/services.ts';
import { defineCommand, findMember, JSON_OPTION, NIR_OPTION, nirFrom } from '../command.ts';
import { iso, result, table } from '../output.ts';

/** The seed's troubleshooting questions, one line each. */
function rows(status: MemberStatus): Array<[string, string]> {
  const lines: Array<[string, string]> = [['member', status.exists ? 'yes' : 'no such member']];
  if (status.exists) {
    const terms = status.acceptedTerms;
    const deactivated = status.deactivated;
    lines.push(
      [
        'personal code chosen',
        status.personalCodeChosenAt ? `yes, ${iso(status.personalCodeChosenAt)}` : 'no (initial or letter code only)',
      ],
      ['initial code', status.initialCodeValidUntil ? `valid until ${iso(status.initialCodeValidUntil)}` : '—'],
      [
        'terms accepted',
        terms
          ? `${terms.version}, ${iso(terms.at)}${terms.version === status.currentTerms ? ' (current)' : ` (current is ${status.currentTerms ?? '—'})`}`
          : `no (current is ${status.currentTerms ?? '—'})`,
      ],
      [
        'code sign-in',
        status.passkeyOnly
          ? 'off: passkey only (the member chose it; the forgotten-code link or a letter turns codes back on)'
          : 'on',
      ],
      ['email on file', status.emailOnFile ?? 'no (letters by post)'],
      [
        'letter',
        status.letterPendingSince
          ? `pending since ${iso(status.letterPendingSince)}`
          : status.lastLetterSentAt
            ? `last sent ${iso(status.lastLetterSentAt)}`
            : 'none',
      ],
      [
        'deactivated',
        deactivated
          ? `yes, since ${iso(deactivated.since)} (${deactivated.reason === 'CLIENT' ? `with client ${deactivated.clientId}` : 'member'}, by ${deactivated.by ?? '—'})`
          : status.clientDeactivatedSince
            ? `client company deactivated since ${iso(status.clientDeactivatedSince)}`
            : 'no',
      ],
      [
        'end of access',
        [
          status.accessEndsAt !== undefined && `member: ${iso(status.accessEndsAt)}`,
          status.clientAccessEndsAt !== undefined && `client company: ${iso(status.clientAccessEndsAt)}`,
        ]
          .filter(Boolean)
          .join('; ') || 'none planned',
      ],
    );
  }
  lines.push(
    [
      'locked',
      status.lockedUntil
        ? `yes, until ${iso(status.lockedUntil)}${status.refusedFor === '24_HOUR_CAP' ? ' (24-hour cap reached)' : ''}; trusted devices and passkeys still sign in`
        : 'no',
    ],
    ['failed attempts (24 h)', String(status.failuresLast24h)],
  );
  return lines;
}

export const memberStatusCommand = defineCommand({
  name: 'member-status',
  summary: 'customer service: the troubleshooting questions, answered',
  usage: '--nir <NIR> [--json]',
  details:
    'Member or not, personal code chosen, terms accepted, email on file (masked), letter, deactivated, locked, failures in 24 h.',
  options: { ...NIR_OPTION, ...JSON_OPTION },
  async run({ values }) {
    const nir = await nirFrom(values);
    const { key, member } = await findMember(nir);
    const status = await memberStatus(key, member, await termsStore().current(), Date.now(), {
      attempts: attemptStore(),
      lockout: config().credentials.lockout,
      letters: letterStore(),
      access: accessStore(),
    });
    result(values.json, { nir: maskNir(nir), ...status }, () => table([['NIR', maskNir(nir)], ...rows(status)]));
    return 0;
  },
});
