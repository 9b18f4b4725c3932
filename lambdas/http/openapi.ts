import * as z from 'zod/mini';
import { ROUTES, type RouteName } from '../contract/routes.ts';
import * as S from './schemas.ts';

interface Operation {
  readonly summary: string;
  readonly request?: z.ZodMiniType;
  readonly ok: { readonly status: number; readonly schema?: z.ZodMiniType };
  /** Error statuses this route answers with, beyond those every route may (origin, body, 5xx). */
  readonly errors: readonly number[];
  readonly bearer?: boolean;
  /** Reads the refresh cookie. */
  readonly cookie?: boolean;
  /** Its success sets (or clears) the refresh cookie. */
  readonly setsCookie?: boolean;
  /** Public data, cacheable 5 minutes. */
  readonly cacheable?: boolean;
  /** The path's `{id}`, described. */
  readonly pathId?: string;
}

const OPERATIONS: Record<Exclude<RouteName, 'not-found'>, Operation> = {
  login: {
    summary: 'Sign in with NIR and 6-digit code',
    request: S.LoginRequest,
    ok: { status: 200, schema: S.LoginResponse },
    errors: [400, 401, 403, 429],
    setsCookie: true,
  },
  'code-change': {
    summary: 'Personalise or change the code',
    request: S.CodeChangeRequest,
    ok: { status: 200, schema: S.CodeChangedResponse },
    errors: [400, 401, 403, 429],
  },
  'code-forgot': {
    summary: 'Forgotten code: a reset mail, or a letter, for a member (same answer for all)',
    request: S.CodeForgotRequest,
    ok: { status: 202, schema: S.RequestAcceptedResponse },
    errors: [400, 429],
  },
  'code-reset': {
    summary: 'Set a new code from the emailed link, with the member’s NIR',
    request: S.CodeResetRequest,
    ok: { status: 200, schema: S.CodeChangedResponse },
    errors: [400],
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
    errors: [400, 401, 409],
    setsCookie: true,
  },
  'session-refresh': {
    summary: 'Rotate the refresh cookie and get a new access token (the same answer again within 10 s)',
    ok: { status: 200, schema: S.Authenticated },
    errors: [401],
    cookie: true,
    setsCookie: true,
  },
  'session-logout': { summary: 'End the session', ok: { status: 204 }, errors: [], cookie: true, setsCookie: true },
  'device-verify': {
    summary: 'New-device verification: the mailed code continues the sign-in (terms, then tokens)',
    request: S.DeviceVerifyRequest,
    ok: { status: 200, schema: S.DeviceVerifyResponse },
    errors: [400, 401, 403],
    setsCookie: true,
  },
  'me-sessions': {
    summary: 'The member’s active sessions, newest first',
    ok: { status: 200, schema: S.SessionsResponse },
    errors: [401],
    bearer: true,
  },
  'me-session-end': {
    summary: 'End one of the member’s sessions at once',
    ok: { status: 204 },
    errors: [401, 404],
    bearer: true,
    pathId: 'The session’s id, from GET /v1/me/sessions.',
  },
  'me-sessions-revoke-others': {
    summary: 'End every session of the member but this one, and forget every other trusted device',
    ok: { status: 204 },
    errors: [401],
    bearer: true,
  },
  'me-devices': {
    summary: 'The member’s trusted devices, newest first',
    ok: { status: 200, schema: S.DevicesResponse },
    errors: [401],
    bearer: true,
  },
  'me-device-forget': {
    summary: 'Forget a trusted device: it must verify again, and the sessions opened from it end',
    ok: { status: 204 },
    errors: [401, 404],
    bearer: true,
    pathId: 'The device’s id, from GET /v1/me/devices.',
  },
  'passkey-register-options': {
    summary: 'Passkey enrolment, step 1: creation options (sign-in within 5 minutes)',
    ok: { status: 200, schema: S.WebAuthnOptions },
    errors: [401, 403],
    bearer: true,
  },
  'passkey-register': {
    summary: 'Passkey enrolment, step 2: the authenticator’s response; a notice is mailed',
    request: S.PasskeyRegisterRequest,
    ok: { status: 201, schema: S.PasskeyResponse },
    errors: [400, 401, 403],
    bearer: true,
  },
  'passkey-authenticate-options': {
    summary: 'Passkey sign-in, step 1: request options (discoverable: no NIR needed; limited per source IP)',
    ok: { status: 200, schema: S.WebAuthnOptions },
    errors: [429],
  },
  'passkey-authenticate': {
    summary:
      'Passkey sign-in, step 2: the assertion; then the terms or a session, as a code sign-in (and the device cookie)',
    request: S.PasskeyAuthenticateRequest,
    ok: { status: 200, schema: S.DeviceVerifyResponse },
    errors: [400, 401, 403],
    setsCookie: true,
  },
  passkeys: {
    summary: 'The member’s passkeys and whether code sign-in is on',
    ok: { status: 200, schema: S.PasskeysResponse },
    errors: [401],
    bearer: true,
  },
  'passkey-rename': {
    summary: 'Rename a passkey',
    request: S.PasskeyRenameRequest,
    ok: { status: 204 },
    errors: [400, 401, 404],
    bearer: true,
    pathId: 'The passkey’s id, from GET /v1/passkeys.',
  },
  'passkey-delete': {
    summary: 'Delete a passkey (sign-in within 5 minutes); the last one turns code sign-in back on',
    ok: { status: 204 },
    errors: [401, 403, 404],
    bearer: true,
    pathId: 'The passkey’s id, from GET /v1/passkeys.',
  },
  'passkey-code-sign-in': {
    summary: '“Clé d’accès uniquement”: turn code sign-in off (with a passkey) or on (sign-in within 5 minutes)',
    request: S.CodeSignInRequest,
    ok: { status: 204 },
    errors: [400, 401, 403, 404],
    bearer: true,
  },
  me: { summary: 'The signed-in member', ok: { status: 200, schema: S.MeResponse }, errors: [401], bearer: true },
  jwks: {
    summary: 'Public keys that verify access tokens',
    ok: { status: 200, schema: S.JwksResponse },
    errors: [],
    cacheable: true,
  },
  'openid-configuration': {
    summary: 'Metadata of the token issuer (RFC 8414): issuer, jwks_uri, algorithms',
    ok: { status: 200, schema: S.OpenIdConfigurationResponse },
    errors: [],
    cacheable: true,
  },
  health: { summary: 'Liveness', ok: { status: 200, schema: S.HealthResponse }, errors: [] },
  openapi: { summary: 'This document (OpenAPI 3.1)', ok: { status: 200 }, errors: [] },
};

