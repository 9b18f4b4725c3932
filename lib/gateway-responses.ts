import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { ErrorCode } from '../lambdas/domain/errors.ts';
import { message } from '../lambdas/http/messages.ts';

export interface GatewayResponsesProps {
  /** CORS on these answers takes one static origin: the portal's (the first of the stage's). */
  readonly portalOrigin: string;
}

interface Answer {
  readonly type: ResponseType;
  /** Kept as API Gateway chose it when absent (DEFAULT_4XX, DEFAULT_5XX). */
  readonly statusCode?: string;
  readonly code: ErrorCode;
  readonly retryAfterSeconds?: number;
}

/** What API Gateway answers by itself, before or instead of a function, in the contract's terms. */
const ANSWERS: readonly Answer[] = [
  { type: ResponseType.THROTTLED, statusCode: '429', code: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: 1 },
  // WAF works on 5-minute windows.
  { type: ResponseType.WAF_FILTERED, statusCode: '403', code: 'REQUEST_BLOCKED', retryAfterSeconds: 300 },
  { type: ResponseType.REQUEST_TOO_LARGE, statusCode: '413', code: 'PAYLOAD_TOO_LARGE' },
  { type: ResponseType.INTEGRATION_TIMEOUT, statusCode: '503', code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 },
  { type: ResponseType.DEFAULT_4XX, code: 'MALFORMED_REQUEST' },
  { type: ResponseType.DEFAULT_5XX, code: 'INTERNAL' },
];

const quoted = (value: string) => `'${value}'`;

/**
 * Throttling, WAF blocks, oversized bodies, timeouts and failures answered by API Gateway itself
 * carry the same envelope (`{"error":{"code","message"}}`, in French), the security headers, the
 * request id and CORS for the portal as every function's answer — so the portal can show a message.
 */
export function gatewayResponses(restApi: RestApi, props: GatewayResponsesProps): void {
  for (const answer of ANSWERS) {
    const serverError = answer.code === 'INTERNAL' || answer.code === 'SERVICE_UNAVAILABLE';
    const body = {
      error: {
        code: answer.code,
        message: message(answer.code, 'fr'),
        ...(serverError ? { requestId: '$context.requestId' } : {}),
      },
    };
    restApi.addGatewayResponse(`answer-${answer.type.responseType.toLowerCase().replace(/_/g, '-')}`, {
      type: answer.type,
      ...(answer.statusCode ? { statusCode: answer.statusCode } : {}),
      responseHeaders: {
        'Strict-Transport-Security': quoted('max-age=63072000; includeSubDomains'),
        'X-Content-Type-Options': quoted('nosniff'),
        'Cache-Control': quoted('no-store'),
        'Referrer-Policy': quoted('no-referrer'),
        'X-Frame-Options': quoted('DENY'),
        'x-request-id': 'context.requestId',
        'Access-Control-Allow-Origin': quoted(props.portalOrigin),
        'Access-Control-Allow-Credentials': quoted('true'),
        'Access-Control-Expose-Headers': quoted('x-request-id, Retry-After'),
        Vary: quoted('Origin'),
        ...(answer.retryAfterSeconds ? { 'Retry-After': quoted(String(answer.retryAfterSeconds)) } : {}),
      },
      templates: { 'application/json': JSON.stringify(body) },
    });
  }
}
