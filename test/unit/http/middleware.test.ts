import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { TooManyAttemptsError, UnauthenticatedError } from '../../../lambdas/domain/errors.ts';
import { apiChain } from '../../../lambdas/http/api-handler.ts';
import { cors } from '../../../lambdas/http/middleware/cors.ts';
import { errorEnvelope } from '../../../lambdas/http/middleware/error-envelope.ts';
import { jsonBody } from '../../../lambdas/http/middleware/json-body.ts';
import { originGuard } from '../../../lambdas/http/middleware/origin-guard.ts';
import { requestContext } from '../../../lambdas/http/middleware/request-context.ts';
import { securityHeaders } from '../../../lambdas/http/middleware/security-headers.ts';
import type { ApiContext, ApiInternal, ApiMiddleware } from '../../../lambdas/http/middleware/types.ts';

const PORTAL = 'https://espace.mutuelle.example';

function event(method: string, headers: Record<string, string> = {}, body?: string): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    resource: '/v1/login',
    path: '/v1/login',
    headers,
    multiValueHeaders: {},
    body: body ?? null,
    isBase64Encoded: false,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      requestId: 'req-1',
      identity: { sourceIp: '192.0.2.1' },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/** What the logger wrote (to stdout and stderr), per test. */
let written: string[] = [];
beforeEach(() => {
  written = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  }
});
afterEach(() => {
  jest.restoreAllMocks();
});

/**
 * One middleware around a handler that answers 200, with the request context and the error
 * envelope every answer has — in apiHandler's order: decorators before the envelope, so that they
 * decorate the error answer it makes.
 */
async function through(
  middleware: ApiMiddleware,
  e: APIGatewayProxyEvent,
  handler = async () => ({ statusCode: 200, headers: {}, body: '{}' }),
) {
  const run = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, ApiContext, ApiInternal>()
    .use(requestContext())
    .use(middleware)
    .use(errorEnvelope({ bearer: false }))
    .handler(handler);
  return run(e, {} as ApiContext);
}

const json = (r: APIGatewayProxyResult) =>
  JSON.parse(r.body) as {
    error?: { code: string; message: string; requestId?: string; fields?: Record<string, string> };
  };

describe('originGuard', () => {
  const guard = originGuard([PORTAL]);

  it('stops login CSRF: a POST from another site is 403 ORIGIN_NOT_ALLOWED', async () => {
    for (const origin of ['https://evil.example', 'null', `${PORTAL}.evil.example`]) {
      const answer = await through(guard, event('POST', { Origin: origin }));
      expect({ status: answer.statusCode, code: json(answer).error?.code }).toEqual({
        status: 403,
        code: 'ORIGIN_NOT_ALLOWED',
      });
    }
    expect((await through(guard, event('DELETE', { origin: 'https://evil.example' }))).statusCode).toBe(403);
  });

  it('lets the portal, clients without Origin (curl, servers) and reads through', async () => {
    expect((await through(guard, event('POST', { Origin: PORTAL }))).statusCode).toBe(200);
    expect((await through(guard, event('POST'))).statusCode).toBe(200);
    expect((await through(guard, event('GET', { Origin: 'https://evil.example' }))).statusCode).toBe(200);
  });
});

