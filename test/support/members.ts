import { randomInt } from 'node:crypto';
import { type Nir, nirKey, parseNir } from '../../lambdas/domain/nir.ts';
import { systemClock } from '../../lambdas/domain/ports.ts';
import { importMemberRecord } from '../../lambdas/ops/member-row.ts';
import type { ApiUnderTest } from './api-under-test.ts';
import { memberRow } from './member-rows.ts';

/** A valid NIR never used before in this run. */
export function uniqueNir(): Nir {
  const body = `2${String(randomInt(50, 99))}${String(randomInt(1, 12)).padStart(2, '0')}75${String(randomInt(0, 1e6)).padStart(6, '0')}`;
  return parseNir(`${body}${String(nirKey(body)).padStart(2, '0')}`);
}

export async function addMember(
  api: ApiUnderTest,
  options: { initialCode: string; email?: string; nir?: Nir; clientId?: string },
): Promise<{ nir: Nir; initialCode: string; email: string }> {
  const nir = options.nir ?? uniqueNir();
  const email = options.email ?? `member-${nir.slice(-6)}@example.org`;
  const s = api.services;
  const outcome = await importMemberRecord(
    memberRow({ nir, email, clientId: options.clientId ?? '', initialCode: options.initialCode }),
    {
      members: s.members(),
      nirHasher: await s.nirLookupHasher(),
      codeHasher: await s.codeHasher(),
      clock: systemClock,
      initialCodeValidDays: 365,
    },
  );
  if (outcome.result === 'rejected') throw new Error(outcome.reason);
  return { nir, initialCode: options.initialCode, email };
}
