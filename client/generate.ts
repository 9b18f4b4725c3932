/** `npm run generate:client`: writes the API's types for the typed client. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { API_TYPES_FILE, apiTypesSource } from './api-types-source.ts';

const target = join(import.meta.dirname, '..', API_TYPES_FILE);
await writeFile(target, await apiTypesSource());
process.stdout.write(`wrote ${API_TYPES_FILE}\n`);
