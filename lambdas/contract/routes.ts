import type * as z from 'zod/mini';
import type { ResponseSchemaName } from './api-schemas.ts';
import * as S from './api-schemas.ts';
import type { FunctionAccess } from './function-access.ts';

/**
 * Who may call a route: anyone (`none`), a signed-in member with a bearer access token (`member`:
 * the handler gets the authenticated member and session), or the holder of the refresh cookie.
 */
type RouteAuth = 'none' | 'member' | 'refresh-cookie';

/**
 * One route of the contract, declared once: its function (name, handler file), its place in the API,
 * who may call it, what it takes and answers, and what its function may touch. The CDK stack (API,
 * grants), the handler's middleware chain, the local HTTP adapter and the OpenAPI document all read
 * these declarations; nothing else describes a route.
 */
export interface Route {
  /** Function name and the handler file under lambdas/handlers/. */
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly auth: RouteAuth;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  /** The JSON body, validated before the handler runs; none for routes without one. */
  readonly request?: z.ZodMiniType;
  /**
   * The success status and its body's schema, named (a component of the OpenAPI document): handlers do
   * not validate what they send, and a name keeps the schema out of the bundles of those that need none.
   */
  readonly ok: { readonly status: number; readonly schema?: ResponseSchemaName };
  /** Error statuses this route answers with, beyond those every route may (origin, body, 5xx). */
  readonly errors: readonly number[];
  /** Its success sets (or clears) the refresh cookie. */
  readonly setsCookie?: boolean;
  /** Public data, cacheable 5 minutes. */
  readonly cacheable?: boolean;
  /** The path's `{id}`, described. */
  readonly pathId?: string;
  readonly access: FunctionAccess;
}

export const login = {
  name: 'login',
  method: 'POST',
  path: '/v1/login',
  auth: 'none',
  summary: 'Sign in with NIR and 6-digit code',
  request: S.LoginRequest,
  ok: { status: 200, schema: 'LoginResponse' },
  errors: [400, 401, 403, 429],
  setsCookie: true,
  access: {
    table: {
      // The presented device (DEVICE#) and its counter (ATTEMPTS#device:…) are read with the member.
      read: ['member', 'attempts', 'throttle', 'terms', 'device'],
      // DEVICE#: the browser of a member without email (or of a stage without verification) is remembered.
      put: ['attempts', 'audit', 'session', 'challenge', 'device'],
      update: ['throttle', 'member', 'device'],
      memberWrites: ['hashUpgrade'],
      conditionCheck: ['member'],
    },
    hmacKeys: ['nir-lookup', 'code-pepper'],
    derivesCodeHashes: true,
    signingKeys: 'private',
    // The new-device code.
    mail: true,
    // A lock that starts hands its notice to the worker (for a member or not: the same work).
    invokesWorker: true,
  },
} as const satisfies Route;

export const codeChange = {
  name: 'code-change',
  method: 'POST',
  path: '/v1/code/change',
  auth: 'none',
  summary: 'Personalise or change the code',
  request: S.CodeChangeRequest,
  ok: { status: 200, schema: 'CodeChangedResponse' },
  errors: [400, 401, 403, 429],
  access: {
    table: {
      read: ['member', 'attempts', 'throttle', 'device'],
      put: ['attempts', 'audit', 'device'],
      update: ['throttle', 'member'],
      memberWrites: ['code'],
      // The member's devices, forgotten with the former code; a letter's code removes every passkey.
      queryIndex: ['memberDevices', 'memberPasskeys'],
      delete: ['device', 'passkey'],
    },
    hmacKeys: ['nir-lookup', 'code-pepper'],
    derivesCodeHashes: true,
    mail: true,
    invokesWorker: true,
  },
} as const satisfies Route;

