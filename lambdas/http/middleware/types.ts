import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Language } from '../../domain/language.ts';
import type { Member } from '../../domain/member.ts';
import type { SessionRecord } from '../../domain/sessions.ts';
import type { SetCookie } from '../cookies.ts';

/** The signed-in member a `member` route acts for, and the session its access token belongs to. */
interface MemberPrincipal {
  readonly member: Member;
  readonly session: SessionRecord;
}

/** What checks a bearer access token: the session guard. */
export interface MemberAuthenticator {
  authenticate(authorization: string | undefined): Promise<MemberPrincipal>;
}

/** What a route sees of its request (built once, by the last middleware before the handler). */
export interface ApiRequest<TBody> {
  readonly body: TBody;
  readonly requestId: string;
  readonly language: Language;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly cookies: Readonly<Record<string, string>>;
  /** The `{name}` segments of the route's path. */
  readonly pathParameters: Readonly<Record<string, string | undefined>>;
  header(name: string): string | undefined;
}

/** The request of a route declared `auth: 'member'`: the member its access token was checked for. */
export interface MemberApiRequest<TBody> extends ApiRequest<TBody> {
  readonly principal: MemberPrincipal;
}

/** What a route answers; turned into the API Gateway result by `toProxyResult`. */
export interface ApiResult {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cookies?: readonly SetCookie[];
}

/** State the middlewares share, in middy's `request.internal`. */
export interface ApiInternal extends Record<string, unknown> {
  requestId: string;
  language: Language;
  startedAt: number;
  /** A CORS preflight: answered without running the route. */
  preflight: boolean;
  /** The validated JSON body (undefined for routes without one). */
  body: unknown;
  /** The authenticated member, on the routes declared `auth: 'member'`. */
  principal?: MemberPrincipal;
  /** The contract code of an error answer, for the access log. */
  errorCode?: string;
}

/** middy's idiom for what the handler reads: set on the context by the `apiRequest` middleware. */
export interface ApiContext extends Context {
  api?: ApiRequest<unknown> | MemberApiRequest<unknown>;
  /** A CORS preflight: the route is not run. */
  preflight?: boolean;
}

export type ApiMiddyRequest = middy.Request<
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Error,
  ApiContext,
  ApiInternal
>;
export type ApiMiddleware = middy.MiddlewareObj<
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Error,
  ApiContext,
  ApiInternal
>;

/** Request headers, by case-insensitive name. */
export function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** Adds headers to the answer being sent, whichever path produced it (route, preflight or error). */
export function addHeaders(request: ApiMiddyRequest, headers: Readonly<Record<string, string>>): void {
  if (!request.response) return;
  request.response = { ...request.response, headers: { ...headers, ...request.response.headers } };
}
