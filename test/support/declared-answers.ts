import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import * as S from '../../lambdas/contract/api-schemas.ts';
import { ROUTES, type Route, type RouteName, statusesOf } from '../../lambdas/contract/routes.ts';

/**
 * What a handler answered that its declaration in `contract/routes.ts` does not say: a success with
 * another status or a body its schema refuses, an error status it does not list. Null when they agree.
 */
export function undeclaredAnswer(
  name: RouteName,
  event: APIGatewayProxyEvent,
  result: APIGatewayProxyResult,
): string | null {
  const route: Route | undefined = ROUTES.find((r) => r.name === name);
  if (!route || event.httpMethod === 'OPTIONS') return null;
  const { statusCode: status } = result;
  const where = `${route.method} ${route.path} (${route.name})`;
  if (status < 400) {
    if (status !== route.ok.status) return `${where} answered ${status}; its declaration says ${route.ok.status}`;
    if (!route.ok.schema) return null;
    const parsed = z.safeParse(S.RESPONSES[route.ok.schema], JSON.parse(result.body));
    return parsed.success ? null : `${where} answered a body its declared schema refuses: ${parsed.error.message}`;
  }
  return statusesOf(route).includes(status) ? null : `${where} answered ${status}, which its declaration does not list`;
}