describe('jsonBody', () => {
  const parse = jsonBody(z.object({ nir: z.string(), code: z.string() }));

  it('stops a cross-site text/plain form: a body not declared JSON is 415 before it is read', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'application/jsonp',
    ]) {
      const answer = await through(parse, event('POST', { 'Content-Type': type }, '{"nir":"1","code":"2"}'));
      expect({ type, status: answer.statusCode, code: json(answer).error?.code }).toEqual({
        type,
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
    }
    expect((await through(parse, event('POST', {}, '{"nir":"1","code":"2"}'))).statusCode).toBe(415);
  });

  it('accepts JSON with parameters, in any case', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8']) {
      expect((await through(parse, event('POST', { 'content-type': type }, '{"nir":"1","code":"2"}'))).statusCode).toBe(
        200,
      );
    }
  });

  it('refuses a body over 16 KiB with 413 before parsing it', async () => {
    const answer = await through(
      parse,
      event('POST', { 'Content-Type': 'application/json' }, `{"nir":"${'x'.repeat(17_000)}"}`),
    );
    expect({ status: answer.statusCode, code: json(answer).error?.code }).toEqual({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('names the faulty fields, never their values', async () => {
    const answer = await through(
      parse,
      event('POST', { 'Content-Type': 'application/json' }, '{"nir":"184057512345625","code":123456}'),
    );
    expect(json(answer).error).toMatchObject({ code: 'MALFORMED_REQUEST', fields: { code: 'INVALID_TYPE' } });
    expect(answer.body).not.toContain('184057512345625');
    expect(
      json(await through(parse, event('POST', { 'Content-Type': 'application/json' }, '{"nir": '))).error?.code,
    ).toBe('MALFORMED_REQUEST');
  });
});

describe('cors', () => {
  it('names only a portal origin, with credentials; another origin gets no CORS at all', async () => {
    const ok = await through(cors([PORTAL]), event('GET', { Origin: PORTAL }));
    expect(ok.headers).toMatchObject({
      'Access-Control-Allow-Origin': PORTAL,
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin',
    });
    const other = await through(cors([PORTAL]), event('GET', { Origin: 'https://evil.example' }));
    expect(other.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
    expect(other.headers?.['Vary']).toBe('Origin');
  });

  it('answers a preflight without running the route, and names the allowed methods to the portal only', async () => {
    const route = jest.fn(async () => ({ statusCode: 200 }));
    const handler = apiChain(
      { name: 'test', auth: 'none', request: z.object({ nir: z.string() }) },
      { origins: [PORTAL] },
      route,
    );
    const preflight = await handler(
      event('OPTIONS', { Origin: PORTAL, 'Access-Control-Request-Method': 'POST' }),
      {} as ApiContext,
    );
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({
      'Access-Control-Allow-Methods': expect.stringContaining('DELETE'),
      'Access-Control-Allow-Origin': PORTAL,
    });
    const foreign = await handler(event('OPTIONS', { Origin: 'https://evil.example' }), {} as ApiContext);
    expect(foreign.headers?.['Access-Control-Allow-Methods']).toBeUndefined();
    expect(route).not.toHaveBeenCalled();
  });
});

describe('securityHeaders and requestContext', () => {
  it('put the security headers and the request id on every answer, errors included', async () => {
    const failing = async () => {
      throw new Error('boom');
    };
    for (const answer of [
      await through(securityHeaders(), event('GET')),
      await through(securityHeaders(), event('GET'), failing),
    ]) {
      expect(answer.headers).toMatchObject({
        'Strict-Transport-Security': expect.stringContaining('max-age='),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        'x-request-id': 'req-1',
      });
    }
  });

  it('let a route relax Cache-Control for public data', async () => {
    const answer = await through(securityHeaders(), event('GET'), async () => ({
      statusCode: 200,
      headers: { 'Cache-Control': 'public, max-age=300' },
      body: '{}',
    }));
    expect(answer.headers?.['Cache-Control']).toBe('public, max-age=300');
  });
});

describe('errorEnvelope', () => {
  it('leaks nothing of an unexpected error: a 500 with the request id only, the detail in the log', async () => {
    {
      const answer = await through(securityHeaders(), event('GET'), async () => {
        throw new Error('ConnectionRefused to members-prod at 10.0.0.5');
      });
      expect(answer.statusCode).toBe(500);
      expect(json(answer)).toEqual({ error: { code: 'INTERNAL', message: expect.any(String), requestId: 'req-1' } });
      expect(answer.body).not.toMatch(/members-prod|10\.0\.0\.5|Connection/);
      expect(written.join('')).toContain('members-prod');
    }
  });

  it('says when to try again, and in English when asked', async () => {
    const answer = await through(securityHeaders(), event('GET', { 'Accept-Language': 'en' }), async () => {
      throw new TooManyAttemptsError(899.2, 'LOCKED');
    });
    expect(answer.statusCode).toBe(429);
    expect(answer.headers?.['Retry-After']).toBe('900');
    expect(json(answer).error?.message).toMatch(/try again/);
  });

  it('a bearer route refusing a token says so (RFC 6750 WWW-Authenticate)', async () => {
    const guard = {
      authenticate: async (authorization: string | undefined) => {
        throw new UnauthenticatedError(authorization ? 'bad token' : 'no bearer token');
      },
    };
    const route = jest.fn(async () => ({ statusCode: 200 }));
    const refuse = apiChain({ name: 'test', auth: 'member' }, { origins: [PORTAL], guard }, route);
    const withToken = await refuse(event('GET', { Authorization: 'Bearer x.y.z' }), {} as ApiContext);
    expect(withToken.headers?.['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
    expect((await refuse(event('GET'), {} as ApiContext)).headers?.['WWW-Authenticate']).toBe('Bearer');
    expect(route).not.toHaveBeenCalled();
  });
});

describe('accessLog', () => {
  it('logs one line per request with its route, status and error code — never its body or headers', async () => {
    {
      const handler = apiChain(
        { name: 'test', auth: 'none', request: z.object({ nir: z.string(), code: z.string() }) },
        { origins: [PORTAL] },
        async () => {
          throw new TooManyAttemptsError(60, 'THROTTLED');
        },
      );
      await handler(
        event(
          'POST',
          { 'Content-Type': 'application/json', Authorization: 'Bearer secret-token' },
          '{"nir":"184057512345625","code":"583927"}',
        ),
        {} as ApiContext,
      );
      const line = JSON.parse(written.find((w) => w.includes('"message":"request"'))!) as Record<string, unknown>;
      expect(line).toMatchObject({
        requestId: 'req-1',
        method: 'POST',
        route: '/v1/login',
        status: 429,
        errorCode: 'TOO_MANY_ATTEMPTS',
      });
      expect(written.join('')).not.toMatch(/184057512345625|583927|secret-token/);
    }
  });
});
