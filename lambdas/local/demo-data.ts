import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { weakCodeReason } from '../domain/code-blocklist.ts';
import type { SixDigitCode } from '../domain/code-format.ts';
import { importMemberRecord } from '../domain/member-row.ts';
import { type Nir, nirKey, parseNir } from '../domain/nir.ts';
import { systemClock } from '../domain/ports.ts';
import { newSixDigitCode } from '../domain/random-secrets.ts';
import { LOCAL_DIR, LOCAL_PORTS } from '../runtime/local-environment.ts';
import { codeHasher, config, members, nirLookupHasher, termsStore } from '../runtime/services.ts';

const DEMO_FILE = join(LOCAL_DIR, 'demo-members.txt');

/** The example terms the portal ships (portal/public/cgu-exemple.html), served by npm start. */
export const DEMO_TERMS = {
  version: '2026-01',
  url: `http://localhost:${LOCAL_PORTS.portal}/cgu-exemple.html`,
} as const;

const withKey = (body13: string): Nir => parseNir(`${body13}${String(nirKey(body13)).padStart(2, '0')}`);

/** A random code that the blocklist would accept, as an insurer's statement would carry. */
function randomStrongCode(nir: Nir): SixDigitCode {
  for (;;) {
    const code = newSixDigitCode();
    if (!weakCodeReason(code, nir)) return code;
  }
}

const DEMO_PEOPLE = [
  { body: '1840575123456', firstName: 'Jean', lastName: 'Martin', email: 'jean.martin@example.org' },
  { body: '2950999126111', firstName: 'Claire', lastName: 'Dubois', email: '' },
  { body: '253072A073004', firstName: 'Marie', lastName: 'Santoni', email: 'marie.santoni@example.org' },
];

/** Current terms if none, and the demo members on first start (their NIRs and initial codes printed). */
export async function seedLocalData(): Promise<string> {
  if (!(await termsStore().current())) {
    await termsStore().publish({ ...DEMO_TERMS, publishedAt: Date.now() });
  }
  if (existsSync(DEMO_FILE)) {
    return `${await readFile(DEMO_FILE, 'utf8')}(loaded at first start; codes chosen since then replace these)\n`;
  }
  const dependencies = {
    members: members(),
    nirHasher: await nirLookupHasher(),
    codeHasher: await codeHasher(),
    clock: systemClock,
    initialCodeValidDays: config().initialCodeValidDays,
  };
  const lines = ['Demo members (NIR — initial code — email):'];
  for (const person of DEMO_PEOPLE) {
    const nir = withKey(person.body);
    const initialCode = randomStrongCode(nir);
    await importMemberRecord(
      {
        nir,
        lastName: person.lastName,
        firstName: person.firstName,
        email: person.email,
        addressLine1: '12 rue de la Paix',
        addressLine2: '',
        postalCode: '75002',
        city: 'Paris',
        country: 'FR',
        clientId: 'DEMO-CLIENT',
        initialCode,
      },
      dependencies,
    );
    lines.push(`  ${nir}  ${initialCode}  ${person.email || '(no email: letters)'}`);
  }
  const text = `${lines.join('\n')}\n`;
  await writeFile(DEMO_FILE, text, { mode: 0o600 });
  return text;
}
