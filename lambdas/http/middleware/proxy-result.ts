import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ApiResult } from './types.ts';

/** A route's answer as API Gateway (REST, payload v1) takes it: JSON body, cookies as multi-value Set-Cookie. */
export function toProxyResult(result: ApiResult): APIGatewayProxyResult {
  const hasBody = result.body !== undefined;
  return {
    statusCode: result.statusCode,
    headers: { ...(hasBody ? { 'Content-Type': 'application/json; charset=utf-8' } : {}), ...result.headers },
    multiValueHeaders: result.cookies?.length ? { 'Set-Cookie': [...result.cookies] } : {},
    body: hasBody ? JSON.stringify(result.body) : '',
  };
}
