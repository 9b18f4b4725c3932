import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ERROR_CODES } from '../../lambdas/domain/errors.ts';
import { openApiDocument } from '../../lambdas/http/openapi.ts';
import { type ApiUnderTest, startApiWithTerms } from '../support/api-under-test.ts';

/**
 * A fuzzer driven by the OpenAPI document: every route, with bodies shaped like its request schema
 * (fields of the right and the wrong types) and bodies of anything, odd headers, other methods, odd
 * path parameters. Never a 5xx, always the contract's envelope, always the security headers.
 * Bounded: a fixed number of requests per route.
 */
let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiWithTerms();
});
afterAll(async () => {
  await api.stop();
});

type Schema = { type?: string; properties?: Record<string, Schema>; $ref?: string };
const doc = openApiDocument() as {
  paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: Schema } } } }>>;
  components: { schemas: Record<string, Schema> };
};
const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!]! : s);

const scalar = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.stringMatching(/^[0-9 ]{0,20}$/),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant('1 84 05 75 123 456 25'),
  fc.constant('583927'),
);

/** A body with the schema's fields, each of the right type or not. */
function shaped(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const s = schema && resolve(schema);
  if (!s?.properties) return fc.jsonValue();
  const entries = Object.entries(s.properties).map(
    ([name, prop]) => [name, resolve(prop).properties ? shaped(prop) : scalar] as const,
  );
  return fc.record(Object.fromEntries(entries), { requiredKeys: [] });
}

const header = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
);

const request = (path: string, method: string, bodySchema: Schema | undefined) =>
  fc.record({
    method: fc.oneof(fc.constant(method), fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH')),
    path: fc.oneof(
      fc.constant(path),
      fc.stringMatching(/^[A-Za-z0-9_%.-]{1,30}$/).map((id) => path.replace('{id}', id)),
    ),
    body: fc.oneof(shaped(bodySchema), fc.jsonValue(), fc.constant(undefined), fc.string({ maxLength: 50 })),
    contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', ''),
    authorization: header,
    cookie: header,
    language: fc.constantFrom('fr', 'en', 'de', '*', ''),
  });

const RUNS_PER_ROUTE = 40;

describe('every route, fuzzed from the OpenAPI document', () => {
  const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      path,
      method: method.toUpperCase(),
      schema: op.requestBody?.content['application/json'].schema,
    })),
  );

  it('covers every route of the document', () => {
    expect(routes.length).toBeGreaterThan(25);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: never a 5xx, always the envelope and the security headers',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(request(route.path.replace(/\{id\}/g, '{id}'), route.method, route.schema), async (r) => {
          const headers: Record<string, string> = { 'Accept-Language': r.language };
          if (r.contentType && r.body !== undefined) headers['Content-Type'] = r.contentType;
          if (r.authorization) headers['Authorization'] = r.authorization;
          if (r.cookie) headers['Cookie'] = r.cookie;
          const path = r.path.includes('{id}') ? r.path.replace('{id}', 'x') : r.path;
          const reply = await api.call(r.method, path, {
            headers,
            ...(r.body === undefined || ['GET', 'HEAD'].includes(r.method)
              ? {}
              : { rawBody: typeof r.body === 'string' ? r.body : JSON.stringify(r.body) }),
          });
          expect(reply.status).toBeLessThan(500);
          expect(reply.headers.get('x-request-id')).toBeTruthy();
          expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
          expect(reply.headers.get('strict-transport-security')).toMatch(/max-age=/);
          if (reply.status >= 400) {
            expect(ERROR_CODES).toContain(reply.json?.error?.code);
            expect(typeof reply.json.error.message).toBe('string');
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    },
  );
});
