import * as z from 'zod/mini';
import * as S from '../contract/api-schemas.ts';
import { ROUTES, type Route, statusesOf } from '../contract/routes.ts';

/** Every request body, as accepted (the other schemas are documented as sent). */
const REQUESTS = new Set(ROUTES.flatMap((route): z.ZodMiniType[] => ('request' in route ? [route.request] : [])));

const idOf = (schema: z.ZodMiniType): string => {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('every schema in the OpenAPI document needs a meta id');
  return id;
};
const ref = (schema: z.ZodMiniType) => ({ $ref: `#/components/schemas/${idOf(schema)}` });
const json = (schema: z.ZodMiniType) => ({ 'application/json': { schema: ref(schema) } });

/**
 * Every schema with a meta id becomes a component (JSON Schema 2020-12, as OpenAPI 3.1 takes it):
 * requests as accepted, responses as sent. The `$schema` and `$id` zod writes on each are dropped —
 * components are named by the document, and validators refuse an `$id` there.
 */
function schemaComponents(): Record<string, unknown> {
  const asComponents = (io: 'input' | 'output') =>
    (
      z.toJSONSchema(z.globalRegistry, { target: 'draft-2020-12', io, uri: (id) => `#/components/schemas/${id}` }) as {
        schemas: Record<string, Record<string, unknown>>;
      }
    ).schemas;
  const inputs = asComponents('input');
  const outputs = asComponents('output');
  const requestIds = new Set([...REQUESTS].map(idOf));
  const schemas = Object.fromEntries(
    Object.keys(outputs).map((id) => {
      const { $schema: _s, $id: _i, ...schema } = (requestIds.has(id) ? inputs[id] : outputs[id])!;
      return [id, schema];
    }),
  );
  // The sign-in's answers, told apart by their status.
  schemas[idOf(S.LoginResponse)] = {
    oneOf: Object.values(S.LOGIN_ANSWERS).map(ref),
    discriminator: {
      propertyName: 'status',
      mapping: Object.fromEntries(
        Object.entries(S.LOGIN_ANSWERS).map(([status, schema]) => [status, ref(schema).$ref]),
      ),
    },
  };
  return schemas;
}

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

const HEADERS = {
  RequestId: { description: 'The request id: in the logs and, on 5xx, in the body.', schema: { type: 'string' } },
  RetryAfter: { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
  SetRefreshCookie: {
    description:
      'The refresh token: `__Secure-mp_refresh=<token>; Max-Age=…; Path=/v1/session; HttpOnly; Secure; SameSite=Strict` (cleared with Max-Age=0 on logout).',
    schema: { type: 'string' },
  },
  WwwAuthenticate: { description: 'RFC 6750: `Bearer` or `Bearer error="invalid_token"`.', schema: { type: 'string' } },
  CacheControl: { description: '`public, max-age=300`: public data.', schema: { type: 'string' } },
} as const;

function responses(op: Route): Record<string, unknown> {
  const ok: Record<string, unknown> = {
    description: 'Success',
    headers: {
      'x-request-id': header('RequestId'),
      ...(op.setsCookie ? { 'Set-Cookie': header('SetRefreshCookie') } : {}),
      ...(op.cacheable ? { 'Cache-Control': header('CacheControl') } : {}),
    },
    ...(op.ok.schema ? { content: json(S.RESPONSES[op.ok.schema]) } : {}),
  };
  const errors = Object.fromEntries(
    statusesOf(op).map((status) => [
      status,
      {
        description: 'Error, in the contract envelope',
        headers: {
          'x-request-id': header('RequestId'),
          ...(status === 429 || status === 503 ? { 'Retry-After': header('RetryAfter') } : {}),
          ...(status === 401 && op.auth === 'member' ? { 'WWW-Authenticate': header('WwwAuthenticate') } : {}),
        },
        content: json(S.ErrorResponse),
      },
    ]),
  );
  return { [op.ok.status]: ok, ...errors };
}

/** OpenAPI 3.1 document generated from the zod schemas that validate the requests. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const op: Route = route;
    paths[route.path] = {
      [route.method.toLowerCase()]: {
        operationId: route.name,
        summary: op.summary,
        ...(op.request ? { requestBody: { required: true, content: json(op.request) } } : {}),
        ...(op.auth === 'member' ? { security: [{ bearer: [] }] } : {}),
        ...(op.auth === 'refresh-cookie' ? { security: [{ refreshCookie: [] }] } : {}),
        parameters: [
          ...(op.pathId
            ? [{ name: 'id', in: 'path', required: true, description: op.pathId, schema: { type: 'string' } }]
            : []),
          {
            name: 'Accept-Language',
            in: 'header',
            required: false,
            schema: { type: 'string', enum: ['fr', 'en'], default: 'fr' },
          },
        ],
        responses: responses(op),
      },
    };
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'member-portal-auth',
      version: '1',
      description: 'Sign-in API of the member portal (espace adhérent).',
    },
    servers: [
      { url: 'http://localhost:3000', description: 'The local stack (npm start)' },
      {
        url: 'https://{apiDomainName}',
        description: 'A deployed stage, on the insurer’s domain',
        variables: { apiDomainName: { default: 'auth.mutuelle.example' } },
      },
    ],
    paths,
    components: {
      schemas: schemaComponents(),
      headers: HEADERS,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        refreshCookie: { type: 'apiKey', in: 'cookie', name: '__Secure-mp_refresh' },
      },
    },
  };
}
