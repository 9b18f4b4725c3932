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
        read: ['member', 'attempts', 'throttle', 'terms'],
        put: ['attempts', 'audit', 'session', 'challenge'],
        update: ['throttle', 'member'],
        conditionCheck: ['member'],
      },
      hmacKeys: ['nir-lookup', 'code-pepper'],
      signingKeys: 'private',
      // A lock that starts hands its notice to the worker (for a member or not: the same work).
      invokesWorker: true,
    },
  },
  {
    name: 'code-change',
    method: 'POST',
    path: '/v1/code/change',
    access: {
      table: { read: ['member', 'attempts', 'throttle'], put: ['attempts', 'audit'], update: ['throttle', 'member'] },
      hmacKeys: ['nir-lookup', 'code-pepper'],
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
        put: ['attempts', 'audit'],
        update: ['resetLink', 'member'],
        delete: ['resetLink'],
      },
      hmacKeys: ['nir-lookup', 'code-pepper'],
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
    table: { read: ['member'], put: ['resetLink', 'audit', 'letter'], update: ['member'], delete: ['resetLink'] },
    mail: true,
  },
  'letters-export': {
    table: { read: ['letter', 'member'], queryIndex: ['letterQueue'], update: ['letter', 'member'], put: ['audit'] },
    hmacKeys: ['code-pepper', 'letter-code'],
  },
} as const satisfies Record<string, FunctionAccess>;

export type BackgroundFunctionName = keyof typeof BACKGROUND_FUNCTIONS;
export type FunctionName = RouteName | BackgroundFunctionName;

export const handlerEntry = (name: FunctionName): string => `lambdas/handlers/${name}.ts`;

export function accessOf(name: FunctionName): FunctionAccess {
  if (name in BACKGROUND_FUNCTIONS) return BACKGROUND_FUNCTIONS[name as BackgroundFunctionName];
  return name === NOT_FOUND_ROUTE.name ? NOT_FOUND_ROUTE.access : ROUTES.find((r) => r.name === name)!.access;
}

export function findRoute(method: string, path: string): { name: RouteName; resource: string } {
  const route = ROUTES.find((r) => r.path === path && (r.method === method || method === 'OPTIONS'));
  return route
    ? { name: route.name, resource: route.path }
    : { name: NOT_FOUND_ROUTE.name, resource: NOT_FOUND_ROUTE.path };
}
