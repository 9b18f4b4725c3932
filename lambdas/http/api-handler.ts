import { randomUUID } from 'node:crypto';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import {
  AppError,
  MalformedRequestError,
  OriginNotAllowedError,
  PayloadTooLargeError,
  TooManyAttemptsError,
  UnsupportedMediaTypeError,
} from '../domain/errors.ts';
import { logger } from '../runtime/logger.ts';
import { parseCookies } from './cookies.ts';
import { type Language, message, negotiateLanguage } from './messages.ts';

export const MAX_BODY_BYTES = 16 * 1024;

export interface ApiRequest<TBody> {
  readonly body: TBody;
  readonly requestId: string;
  readonly language: Language;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly cookies: Readonly<Record<string, string>>;
  header(name: string): string | undefined;
}

export interface ApiResult {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly cookies?: readonly string[];
}

export interface ApiOptions<TSchema extends z.ZodMiniType | undefined> {
  /** Validates the JSON body; omit for routes without one. */
  readonly body?: TSchema;
  /** Origins allowed by CORS (the portal's). */
  readonly allowedOrigins: readonly string[];
}

type Body<TSchema> = TSchema extends z.ZodMiniType ? z.output<TSchema> : undefined;

const SECURITY_HEADERS: Record<string, string> = {
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

function cookieHeaders(event: APIGatewayProxyEvent): string[] {
  for (const [key, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === 'cookie' && values) return values;
  }
  const single = headerOf(event, 'cookie');
  return single ? [single] : [];
}

function rawBody(event: APIGatewayProxyEvent): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/**
 * A browser always says where a cross-site request comes from: a state-changing request carrying
 * an `Origin` that is not the portal's is refused (login CSRF, attempts spread over the browsers of
 * another site's visitors). Requests without `Origin` (curl, servers) are not browsers' and pass.
 */
function assertOriginAllowed(event: APIGatewayProxyEvent, allowedOrigins: readonly string[]): void {
  const origin = headerOf(event, 'origin');
  if (STATE_CHANGING.has(event.httpMethod) && origin !== undefined && !allowedOrigins.includes(origin)) {
    throw new OriginNotAllowedError('origin not allowed');
  }
}

function parseBody<TSchema extends z.ZodMiniType | undefined>(
  event: APIGatewayProxyEvent,
  schema: TSchema,
): Body<TSchema> {
  const bytes = rawBody(event);
  if (bytes.length > MAX_BODY_BYTES) throw new PayloadTooLargeError();
  // A form of another site posts text/plain without a CORS preflight: JSON must say it is JSON.
  if (bytes.length > 0 && !JSON_MEDIA_TYPE.test(headerOf(event, 'content-type') ?? ''))
    throw new UnsupportedMediaTypeError();
  if (!schema) return undefined as Body<TSchema>;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new MalformedRequestError('body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const fields = Object.fromEntries(
      parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.code.toUpperCase()]),
    );
    throw new MalformedRequestError('body does not match the schema', { fields });
  }
  return parsed.data as Body<TSchema>;
}

function corsHeaders(event: APIGatewayProxyEvent, allowedOrigins: readonly string[]): Record<string, string> {
  const origin = headerOf(event, 'origin');
  if (!origin || !allowedOrigins.includes(origin)) return { Vary: 'Origin' };
  return {
    Vary: 'Origin',
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': 'x-request-id, Retry-After',
  };
}

interface Internal extends Record<string, unknown> {
  requestId: string;
  language: Language;
  startedAt: number;
}

type Request = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, Internal>;

function toProxyResult(request: Request, result: ApiResult, allowedOrigins: readonly string[]): APIGatewayProxyResult {
  const { requestId } = request.internal;
  const hasBody = result.body !== undefined;
  return {
    statusCode: result.statusCode,
    headers: {
      ...SECURITY_HEADERS,
      ...corsHeaders(request.event, allowedOrigins),
      ...(hasBody ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
      ...result.headers,
      'x-request-id': requestId,
    },
    multiValueHeaders: result.cookies?.length ? { 'Set-Cookie': [...result.cookies] } : {},
    body: hasBody ? JSON.stringify(result.body) : '',
  };
}

function errorResult(error: unknown, request: Request): ApiResult {
  const { language, requestId } = request.internal;
  if (error instanceof AppError) {
    return {
      statusCode: error.statusCode,
      headers: error instanceof TooManyAttemptsError ? { 'Retry-After': String(error.retryAfterSeconds) } : {},
      body: {
        error: {
          code: error.code,
          message: message(error.code, language),
          ...(error.fields ? { fields: error.fields } : {}),
        },
      },
    };
  }
  // The detail goes to the logs only; the body carries the request id and nothing else.
  logger.error('unhandled error', {
    requestId,
    errorName: error instanceof Error ? error.name : typeof error,
    errorMessage: error instanceof Error ? error.message : undefined,
  });
  return { statusCode: 500, body: { error: { code: 'INTERNAL', message: message('INTERNAL', language), requestId } } };
}

/** Parsed once in `before`, read by the handler: what a route sees of its request. */
const parsedRequests = new WeakMap<APIGatewayProxyEvent, ApiRequest<unknown>>();

/** One middleware for every route: request id, size limit, JSON + schema, CORS, headers, errors, access log. */
function httpApi(
  options: ApiOptions<z.ZodMiniType | undefined>,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, Internal> {
  const allowedOrigins = [...options.allowedOrigins];
  const finish = (request: Request, result: ApiResult) => {
    request.response = toProxyResult(request, result, allowedOrigins);
    const body = result.body as { error?: { code?: string } } | undefined;
    logger.info('request', {
      requestId: request.internal.requestId,
      method: request.event.httpMethod,
      route: request.event.resource,
      status: result.statusCode,
      errorCode: body?.error?.code,
      durationMs: Math.round(performance.now() - request.internal.startedAt),
    });
  };
  return {
    name: 'httpApi',
    before: (request) => {
      const { event } = request;
      request.internal.startedAt = performance.now();
      request.internal.requestId = event.requestContext?.requestId || randomUUID();
      request.internal.language = negotiateLanguage(headerOf(event, 'accept-language'));
      if (event.httpMethod === 'OPTIONS') {
        finish(request, PREFLIGHT);
        return request.response;
      }
      assertOriginAllowed(event, allowedOrigins);
      parsedRequests.set(event, {
        body: parseBody(event, options.body),
        requestId: request.internal.requestId,
        language: request.internal.language,
        sourceIp: event.requestContext?.identity?.sourceIp ?? 'unknown',
        userAgent: headerOf(event, 'user-agent') ?? '',
        cookies: parseCookies(cookieHeaders(event)),
        header: (name) => headerOf(event, name),
      });
      return undefined;
    },
    after: (request) => {
      finish(request, request.response as unknown as ApiResult);
    },
    onError: (request) => {
      finish(request, errorResult(request.error, request));
      return request.response;
    },
  };
}

const PREFLIGHT: ApiResult = {
  statusCode: 204,
  headers: {
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Authorization, Accept-Language',
    'Access-Control-Max-Age': '600',
  },
};

/** A Lambda handler for one route: `handle` gets the validated request and returns status, body, cookies. */
export function apiHandler<TSchema extends z.ZodMiniType | undefined = undefined>(
  options: ApiOptions<TSchema>,
  handle: (request: ApiRequest<Body<TSchema>>) => Promise<ApiResult>,
) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, Internal>()
    .use(httpApi(options))
    .handler(async (event) => {
      const request = parsedRequests.get(event) as ApiRequest<Body<TSchema>>;
      return (await handle(request)) as unknown as APIGatewayProxyResult;
    });
}