export const meCode = {
  name: 'me-code',
  method: 'POST',
  path: '/v1/me/code',
  auth: 'member',
  summary:
    'Change the code while signed in: the other sessions end and the other trusted devices are forgotten; this session and its device stay',
  request: S.MeCodeChangeRequest,
  ok: { status: 200, schema: 'CodeChangedResponse' },
  errors: [400, 401, 403, 429],
  access: {
    table: {
      // The code is checked and counted as a sign-in's (the member, the counters, the presented device).
      read: ['session', 'member', 'attempts', 'throttle', 'device'],
      put: ['attempts', 'audit'],
      // The calling session and device are bound to the new code; the others end.
      update: ['throttle', 'member', 'session', 'device'],
      memberWrites: ['code'],
      queryIndex: ['memberSessions', 'memberDevices'],
      delete: ['device'],
    },
    hmacKeys: ['code-pepper'],
    derivesCodeHashes: true,
    signingKeys: 'public',
    mail: true,
    // A lock that starts hands its notice to the worker, as after a sign-in.
    invokesWorker: true,
  },
} as const satisfies Route;

export const codeForgot = {
  name: 'code-forgot',
  method: 'POST',
  path: '/v1/code/forgot',
  auth: 'none',
  summary: 'Forgotten code: a reset mail, or a letter, for a member (same answer for all)',
  request: S.CodeForgotRequest,
  ok: { status: 202, schema: 'RequestAcceptedResponse' },
  errors: [400, 429],
  // A keyed hash, a count in its per-IP throttle window and a hand-off: the same cost whatever the branch.
  access: { table: { update: ['throttle'] }, hmacKeys: ['nir-lookup'], invokesWorker: true },
} as const satisfies Route;

export const codeReset = {
  name: 'code-reset',
  method: 'POST',
  path: '/v1/code/reset',
  auth: 'none',
  summary: 'Set a new code from the emailed link, with the member’s NIR',
  request: S.CodeResetRequest,
  ok: { status: 200, schema: 'CodeChangedResponse' },
  errors: [400],
  access: {
    table: {
      read: ['member', 'attempts'],
      // DEVICE#: the browser that used the link, when the member asks to trust it.
      put: ['attempts', 'audit', 'device'],
      update: ['resetLink', 'member'],
      memberWrites: ['code'],
      // Every device and every passkey of the member: an intruder's foothold does not survive recovery.
      delete: ['resetLink', 'device', 'passkey'],
      queryIndex: ['memberDevices', 'memberPasskeys'],
    },
    hmacKeys: ['nir-lookup', 'code-pepper'],
    derivesCodeHashes: true,
    mail: true,
  },
} as const satisfies Route;

export const resetLinkCheck = {
  name: 'reset-link-check',
  method: 'POST',
  path: '/v1/code/reset/check',
  auth: 'none',
  summary: 'Whether an emailed reset link still works, without spending or counting it',
  request: S.ResetLinkCheckRequest,
  ok: { status: 200, schema: 'ResetLinkValidResponse' },
  errors: [400],
  access: { table: { read: ['resetLink', 'member'] } },
} as const satisfies Route;

export const deviceVerify = {
  name: 'device-verify',
  method: 'POST',
  path: '/v1/device/verify',
  auth: 'none',
  summary: 'New-device verification: the mailed code continues the sign-in (terms, then tokens)',
  request: S.DeviceVerifyRequest,
  ok: { status: 200, schema: 'DeviceVerifyResponse' },
  errors: [400, 401, 403],
  setsCookie: true,
  access: {
    table: {
      read: ['member', 'terms'],
      // The device challenge (CHALLENGE#…/DEVICE) is counted, then spent; a terms challenge may follow.
      update: ['challenge'],
      delete: ['challenge'],
      put: ['challenge', 'device', 'audit', 'session'],
      conditionCheck: ['member'],
    },
    hmacKeys: ['code-pepper'],
    signingKeys: 'private',
    mail: true,
  },
} as const satisfies Route;