const REQUESTS = new Set<z.ZodMiniType>([
  S.LoginRequest,
  S.CodeChangeRequest,
  S.CodeForgotRequest,
  S.CodeResetRequest,
  S.TermsAcceptRequest,
  S.DeviceVerifyRequest,
  S.PasskeyRegisterRequest,
  S.PasskeyAuthenticateRequest,
  S.PasskeyRenameRequest,
  S.CodeSignInRequest,
]);

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

function responses(op: Operation, method: string): Record<string, unknown> {
  const ok: Record<string, unknown> = {
    description: 'Success',
    headers: {
      'x-request-id': header('RequestId'),
      ...(op.setsCookie ? { 'Set-Cookie': header('SetRefreshCookie') } : {}),
      ...(op.cacheable ? { 'Cache-Control': header('CacheControl') } : {}),
    },
    ...(op.ok.schema ? { content: json(op.ok.schema) } : {}),
  };
  const statuses = new Set([
    ...op.errors,
    500,
    503,
    ...(method === 'GET' ? [] : [403]), // another site's Origin
    ...(op.request ? [413, 415] : []), // the body's size and media type
  ]);
  const errors = Object.fromEntries(
    [...statuses]
      .sort((a, b) => a - b)
      .map((status) => [
        status,
        {
          description: 'Error, in the contract envelope',
          headers: {
            'x-request-id': header('RequestId'),
            ...(status === 429 || status === 503 ? { 'Retry-After': header('RetryAfter') } : {}),
            ...(status === 401 && op.bearer ? { 'WWW-Authenticate': header('WwwAuthenticate') } : {}),
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
    const op = OPERATIONS[route.name];
    paths[route.path] = {
      [route.method.toLowerCase()]: {
        operationId: route.name,
        summary: op.summary,
        ...(op.request ? { requestBody: { required: true, content: json(op.request) } } : {}),
        ...(op.bearer ? { security: [{ bearer: [] }] } : {}),
        ...(op.cookie ? { security: [{ refreshCookie: [] }] } : {}),
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
        responses: responses(op, route.method),
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
