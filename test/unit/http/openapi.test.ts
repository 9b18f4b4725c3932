import { describe, expect, it } from '@jest/globals';
import { compileErrors, validate } from '@readme/openapi-parser';
import { ROUTES } from '../../../lambdas/contract/routes.ts';
import { ERROR_CODES } from '../../../lambdas/domain/errors.ts';
import { openApiDocument } from '../../../lambdas/http/openapi.ts';

type Doc = {
  openapi: string;
  servers: unknown[];
  paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

describe('the OpenAPI document (integrators)', () => {
  const doc = openApiDocument() as Doc;

  it('is valid OpenAPI 3.1 for a maintained validator', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
  });

  it('names no $id or $schema in its components (what validators refused)', () => {
    expect(JSON.stringify(doc.components.schemas)).not.toMatch(/"\$id"|"\$schema"/);
  });

  it('has servers, every route, and the headers that matter on each answer', () => {
    expect(doc.servers.length).toBeGreaterThan(0);
    for (const route of ROUTES) expect(doc.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
    const login = doc.paths['/v1/login']!['post']!.responses;
    expect(Object.keys(login['200']!.headers!)).toEqual(expect.arrayContaining(['x-request-id', 'Set-Cookie']));
    expect(Object.keys(login['429']!.headers!)).toEqual(expect.arrayContaining(['x-request-id', 'Retry-After']));
    expect(Object.keys(login)).toEqual(expect.arrayContaining(['403', '413', '415', '503']));
    expect(Object.keys(doc.paths['/v1/me']!['get']!.responses['401']!.headers!)).toContain('WWW-Authenticate');
  });

  it('lists the error codes, and tells the sign-in answers apart by their status', () => {
    const error = doc.components.schemas['Error'] as {
      properties: { error: { properties: { code: { enum: string[] } } } };
    };
    expect(error.properties.error.properties.code.enum).toEqual([...ERROR_CODES]);
    expect(doc.components.schemas['LoginResponse']).toMatchObject({
      discriminator: {
        propertyName: 'status',
        mapping: {
          AUTHENTICATED: '#/components/schemas/Authenticated',
          CODE_CHANGE_REQUIRED: '#/components/schemas/CodeChangeRequired',
          TERMS_ACCEPTANCE_REQUIRED: '#/components/schemas/TermsAcceptanceRequired',
        },
      },
    });
  });
});
