import { maskNir } from '../../domain/nir.ts';
import { trustedDevices } from '../../runtime/services.ts';
import { defineCommand, JSON_OPTION, memberFromNir, NIR_OPTION, operatorContext } from '../command.ts';
import { iso, result, say } from '../output.ts';

export const devicesCommand = defineCommand({
  name: 'devices',
  summary: "the member's trusted devices: browser and system, trusted since, last used",
  usage: '--nir <NIR> [--json]',
  details: 'A trusted device signs in without the mailed code; the member may forget any of them under Sécurité.',
  options: { ...NIR_OPTION, ...JSON_OPTION },
  async run({ values }) {
    const { nir, member } = await memberFromNir(values);
    // The device ids stay out of the output: customer service has no use for them.
    const devices = (await trustedDevices().list(member)).map((d) => ({
      label: d.label,
      trustedSince: d.createdAt,
      lastUsedAt: d.lastUsedAt,
    }));
    result(values.json, { nir: maskNir(nir), devices }, () => {
      if (devices.length === 0) say(`no trusted device for ${maskNir(nir)}`);
      for (const d of devices) say(`trusted ${iso(d.trustedSince)}  last used ${iso(d.lastUsedAt)}  ${d.label}`);
    });
    return 0;
  },
});

export const forgetDevices = defineCommand({
  name: 'forget-devices',
  summary: 'forget every trusted device of the member (audited): each must prove the mailbox again',
  usage: '--nir <NIR>',
  details: 'For a lost or stolen phone, or a shared computer. Sessions are not ended: see sign-out.',
  options: NIR_OPTION,
  async run({ values }) {
    const { nir, member } = await memberFromNir(values);
    const forgotten = await trustedDevices().forgetAll(member, { by: 'OPERATOR', ...(await operatorContext()) });
    say(
      forgotten
        ? `forgot ${forgotten} trusted device${forgotten === 1 ? '' : 's'} of ${maskNir(nir)}`
        : `${maskNir(nir)} had no trusted device; nothing changed`,
    );
    return 0;
  },
});
