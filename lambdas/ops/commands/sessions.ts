import { maskNir } from '../../domain/nir.ts';
import { sessions } from '../../runtime/services.ts';
import { defineCommand, JSON_OPTION, memberFromNir, NIR_OPTION, operatorContext } from '../command.ts';
import { iso, result, say } from '../output.ts';

export const sessionsCommand = defineCommand({
  name: 'sessions',
  summary: "the member's active sessions: started, last refresh, source IP, user agent",
  usage: '--nir <NIR> [--json]',
  options: { ...NIR_OPTION, ...JSON_OPTION },
  async run({ values }) {
    const { nir, member } = await memberFromNir(values);
    const active = (await (await sessions()).listActive(member)).map((s) => ({
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
  summary: 'end every session of the member, without deactivating (audited)',
  usage: '--nir <NIR>',
  details: 'Sign-in still works; the member signs in again on every device.',
  options: NIR_OPTION,
  async run({ values }) {
    const { nir, member } = await memberFromNir(values);
    const ended = await (await sessions()).endAll(member, { by: 'OPERATOR', ...(await operatorContext()) });
    say(
      ended
        ? `signed out ${maskNir(nir)}: ${ended} session${ended === 1 ? '' : 's'} ended`
        : `${maskNir(nir)} had no active session; nothing changed`,
    );
    return 0;
  },
});
