import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { RouteName } from '../contract/routes.ts';
import { findRoute, pathParametersOf } from './route-matcher.ts';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** API Gateway rejects bodies over 10 MB before any function runs; the adapter does the same. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The REST API (payload v1) proxy event that API Gateway would give the function. */
function toProxyEvent(req: IncomingMessage, body: Buffer, resource: string): APIGatewayProxyEvent {
  const headers: Array<[string, string]> = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  return proxyEvent({
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    resource,
    headers,
    body: body.length ? body.toString('utf8') : null,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
  });
}

export interface ProxyRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly resource: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string | null;
  readonly sourceIp: string;
}

/** The event for a request, however it arrived (a socket here, a direct invocation in a test). */
export function proxyEvent(request: ProxyRequest): APIGatewayProxyEvent {
  const url = new URL(request.url, 'http://localhost');
  // No prototype: a header named __proto__ is a header like any other.
  const headers: Record<string, string> = Object.create(null);
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  for (const [name, value] of request.headers) {
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const userAgent = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  const query = Object.fromEntries(url.searchParams);
  return {
    resource: request.resource,
    path: url.pathname,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: pathParametersOf(request.resource, url.pathname),
    stageVariables: null,
    body: request.body,
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      resourcePath: request.resource,
      path: url.pathname,
      httpMethod: request.method,
      stage: 'local',
      identity: { sourceIp: request.sourceIp, userAgent },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

export function lambdaContext(name: string): Context {
  return {
    functionName: `local-${name}`,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => 10_000,
  } as Context;
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResult): void {
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) res.setHeader(name, values.map(String));
  res.statusCode = result.statusCode;
  res.end(result.body ?? '');
}

/** Serves what the local stack adds beside the API (the reference page): true when it answered. */
export type LocalPages = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The local stand-in for API Gateway: routes an HTTP request to the handler of its route and
 * turns the request into the event, and the handler's result back into the response.
 */
export function createApiServer(
  loadHandler: (name: RouteName) => Promise<ProxyHandler>,
  pages: LocalPages = () => false,
): Server {
  return createServer((req, res) => {
    if (pages(req, res)) return;
    void (async () => {
      try {
        const body = await readBody(req);
        if (body === undefined) {
          res.writeHead(413, { 'Content-Type': 'application/json' }).end('{"message":"Request Too Long"}');
          return;
        }
        const url = new URL(req.url ?? '/', 'http://localhost');
        const route = findRoute(req.method ?? 'GET', url.pathname);
        const handler = await loadHandler(route.name);
        writeResult(res, await handler(toProxyEvent(req, body, route.resource), lambdaContext(route.name)));
      } catch {
        // What API Gateway answers when a function fails outright.
        if (!res.headersSent)
          res.writeHead(502, { 'Content-Type': 'application/json' }).end('{"message":"Internal server error"}');
      }
    })();
  });
}
