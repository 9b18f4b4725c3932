import { maskNir } from '../../domain/nir.ts';
import { memberAccess, nirLocks } from '../../runtime/services.ts';
import { defineCommand, findMember, memberFromNir, NIR_OPTION, nirFrom, operatorContext } from '../command.ts';
import { OperatorFailure } from '../failure.ts';
import { say } from '../output.ts';

export const deactivateMember = defineCommand({
  name: 'deactivate-member',
  summary: "CGU 3.5: end the member's access, sessions revoked at once",
  usage: '--nir <NIR>',
  details:
    'Sign-in is refused at once (403 for the right code, still 401 for a wrong one); every session ends; no reset mail or letter.',
  options: NIR_OPTION,
  async run({ values }) {
    const { nir, key, member } = await memberFromNir(values);
    const done = await memberAccess().deactivateMember(key, member.memberId, await operatorContext());
    say(
      done
        ? `deactivated ${maskNir(nir)}: sign-in refused, every session revoked`
        : `${maskNir(nir)} was already deactivated; nothing changed`,
    );
    return 0;
  },
});

export const reactivateMember = defineCommand({
  name: 'reactivate-member',
  summary: 'give access back (sessions revoked before stay revoked)',
  usage: '--nir <NIR>',
  details: 'Refused while the member’s client company is deactivated: reactivate the client.',
  options: NIR_OPTION,
  async run({ values }) {
    const { nir, key, member } = await memberFromNir(values);
    const outcome = await memberAccess().reactivateMember(
      key,
      member.memberId,
      member.clientId,
      await operatorContext(),
    );
    if (outcome === 'CLIENT_DEACTIVATED') {
      throw new OperatorFailure(
        `the client company ${member.clientId} of ${maskNir(nir)} is deactivated: reactivate the client`,
      );
    }
    say(
      outcome === 'REACTIVATED'
        ? `reactivated ${maskNir(nir)}: sign-in works again (old sessions stay revoked)`
        : `${maskNir(nir)} was not deactivated; nothing changed`,
    );
    return 0;
  },
});

export const unlock = defineCommand({
  name: 'unlock',
  summary: "customer service: clear the NIR's lock, consecutive count, escalation and 24-hour cap",
  usage: '--nir <NIR>',
  details:
    'Audited with the operator. Clears what strangers left on the NIR — the lock, the escalation and the failures counted in the 24-hour cap (25) — and its letter-recovery budget.',
  options: NIR_OPTION,
  async run({ values }) {
    const nir = await nirFrom(values);
    const { key } = await findMember(nir);
    const context = await operatorContext();
    const cleared = await nirLocks().clear(key, 'OPERATOR', {
      requestId: context.requestId,
      operator: context.operator,
      operatorClaim: context.operatorClaim,
    });
    say(
      cleared
        ? `unlocked ${maskNir(nir)}: lock, consecutive count, escalation and 24-hour cap cleared`
        : `${maskNir(nir)} had no lock and no failure in the last 24 hours; nothing changed`,
    );
    return 0;
  },
});
