import type { IMPORT_COLUMNS } from '../../lambdas/domain/member-row.ts';

type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/**
 * One row of the operators' import file, as the insurer sends it: a member in Paris with an email
 * and a fixed initial code, unless the test says otherwise (`email: ''` for a member reached by post only).
 */
export function memberRow(
  fields: { nir: string } & Partial<Record<ImportColumn, string>>,
): Record<ImportColumn, string> {
  return {
    lastName: 'Dubois',
    firstName: 'Claire',
    email: `member-${fields.nir.slice(-6)}@example.org`,
    addressLine1: '1 rue de la Paix',
    addressLine2: '',
    postalCode: '75002',
    city: 'Paris',
    country: 'FR',
    clientId: '',
    initialCode: '469135',
    ...fields,
  };
}
