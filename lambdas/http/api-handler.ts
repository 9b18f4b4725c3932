import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Route } from '../contract/routes.ts';
import { accessLog } from './middleware/access-log.ts';
import { apiRequest } from './middleware/api-request.ts';
import { cors } from './middleware/cors.ts';
import { errorEnvelope } from './middleware/error-envelope.ts';
import { jsonBody } from './middleware/json-body.ts';
import { memberAuthentication } from './middleware/member-authentication.ts';
import { originGuard } from './middleware/origin-guard.ts';
import { toProxyResult } from './middleware/proxy-result.ts';
import { requestContext } from './middleware/request-context.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import type {
  ApiContext,
  ApiInternal,
  ApiRequest,
  ApiResult,
  MemberApiRequest,
  MemberAuthenticator,
} from './middleware/types.ts';

export type { ApiResult, MemberAuthenticator };

/** http-api-v1.md, GET /.well-known/openid-configuration: public, and cacheable 5 minutes. */
const CACHEABLE_PUBLIC = { 'Cache-Control': 'public, max-age=300' } as const;

/** What a handler's middleware chain reads of its route's declaration (`contract/routes.ts`). */
export type HandlerDeclaration = Pick<Route, 'name' | 'auth' | 'request' | 'cacheable'>;

type Body<R> = R extends { readonly request: infer S extends z.ZodMiniType } ? z.output<S> : undefined;

/** What the route's code gets: the validated request, and on `member` routes the authenticated member. */
type RequestOf<R extends HandlerDeclaration> = R['auth'] extends 'member'
  ? MemberApiRequest<Body<R>>
  : ApiRequest<Body<R>>;

export type Handle<R extends HandlerDeclaration> = (request: RequestOf<R>) => Promise<ApiResult>;

/** A `member` route needs the session guard that checks its bearer token; the others take none. */
export type HandlerArguments<R extends HandlerDeclaration> = R['auth'] extends 'member'
  ? [guard: MemberAuthenticator, handle: Handle<R>]
  : [handle: Handle<R>];

/**
 * What the chain needs beyond the declaration: the origins it accepts, the path the API is served at
 * (for the cookies' scope), and for `member` routes the guard.
 */
export interface ChainOptions {
  readonly origins: readonly string[];
  readonly apiBasePath?: string;
  readonly guard?: MemberAuthenticator;
}

/**
 * The Lambda handler of one declared route: `handle` gets the validated request and returns status,
 * body, cookies. The chain is chosen by the declaration — its body schema, and for `member` routes
 * the bearer check, whose 401s say `WWW-Authenticate: Bearer`. The middlewares, one job each, run
 * `before` in this order and decorate the answer (after, or on error) in the reverse one: request id
 * and language, access log, security headers, CORS, the error envelope, the origin guard, the JSON
 * body, the member's authentication, the request view.
 */
export function apiChain<R extends HandlerDeclaration>(route: R, options: ChainOptions, handle: Handle<R>) {
  const { origins, apiBasePath, guard } = options;
  if ((route.auth === 'member') !== (guard !== undefined)) {
    throw new Error(`route ${route.name}: a session guard is given exactly to the routes declared auth: 'member'`);
  }
  const chain = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, ApiContext, ApiInternal>()
    .use(requestContext())
    .use(accessLog())
    .use(securityHeaders())
    .use(cors(origins))
    .use(errorEnvelope({ bearer: route.auth === 'member' }))
    .use(originGuard(origins))
    .use(jsonBody(route.request));
  if (guard) chain.use(memberAuthentication(guard));
  return chain.use(apiRequest()).handler(async (_event, context) => {
    if (context.preflight) return toProxyResult({ statusCode: 204 });
    if (!context.api) throw new Error('the apiRequest middleware did not run');
    const result = await handle(context.api as RequestOf<R>);
    // Public data, the same for everyone, as the declaration says: other services may cache its success.
    const cached = route.cacheable ? { headers: { ...result.headers, ...CACHEABLE_PUBLIC } } : {};
    return toProxyResult({ ...result, ...cached }, apiBasePath);
  });
}
