/**
 * The routes of the contract, each served by its own Lambda function. The CDK stack, the local
 * HTTP adapter and the OpenAPI document all read this one table.
 */
export interface Route {
  /** Function name and the handler file under lambdas/handlers/. */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
}

export const ROUTES = [
  { name: 'login', method: 'POST', path: '/v1/login' },
  { name: 'code-change', method: 'POST', path: '/v1/code/change' },
  { name: 'code-forgot', method: 'POST', path: '/v1/code/forgot' },
  { name: 'code-reset', method: 'POST', path: '/v1/code/reset' },
  { name: 'terms-current', method: 'GET', path: '/v1/terms/current' },
  { name: 'terms-accept', method: 'POST', path: '/v1/terms/accept' },
  { name: 'session-refresh', method: 'POST', path: '/v1/session/refresh' },
  { name: 'session-logout', method: 'POST', path: '/v1/session/logout' },
  { name: 'me', method: 'GET', path: '/v1/me' },
  { name: 'jwks', method: 'GET', path: '/.well-known/jwks.json' },
  { name: 'health', method: 'GET', path: '/v1/health' },
  { name: 'openapi', method: 'GET', path: '/v1/openapi.json' },
] as const satisfies readonly Route[];

export type RouteName = (typeof ROUTES)[number]['name'] | 'not-found';

/** Serves any path or method not above (`/{proxy+}` in API Gateway). */
export const NOT_FOUND_ROUTE = { name: 'not-found', method: 'ANY', path: '/{proxy+}' } as const;

/** Functions that are not behind a route: the account worker (async) and the letter batch (scheduled). */
export type BackgroundFunctionName = 'account-worker' | 'letters-export';

export const handlerEntry = (name: RouteName | BackgroundFunctionName): string => `lambdas/handlers/${name}.ts`;

export function findRoute(method: string, path: string): { name: RouteName; resource: string } {
  const route = ROUTES.find((r) => r.path === path && (r.method === method || method === 'OPTIONS'));
  return route ? { name: route.name, resource: route.path } : { name: NOT_FOUND_ROUTE.name, resource: NOT_FOUND_ROUTE.path };
}