export const deviceResend = {
  name: 'device-resend',
  method: 'POST',
  path: '/v1/device/resend',
  auth: 'none',
  summary: 'New-device verification: mail a new code for the same challenge (« Renvoyer le code »)',
  request: S.DeviceResendRequest,
  ok: { status: 200, schema: 'DeviceCodeSentResponse' },
  errors: [400, 401, 429],
  access: {
    table: {
      read: ['member', 'attempts'],
      // The challenge takes the new code's hash; the member's count of mailed codes takes one more.
      update: ['challenge'],
      put: ['attempts', 'audit'],
    },
    hmacKeys: ['code-pepper'],
    mail: true,
  },
} as const satisfies Route;

export const termsCurrent = {
  name: 'terms-current',
  method: 'GET',
  path: '/v1/terms/current',
  auth: 'none',
  summary: 'Current terms of use',
  ok: { status: 200, schema: 'CurrentTermsResponse' },
  errors: [404],
  access: { table: { read: ['terms'] } },
} as const satisfies Route;

export const termsAccept = {
  name: 'terms-accept',
  method: 'POST',
  path: '/v1/terms/accept',
  auth: 'none',
  summary: 'Accept the current terms and open a session',
  request: S.TermsAcceptRequest,
  ok: { status: 200, schema: 'Authenticated' },
  errors: [400, 401, 409],
  setsCookie: true,
  access: {
    table: {
      read: ['challenge', 'terms', 'member'],
      delete: ['challenge'],
      // The acceptance proof sits in the member's partition.
      put: ['member', 'audit', 'session'],
      update: ['member'],
      memberWrites: ['terms'],
      conditionCheck: ['member'],
    },
    signingKeys: 'private',
  },
} as const satisfies Route;

export const sessionRefresh = {
  name: 'session-refresh',
  method: 'POST',
  path: '/v1/session/refresh',
  auth: 'refresh-cookie',
  summary: 'Rotate the refresh cookie and get a new access token (the same answer again within 10 s)',
  ok: { status: 200, schema: 'Authenticated' },
  errors: [401],
  setsCookie: true,
  access: {
    table: { read: ['session', 'member'], update: ['session'], put: ['audit'] },
    hmacKeys: ['refresh-token'],
    signingKeys: 'private',
  },
} as const satisfies Route;

export const sessionLogout = {
  name: 'session-logout',
  method: 'POST',
  path: '/v1/session/logout',
  auth: 'refresh-cookie',
  summary: 'End the session',
  ok: { status: 204 },
  errors: [],
  setsCookie: true,
  access: { table: { read: ['session'], update: ['session'], put: ['audit'] } },
} as const satisfies Route;

export const me = {
  name: 'me',
  method: 'GET',
  path: '/v1/me',
  auth: 'member',
  summary: 'The signed-in member',
  ok: { status: 200, schema: 'MeResponse' },
  errors: [401],
  access: { table: { read: ['session', 'member'] }, signingKeys: 'public' },
} as const satisfies Route;

export const meSessions = {
  name: 'me-sessions',
  method: 'GET',
  path: '/v1/me/sessions',
  auth: 'member',
  summary: 'The member’s active sessions, newest first',
  ok: { status: 200, schema: 'SessionsResponse' },
  errors: [401],
  access: { table: { read: ['session', 'member'], queryIndex: ['memberSessions'] }, signingKeys: 'public' },
} as const satisfies Route;

export const meSessionEnd = {
  name: 'me-session-end',
  method: 'DELETE',
  path: '/v1/me/sessions/{id}',
  auth: 'member',
  summary: 'End one of the member’s sessions at once',
  ok: { status: 204 },
  errors: [401, 404],
  pathId: 'The session’s id, from GET /v1/me/sessions.',
  access: {
    table: { read: ['session', 'member'], queryIndex: ['memberSessions'], update: ['session'], put: ['audit'] },
    signingKeys: 'public',
  },
} as const satisfies Route;

export const meSessionsRevokeOthers = {
  name: 'me-sessions-revoke-others',
  method: 'POST',
  path: '/v1/me/sessions/revoke-others',
  auth: 'member',
  summary: 'End every session of the member but this one, and forget every other trusted device',
  ok: { status: 204 },
  errors: [401],
  access: {
    // The other trusted devices are forgotten with the other sessions.
    table: {
      read: ['session', 'member'],
      queryIndex: ['memberSessions', 'memberDevices'],
      update: ['session'],
      delete: ['device'],
      put: ['audit'],
    },
    signingKeys: 'public',
  },
} as const satisfies Route;

