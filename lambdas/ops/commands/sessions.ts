import type { Member } from '../../domain/member.ts';
import type { OperatorContext } from '../../domain/member-access.ts';
import { maskNir } from '../../domain/nir.ts';
import { passkeyRemoval, sessionGuard } from '../../runtime/services.ts';
import { defineCommand, JSON_OPTION, memberFromNir, NIR_OPTION, operatorContext } from '../command.ts';
import { iso, result, say } from '../output.ts';

export const sessionsCommand = defineCommand({
  name: 'sessions',
  summary: "the member's active sessions: started, last refresh, source IP, user agent",
  usage: '--nir <NIR> [--json]',
  options: { ...NIR_OPTION, ...JSON_OPTION },
  async run({ values }) {
    const { nir, member } = await memberFromNir(values);
    const active = (await sessionGuard().listActive(member)).map((s) => ({
      startedAt: s.createdAt,
      lastRefreshAt: s.lastRefreshAt,
      sourceIp: s.sourceIp,
      userAgent: s.userAgent,
    }));
    result(values.json, { nir: maskNir(nir), sessions: active }, () => {
      if (active.length === 0) say(`no active session for ${maskNir(nir)}`);
      for (const s of active)
        say(
          `started ${iso(s.startedAt)}  last refresh ${iso(s.lastRefreshAt)}  ip=${s.sourceIp ?? '—'}  ${s.userAgent ?? ''}`,
        );
    });
    return 0;
  },
});

export const signOut = defineCommand({
  name: 'sign-out',
  summary: 'end every session of the member, without deactivating (audited); --passkeys removes their passkeys too',
  usage: '--nir <NIR> [--passkeys]',
  details:
    'Sign-in still works; the member signs in again on every device. With --passkeys, every passkey of the member is removed and passkey-only sign-in ends: for a member who says someone else added one.',
  options: { ...NIR_OPTION, passkeys: { type: 'boolean' } },
  async run({ values }) {
    const { nir, member } = await memberFromNir(values);
    const context = await operatorContext();
    const ended = await sessionGuard().endAll(member, { by: 'OPERATOR', ...context });
    say(
      ended
        ? `signed out ${maskNir(nir)}: ${ended} session${ended === 1 ? '' : 's'} ended`
        : `${maskNir(nir)} had no active session`,
    );
    if (values.passkeys) {
      const removed = await removeEveryPasskey(member, context);
      say(
        removed.length
          ? `removed ${removed.length} passkey${removed.length === 1 ? '' : 's'} of ${maskNir(nir)}: ${removed.map((n) => `"${n}"`).join(', ')}`
          : `${maskNir(nir)} had no passkey`,
      );
    }
    return 0;
  },
});

/** Every passkey of the member goes, and passkey-only with them (else the member would have no way in). */
async function removeEveryPasskey(member: Member, context: OperatorContext): Promise<string[]> {
  const fields = {
    requestId: context.requestId,
    operator: context.operator,
    operatorClaim: context.operatorClaim,
    memberId: member.memberId,
  };
  return passkeyRemoval().removeAll(member, 'OPERATOR', fields, { language: 'fr', requestId: context.requestId });
}
