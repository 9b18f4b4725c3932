import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type * as z from 'zod/mini';
import { config } from '../runtime/config.ts';
import { accessLog } from './middleware/access-log.ts';
import { apiRequest } from './middleware/api-request.ts';
import { cors } from './middleware/cors.ts';
import { errorEnvelope } from './middleware/error-envelope.ts';
import { jsonBody } from './middleware/json-body.ts';
import { originGuard } from './middleware/origin-guard.ts';
import { toProxyResult } from './middleware/proxy-result.ts';
import { requestContext } from './middleware/request-context.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import type { ApiContext, ApiInternal, ApiRequest, ApiResult } from './middleware/types.ts';

export type { ApiRequest, ApiResult };

export interface ApiOptions<TSchema extends z.ZodMiniType | undefined> {
  /** Validates the JSON body; omit for routes without one. */
  readonly body?: TSchema;
  /** Origins allowed by CORS and for state changes. @default the configured portal origins */
  readonly allowedOrigins?: readonly string[];
  /** A route that takes a bearer token: its 401s say `WWW-Authenticate: Bearer`. @default false */
  readonly bearer?: boolean;
}

type Body<TSchema> = TSchema extends z.ZodMiniType ? z.output<TSchema> : undefined;

/**
 * A Lambda handler for one route: `handle` gets the validated request and returns status, body,
 * cookies. The middlewares, one job each, run `before` in this order and decorate the answer
 * (after, or on error) in the reverse one: request id and language, access log, security headers,
 * CORS, the error envelope, the origin guard, the JSON body, the request view.
 */
export function apiHandler<TSchema extends z.ZodMiniType | undefined = undefined>(
  options: ApiOptions<TSchema>,
  handle: (request: ApiRequest<Body<TSchema>>) => Promise<ApiResult>,
) {
  const origins = options.allowedOrigins ?? config().portalOrigins;
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, ApiContext, ApiInternal>()
    .use(requestContext())
    .use(accessLog())
    .use(securityHeaders())
    .use(cors(origins))
    .use(errorEnvelope({ bearer: options.bearer === true }))
    .use(originGuard(origins))
    .use(jsonBody(options.body))
    .use(apiRequest())
    .handler(async (_event, context) => {
      if (context.preflight) return toProxyResult({ statusCode: 204 });
      if (!context.api) throw new Error('the apiRequest middleware did not run');
      return toProxyResult(await handle(context.api as ApiRequest<Body<TSchema>>));
    });
}