export const meDevices = {
  name: 'me-devices',
  method: 'GET',
  path: '/v1/me/devices',
  auth: 'member',
  summary: 'The member’s trusted devices, newest first',
  ok: { status: 200, schema: 'DevicesResponse' },
  errors: [401],
  access: { table: { read: ['session', 'member'], queryIndex: ['memberDevices'] }, signingKeys: 'public' },
} as const satisfies Route;

export const meDeviceForget = {
  name: 'me-device-forget',
  method: 'DELETE',
  path: '/v1/me/devices/{id}',
  auth: 'member',
  summary: 'Forget a trusted device: it must verify again, and the sessions opened from it end',
  ok: { status: 204 },
  errors: [401, 404],
  pathId: 'The device’s id, from GET /v1/me/devices.',
  access: {
    // The sessions opened from the device end with it.
    table: {
      read: ['session', 'member'],
      queryIndex: ['memberDevices', 'memberSessions'],
      delete: ['device'],
      update: ['session'],
      put: ['audit'],
    },
    signingKeys: 'public',
  },
} as const satisfies Route;

export const passkeyRegisterOptions = {
  name: 'passkey-register-options',
  method: 'POST',
  path: '/v1/passkeys/register/options',
  auth: 'member',
  summary: 'Passkey enrolment, step 1: creation options (sign-in within 5 minutes)',
  ok: { status: 200, schema: 'WebAuthnOptions' },
  errors: [401, 403],
  access: {
    table: {
      read: ['session', 'member'],
      queryIndex: ['memberPasskeys'],
      // The user handle, set once on the member.
      update: ['member'],
      memberWrites: ['passkeyHandle'],
      put: ['challenge'],
    },
    signingKeys: 'public',
  },
} as const satisfies Route;

export const passkeyRegister = {
  name: 'passkey-register',
  method: 'POST',
  path: '/v1/passkeys/register',
  auth: 'member',
  summary: 'Passkey enrolment, step 2: the authenticator’s response; a notice is mailed',
  request: S.PasskeyRegisterRequest,
  ok: { status: 201, schema: 'PasskeyResponse' },
  errors: [400, 401, 403],
  access: {
    table: {
      read: ['session', 'member'],
      update: ['member'],
      memberWrites: ['passkeyHandle'],
      delete: ['challenge'],
      put: ['passkey', 'audit'],
    },
    signingKeys: 'public',
    mail: true,
  },
} as const satisfies Route;

export const passkeyAuthenticateOptions = {
  name: 'passkey-authenticate-options',
  method: 'POST',
  path: '/v1/passkeys/authenticate/options',
  auth: 'none',
  summary: 'Passkey sign-in, step 1: request options (discoverable: no NIR needed; limited per source IP)',
  ok: { status: 200, schema: 'WebAuthnOptions' },
  errors: [429],
  // Its per-IP count (THROTTLE#PASSKEY_IP…); the challenge is MAC'd, not stored (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do").
  access: { table: { update: ['throttle'] }, hmacKeys: ['passkey-challenge'] },
} as const satisfies Route;

export const passkeyAuthenticate = {
  name: 'passkey-authenticate',
  method: 'POST',
  path: '/v1/passkeys/authenticate',
  auth: 'none',
  summary:
    'Passkey sign-in, step 2: the assertion; then the terms or a session, as a code sign-in (and the device cookie)',
  request: S.PasskeyAuthenticateRequest,
  ok: { status: 200, schema: 'DeviceVerifyResponse' },
  errors: [400, 401, 403],
  setsCookie: true,
  access: {
    table: {
      read: ['passkey', 'member', 'terms', 'device'],
      update: ['passkey', 'device'],
      // CHALLENGE#…: the MAC'd challenge's single use, recorded when it is answered; a terms challenge may follow.
      put: ['audit', 'session', 'challenge', 'device'],
      conditionCheck: ['member'],
    },
    hmacKeys: ['passkey-challenge'],
    signingKeys: 'private',
    mail: true,
  },
} as const satisfies Route;

