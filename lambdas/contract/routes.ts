import type { FunctionAccess } from './function-access.ts';

/**
 * The routes of the contract, each served by its own Lambda function, with what that function may
 * touch. The CDK stack (API, grants), the local HTTP adapter and the OpenAPI document all read this
 * one table.
 */
export interface Route {
  /** Function name and the handler file under lambdas/handlers/. */
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly access: FunctionAccess;
}

export const ROUTES = [
  {
    name: 'login',
    method: 'POST',
    path: '/v1/login',
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
  },
  {
    name: 'code-change',
    method: 'POST',
    path: '/v1/code/change',
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
  },
  {
    name: 'code-forgot',
    method: 'POST',
    path: '/v1/code/forgot',
    // A keyed hash, a count in its per-IP throttle window and a hand-off: the same cost whatever the branch.
    access: { table: { update: ['throttle'] }, hmacKeys: ['nir-lookup'], invokesWorker: true },
  },
  {
    name: 'code-reset',
    method: 'POST',
    path: '/v1/code/reset',
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
  },
  {
    name: 'device-verify',
    method: 'POST',
    path: '/v1/device/verify',
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
  },
  { name: 'terms-current', method: 'GET', path: '/v1/terms/current', access: { table: { read: ['terms'] } } },
  {
    name: 'terms-accept',
    method: 'POST',
    path: '/v1/terms/accept',
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
  },
  {
    name: 'session-refresh',
    method: 'POST',
    path: '/v1/session/refresh',
    access: {
      table: { read: ['session', 'member'], update: ['session'], put: ['audit'] },
      hmacKeys: ['refresh-token'],
      signingKeys: 'private',
    },
  },
  {
    name: 'session-logout',
    method: 'POST',
    path: '/v1/session/logout',
    access: { table: { read: ['session'], update: ['session'], put: ['audit'] } },
  },
  {
    name: 'me',
    method: 'GET',
    path: '/v1/me',
    access: { table: { read: ['session', 'member'] }, signingKeys: 'public' },
  },
  {
    name: 'me-sessions',
    method: 'GET',
    path: '/v1/me/sessions',
    access: { table: { read: ['session', 'member'], queryIndex: ['memberSessions'] }, signingKeys: 'public' },
  },
  {
    name: 'me-session-end',
    method: 'DELETE',
    path: '/v1/me/sessions/{id}',
    access: {
      table: { read: ['session', 'member'], queryIndex: ['memberSessions'], update: ['session'], put: ['audit'] },
      signingKeys: 'public',
    },
  },
  {
    name: 'me-sessions-revoke-others',
    method: 'POST',
    path: '/v1/me/sessions/revoke-others',
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
  },
  {
    name: 'me-devices',
    method: 'GET',
    path: '/v1/me/devices',
    access: { table: { read: ['session', 'member'], queryIndex: ['memberDevices'] }, signingKeys: 'public' },
  },
  {
    name: 'me-device-forget',
    method: 'DELETE',
    path: '/v1/me/devices/{id}',
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
  },
  {
    name: 'passkey-register-options',
    method: 'POST',
    path: '/v1/passkeys/register/options',
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
  },
  {
    name: 'passkey-register',
    method: 'POST',
    path: '/v1/passkeys/register',
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
  },
  {
    name: 'passkey-authenticate-options',
    method: 'POST',
    path: '/v1/passkeys/authenticate/options',
    // Its per-IP count (THROTTLE#PASSKEY_IP…); the challenge is MAC'd, not stored (issue 19, N7).
    access: { table: { update: ['throttle'] }, hmacKeys: ['passkey-challenge'] },
  },
  {
    name: 'passkey-authenticate',
    method: 'POST',
    path: '/v1/passkeys/authenticate',
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
  },
  {
    name: 'passkeys',
    method: 'GET',
    path: '/v1/passkeys',
    access: { table: { read: ['session', 'member'], queryIndex: ['memberPasskeys'] }, signingKeys: 'public' },
  },
  {
    name: 'passkey-rename',
    method: 'POST',
    path: '/v1/passkeys/{id}/name',
    access: {
      table: { read: ['session', 'member'], queryIndex: ['memberPasskeys'], update: ['passkey'], put: ['audit'] },
      signingKeys: 'public',
    },
  },
  {
    name: 'passkey-delete',
    method: 'DELETE',
    path: '/v1/passkeys/{id}',
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
  },
  {
    name: 'passkey-code-sign-in',
    method: 'POST',
    path: '/v1/passkeys/code-sign-in',
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
  },
  { name: 'jwks', method: 'GET', path: '/.well-known/jwks.json', access: { signingKeys: 'public' } },
  { name: 'openid-configuration', method: 'GET', path: '/.well-known/openid-configuration', access: {} },
  { name: 'health', method: 'GET', path: '/v1/health', access: {} },
  { name: 'openapi', method: 'GET', path: '/v1/openapi.json', access: {} },
] as const satisfies readonly Route[];

export type RouteName = (typeof ROUTES)[number]['name'] | 'not-found';

/** Serves any path or method not above (`/{proxy+}` in API Gateway). */
export const NOT_FOUND_ROUTE = { name: 'not-found', method: 'ANY', path: '/{proxy+}', access: {} } as const;

/** Functions that are not behind a route: the account worker (async) and the letter batch (scheduled). */
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
} as const satisfies Record<string, FunctionAccess>;

export type BackgroundFunctionName = keyof typeof BACKGROUND_FUNCTIONS;
export type FunctionName = RouteName | BackgroundFunctionName;

export const handlerEntry = (name: FunctionName): string => `lambdas/handlers/${name}.ts`;

export function accessOf(name: FunctionName): FunctionAccess {
  if (name in BACKGROUND_FUNCTIONS) return BACKGROUND_FUNCTIONS[name as BackgroundFunctionName];
  return name === NOT_FOUND_ROUTE.name ? NOT_FOUND_ROUTE.access : ROUTES.find((r) => r.name === name)!.access;
}

/** One `{name}` segment matches one non-empty path segment, as API Gateway's resources do. */
const SEGMENT = /^\{(\w+)\}$/;

function matches(template: string, path: string): boolean {
  const want = template.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((part, i) => (SEGMENT.test(part) ? got[i] !== '' : part === got[i]));
}

/** A segment as sent when it is not valid percent-encoding (`%.`): an id that matches nothing, not a crash. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The `{name}` segments of `path` under `template` (null when it has none, as in API Gateway's events). */
export function pathParametersOf(template: string, path: string): Record<string, string> | null {
  const want = template.split('/');
  const got = path.split('/');
  const parameters: Record<string, string> = {};
  want.forEach((part, i) => {
    const name = SEGMENT.exec(part)?.[1];
    if (name && got[i] !== undefined) parameters[name] = decodeSegment(got[i]!);
  });
  return Object.keys(parameters).length ? parameters : null;
}

/** A path's route: a literal path first, then a template (API Gateway prefers the literal resource too). */
export function findRoute(method: string, path: string): { name: RouteName; resource: string } {
  const allowed = (r: Route) => r.method === method || method === 'OPTIONS';
  const route =
    ROUTES.find((r) => r.path === path && allowed(r)) ??
    ROUTES.find((r) => r.path.includes('{') && matches(r.path, path) && allowed(r));
  return route
    ? { name: route.name, resource: route.path }
    : { name: NOT_FOUND_ROUTE.name, resource: NOT_FOUND_ROUTE.path };
}
