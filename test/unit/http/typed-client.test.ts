import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { API_TYPES_FILE, apiTypesSource } from '../../../client/api-types-source.ts';

describe('the typed client', () => {
  it('is generated from the current OpenAPI document (run `npm run generate:client` when this fails)', async () => {
    const committed = await readFile(join(import.meta.dirname, '..', '..', '..', API_TYPES_FILE), 'utf8');
    expect(committed).toBe(await apiTypesSource());
  });
});
