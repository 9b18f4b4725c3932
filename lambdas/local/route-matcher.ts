import { NOT_FOUND_ROUTE, ROUTES, type Route, type RouteName } from '../contract/routes.ts';

// Which declared route serves a request, as API Gateway decides it: for the local HTTP adapter and the
// tests, which stand in for API Gateway.

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