export const passkeys = {
  name: 'passkeys',
  method: 'GET',
  path: '/v1/passkeys',
  auth: 'member',
  summary: 'The member’s passkeys and whether code sign-in is on',
  ok: { status: 200, schema: 'PasskeysResponse' },
  errors: [401],
  access: { table: { read: ['session', 'member'], queryIndex: ['memberPasskeys'] }, signingKeys: 'public' },
} as const satisfies Route;

export const passkeyRename = {
  name: 'passkey-rename',
  method: 'POST',
  path: '/v1/passkeys/{id}/name',
  auth: 'member',
  summary: 'Rename a passkey',
  request: S.PasskeyRenameRequest,
  ok: { status: 204 },
  errors: [400, 401, 404],
  pathId: 'The passkey’s id, from GET /v1/passkeys.',
  access: {
    table: { read: ['session', 'member'], queryIndex: ['memberPasskeys'], update: ['passkey'], put: ['audit'] },
    signingKeys: 'public',
  },
} as const satisfies Route;

export const passkeyDelete = {
  name: 'passkey-delete',
  method: 'DELETE',
  path: '/v1/passkeys/{id}',
  auth: 'member',
  summary: 'Delete a passkey (sign-in within 5 minutes); the last one turns code sign-in back on',
  ok: { status: 204 },
  errors: [401, 403, 404],
  pathId: 'The passkey’s id, from GET /v1/passkeys.',
  access: {
    table: {
      read: ['session', 'member'],
      queryIndex: ['memberPasskeys'],
      delete: ['passkey'],
      update: ['member'],
      memberWrites: ['codeSignIn'],
      put: ['audit'],
    },
    signingKeys: 'public',
    mail: true,
  },
} as const satisfies Route;

export const passkeyCodeSignIn = {
  name: 'passkey-code-sign-in',
  method: 'POST',
  path: '/v1/passkeys/code-sign-in',
  auth: 'member',
  summary: '“Clé d’accès uniquement”: turn code sign-in off (with a passkey) or on (sign-in within 5 minutes)',
  request: S.CodeSignInRequest,
  ok: { status: 204 },
  errors: [400, 401, 403, 404],
  access: {
    table: {
      read: ['session', 'member'],
      queryIndex: ['memberPasskeys'],
      update: ['member'],
      memberWrites: ['codeSignIn'],
      put: ['audit'],
    },
    signingKeys: 'public',
  },
} as const satisfies Route;

export const jwks = {
  name: 'jwks',
  method: 'GET',
  path: '/.well-known/jwks.json',
  auth: 'none',
  summary: 'Public keys that verify access tokens',
  ok: { status: 200, schema: 'JwksResponse' },
  errors: [],
  cacheable: true,
  access: { signingKeys: 'public' },
} as const satisfies Route;

export const openidConfiguration = {
  name: 'openid-configuration',
  method: 'GET',
  path: '/.well-known/openid-configuration',
  auth: 'none',
  summary: 'Metadata of the token issuer (RFC 8414): issuer, jwks_uri, algorithms',
  ok: { status: 200, schema: 'OpenIdConfigurationResponse' },
  errors: [],
  cacheable: true,
  access: {},
} as const satisfies Route;

export const health = {
  name: 'health',
  method: 'GET',
  path: '/v1/health',
  auth: 'none',
  summary: 'Liveness',
  ok: { status: 200, schema: 'HealthResponse' },
  errors: [],
  access: {},
} as const satisfies Route;

export const openapi = {
  name: 'openapi',
  method: 'GET',
  path: '/v1/openapi.json',
  auth: 'none',
  summary: 'This document (OpenAPI 3.1)',
  ok: { status: 200 },
  errors: [],
  access: {},
} as const satisfies Route;

