import type { APIGatewayProxyResult } from 'aws-lambda';
import { setCookieHeader } from '../cookies.ts';
import type { ApiResult } from './types.ts';

/**
 * A route's answer as API Gateway (REST, payload v1) takes it: JSON body, cookies as multi-value
 * Set-Cookie under the path the API is served at ('' on the insurer's domain, '/v1-api' on the
 * execute-api host).
 */
export function toProxyResult(result: ApiResult, apiBasePath = ''): APIGatewayProxyResult {
  const hasBody = result.body !== undefined;
  return {
    statusCode: result.statusCode,
    headers: { ...(hasBody ? { 'Content-Type': 'application/json; charset=utf-8' } : {}), ...result.headers },
    multiValueHeaders: result.cookies?.length
      ? { 'Set-Cookie': result.cookies.map((cookie) => setCookieHeader(cookie, apiBasePath)) }
      : {},
    body: hasBody ? JSON.stringify(result.body) : '',
  };
}
