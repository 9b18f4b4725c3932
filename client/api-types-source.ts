import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../lambdas/http/openapi.ts';

export const API_TYPES_FILE = 'client/api-types.ts';

const BANNER = `/**
 * Generated from the OpenAPI document (lambdas/http/openapi.ts) by \`npm run generate:client\` — do not edit.
 * A test regenerates it and fails when it differs: the client never drifts from the API.
 */
`;

/** The TypeScript types of the API, as openapi-typescript writes them from the document the API serves. */
export async function apiTypesSource(): Promise<string> {
  const ast = await openapiTS(structuredClone(openApiDocument()) as never, { alphabetize: true });
  return `${BANNER}${astToString(ast)}`;
}