/**
 * The statuses a route may answer with beyond its declared `errors`: 5xx (500, and 503 when a
 * dependency does not answer), and for state changes another site's Origin (403) and a body of the
 * wrong size or media type (413, 415: checked even where none is expected); 400 where a body is taken.
 */
export function statusesOf(route: Route): number[] {
  const common = [500, 503, ...(route.method === 'GET' ? [] : [403, 413, 415]), ...(route.request ? [400] : [])];
  return [...new Set([...route.errors, ...common])].sort((a, b) => a - b);
}

/** Every route, in the order of the OpenAPI document. */
export const ROUTES = [
  login,
  codeChange,
  meCode,
  codeForgot,
  codeReset,
  resetLinkCheck,
  deviceVerify,
  deviceResend,
  termsCurrent,
  termsAccept,
  sessionRefresh,
  sessionLogout,
  me,
  meSessions,
  meSessionEnd,
  meSessionsRevokeOthers,
  meDevices,
  meDeviceForget,
  passkeyRegisterOptions,
  passkeyRegister,
  passkeyAuthenticateOptions,
  passkeyAuthenticate,
  passkeys,
  passkeyRename,
  passkeyDelete,
  passkeyCodeSignIn,
  jwks,
  openidConfiguration,
  health,
  openapi,
] as const satisfies readonly Route[];

export type RouteName = (typeof ROUTES)[number]['name'] | 'not-found';

/** Serves any path or method not above (`/{proxy+}` in API Gateway). */
export const NOT_FOUND_ROUTE = {
  name: 'not-found',
  method: 'ANY',
  path: '/{proxy+}',
  auth: 'none',
  access: {},
} as const;

/** Functions that are not behind a route: the account worker (async), the letter batch and the ends of access (scheduled). */
export const BACKGROUND_FUNCTIONS = {
  'account-worker': {
    table: {
      read: ['member'],
      put: ['resetLink', 'audit', 'letter'],
      update: ['member'],
      memberWrites: ['resetLink', 'lockNotice', 'letterRequest'],
      delete: ['resetLink'],
    },
    mail: true,
  },
  'letters-export': {
    table: {
      read: ['letter', 'member'],
      queryIndex: ['letterQueue'],
      update: ['letter', 'member'],
      memberWrites: ['letterExport', 'letterRequest'],
      put: ['audit'],
    },
    hmacKeys: ['code-pepper', 'letter-code'],
    derivesCodeHashes: true,
  },
  'access-ends': {
    table: {
      // The day's entries (group index), their member or client, then each deactivation and its audit entry.
      queryIndex: ['accessEnds', 'clientMembers'],
      read: ['member', 'client'],
      update: ['member', 'client'],
      memberWrites: ['deactivation'],
      put: ['audit'],
      delete: ['accessEnd'],
    },
  },
  // The member feed's worker (Step Functions Distributed Map): the import's row logic, for members and client companies.
  'member-feed-batch': {
    table: {
      read: ['member', 'client'],
      update: ['member', 'client'],
      memberWrites: ['import', 'deactivation'],
      put: ['audit', 'accessEnd'],
      queryIndex: ['clientMembers'],
    },
    hmacKeys: ['nir-lookup', 'code-pepper'],
    derivesCodeHashes: true,
  },
  // Adds up the batches into the file's report: S3 only (granted in lib/member-feed.ts).
  'member-feed-report': {},
} as const satisfies Record<string, FunctionAccess>;

type BackgroundFunctionName = keyof typeof BACKGROUND_FUNCTIONS;
export type FunctionName = RouteName | BackgroundFunctionName;

export const handlerEntry = (name: FunctionName): string => `lambdas/handlers/${name}.ts`;

export function accessOf(name: FunctionName): FunctionAccess {
  if (name in BACKGROUND_FUNCTIONS) return BACKGROUND_FUNCTIONS[name as BackgroundFunctionName];
  return name === NOT_FOUND_ROUTE.name ? NOT_FOUND_ROUTE.access : ROUTES.find((r) => r.name === name)!.access;
}
