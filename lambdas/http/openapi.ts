import * as z from 'zod/mini';
import { ROUTES, type RouteName } from '../contract/routes.ts';
import * as S from './schemas.ts';

interface Operation {
  readonly summary: string;
  readonly request?: z.ZodMiniType;
  readonly ok: { readonly status: number; readonly schema?: z.ZodMiniType };
  readonly errors: readonly number[];
  readonly bearer?: boolean;
  readonly cookie?: boolean;
}

const OPERATIONS: Record<Exclude<RouteName, 'not-found'>, Operation> = {
  login: {
    summary: 'Sign in with NIR and 6-digit code',
    request: S.LoginRequest,
    ok: { status: 200, schema: S.LoginResponse },
    errors: [400, 401, 403, 413, 429],
  },
  'code-change': {
    summary: 'Personalise or change the code',
    request: S.CodeChangeRequest,
    ok: { status: 200, schema: S.CodeChangedResponse },
    errors: [400, 401, 403, 413, 429],
  },
  'code-forgot': {
    summary: 'Forgotten code: a reset mail, or a letter, for a member (same answer for all)',
    request: S.CodeForgotRequest,
    ok: { status: 202, schema: S.RequestAcceptedResponse },
    errors: [400, 413],
  },
  'code-reset': {
    summary: 'Set a new code from the emailed link',
    request: S.CodeResetRequest,
    ok: { status: 200, schema: S.CodeChangedResponse },
    errors: [400, 413],
  },
  'terms-current': {
    summary: 'Current terms of use',
    ok: { status: 200, schema: S.CurrentTermsResponse },
    errors: [404],
  },
  'terms-accept': {
    summary: 'Accept the current terms and open a session',
    request: S.TermsAcceptRequest,
    ok: { status: 200, schema: S.Authenticated },
    errors: [400, 401, 409, 413],
  },
  'session-refresh': {
    summary: 'Rotate the refresh cookie and get a new access token',
    ok: { status: 200, schema: S.Authenticated },
    errors: [401],
    cookie: true,
  },
  'session-logout': { summary: 'End the session', ok: { status: 204 }, errors: [], cookie: true },
  me: { summary: 'The signed-in member', ok: { status: 200, schema: S.MeResponse }, errors: [401], bearer: true },
  jwks: {
    summary: 'Public keys that verify access tokens (cacheable 5 minutes)',
    ok: { status: 200, schema: S.JwksResponse },
    errors: [],
  },
  'openid-configuration': {
    summary: 'Metadata of the token issuer (RFC 8414): issuer, jwks_uri, algorithms (cacheable 5 minutes)',
    ok: { status: 200, schema: S.OpenIdConfigurationResponse },
    errors: [],
  },
  health: { summary: 'Liveness', ok: { status: 200, schema: S.HealthResponse }, errors: [] },
  openapi: { summary: 'This document', ok: { status: 200 }, errors: [] },
};

const REQUESTS = new Set<z.ZodMiniType>([
  S.LoginRequest,
  S.CodeChangeRequest,
  S.CodeForgotRequest,
  S.CodeResetRequest,
  S.TermsAcceptRequest,
]);

/** Every schema with a meta id becomes a component; requests as accepted, responses as sent. */
function components(): Record<string, unknown> {
  const asComponents = (io: 'input' | 'output') =>
    (
      z.toJSONSchema(z.globalRegistry, { target: 'openapi-3.0', io, uri: (id) => `#/components/schemas/${id}` }) as {
        schemas: Record<string, unknown>;
      }
    ).schemas;
  const inputs = asComponents('input');
  const outputs = asComponents('output');
  const requestIds = new Set([...REQUESTS].map((schema) => z.globalRegistry.get(schema)?.id));
  return Object.fromEntries(Object.keys(outputs).map((id) => [id, requestIds.has(id) ? inputs[id] : outputs[id]]));
}

const json = (schema: z.ZodMiniType) => {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('every schema in the OpenAPI document needs a meta id');
  return { 'application/json': { schema: { $ref: `#/components/schemas/${id}` } } };
};

/** OpenAPI 3.0 document generated from the zod schemas that validate the requests. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const op = OPERATIONS[route.name];
    const responses: Record<string, unknown> = {
      [op.ok.status]: { description: 'Success', ...(op.ok.schema ? { content: json(op.ok.schema) } : {}) },
    };
    for (const status of [...op.errors, 500])
      responses[status] = { description: 'Error', content: json(S.ErrorResponse) };
    paths[route.path] = {
      [route.method.toLowerCase()]: {
        operationId: route.name,
        summary: op.summary,
        ...(op.request ? { requestBody: { required: true, content: json(op.request) } } : {}),
        ...(op.bearer ? { security: [{ bearer: [] }] } : {}),
        ...(op.cookie ? { security: [{ refreshCookie: [] }] } : {}),
        parameters: [
          {
            name: 'Accept-Language',
            in: 'header',
            required: false,
            schema: { type: 'string', enum: ['fr', 'en'], default: 'fr' },
          },
        ],
        responses,
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'member-portal-auth',
      version: '1',
      description: 'Sign-in API of the member portal (espace adhérent).',
    },
    paths,
    components: {
      schemas: components(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        refreshCookie: { type: 'apiKey', in: 'cookie', name: '__Secure-mp_refresh' },
      },
    },
  };
}
