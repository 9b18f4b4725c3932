import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import type { Table } from '../../lambdas/adapters/dynamo/table.ts';
import type { RouteName } from '../../lambdas/contract/routes.ts';
import {
  createApiServer,
  lambdaContext,
  type ProxyHandler,
  proxyEvent,
} from '../../lambdas/local/api-gateway-adapter.ts';
import { LocalAsyncInvocations } from '../../lambdas/local/async-invocations.ts';
import { findRoute } from '../../lambdas/local/route-matcher.ts';
import { asFunction } from './aws-rules/call-recorder.ts';
import { undeclaredAnswer } from './declared-answers.ts';
import { prepareTestEnvironment } from './test-environment.ts';

const ACCOUNT_WORKER = 'account-worker';

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: the answer as JSON, read by tests as the contract describes it; each assertion checks what it reads.
  readonly json: any;
  readonly text: string;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

/**
 * The API as a client sees it: the real handlers (from source) behind the same API Gateway
 * adapter as `npm start`, on DynamoDB Local and the SES emulator. Everything the handlers log is
 * captured in `logs`, to be scanned for secrets.
 */
export async function startApiUnderTest(overrides: Record<string, string> = {}) {
  const logs: string[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(' '));
    });
  }
  // The functions' logger writes JSON lines straight to stdout/stderr (so that EMF survives any log format).
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
  }
  const handlers = new Map<RouteName, Promise<ProxyHandler>>();
  // Every answer is held to its route's declaration; a disagreement fails the suite when it stops.
  const undeclared: string[] = [];
  const load = (name: RouteName) => {
    if (!handlers.has(name)) {
      handlers.set(
        name,
        import(`../../lambdas/handlers/${name}.ts`).then(
          (m: { handler: ProxyHandler }): ProxyHandler =>
            // Each call it makes is checked against its own role in the synthesised stack.
            async (event, context) => {
              const result = await asFunction(name, () => m.handler(event, context));
              const disagreement = undeclaredAnswer(name, event, result);
              if (disagreement) undeclared.push(disagreement);
              return result;
            },
        ),
      );
    }
    return handlers.get(name)!;
  };
  // Listening first, so that the issuer is this server (its discovery document is served here).
  const server = createApiServer(load);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Background jobs reach the account worker (from source) as deployed: an asynchronous invocation.
  const jobs = new LocalAsyncInvocations(
    new Map([
      [
        ACCOUNT_WORKER,
        async (event: unknown) => {
          const { handler } = await import('../../lambdas/handlers/account-worker.ts');
          return asFunction(ACCOUNT_WORKER, () => handler(event));
        },
      ],
    ]),
  );
  const lambdaEndpoint = await jobs.listen();
  const { env, table } = await prepareTestEnvironment({
    JWT_ISSUER: base,
    ACCOUNT_WORKER_FUNCTION: ACCOUNT_WORKER,
    LAMBDA_ENDPOINT: lambdaEndpoint,
    ...overrides,
  });
  const services = await import('../../lambdas/runtime/services.ts');

  async function call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined || options.rawBody !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  }

  /**
   * The handler of the request's route, invoked directly as API Gateway would (no socket, no HTTP
   * client): `handlerMs` is the time spent inside the function, what a timing attack would measure.
   */
  async function invoke(
    method: string,
    path: string,
    options: { body?: unknown } = {},
  ): Promise<{ status: number; body: string; handlerMs: number }> {
    const route = findRoute(method, path);
    const handler = await load(route.name);
    const event = proxyEvent({
      method,
      url: path,
      resource: route.resource,
      headers: options.body === undefined ? [] : [['Content-Type', 'application/json']],
      body: options.body === undefined ? null : JSON.stringify(options.body),
      sourceIp: '127.0.0.1',
    });
    const started = performance.now();
    const result = await handler(event, lambdaContext(route.name));
    return { status: result.statusCode, body: result.body, handlerMs: performance.now() - started };
  }

  return {
    env,
    table: table as Table,
    services,
    call,
    invoke,
    base,
    logs,
    /** The account worker's invocations: `drain()` waits for the jobs dispatched so far. */
    jobs,
    sesEndpoint: env['SES_ENDPOINT']!,
    stop: async () => {
      await jobs.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (undeclared.length) throw new Error(`answers their declarations do not say:\n${undeclared.join('\n')}`);
    },
  };
}

export type ApiUnderTest = Awaited<ReturnType<typeof startApiUnderTest>>;

export const TEST_TERMS = { version: '2026-01', url: 'https://portal.example/cgu/2026-01' } as const;

/** The API with terms version `TEST_TERMS` in force, as members meet it. */
export async function startApiWithTerms(overrides: Record<string, string> = {}): Promise<ApiUnderTest> {
  const api = await startApiUnderTest(overrides);
  await api.services.termsStore().publish({ ...TEST_TERMS, publishedAt: Date.now() });
  return api;
}

/** The refresh token from a Set-Cookie answer. */
export function refreshTokenFrom(reply: Reply): string | undefined {
  const cookie = reply.headers.getSetCookie().find((c) => c.startsWith('__Secure-mp_refresh='));
  return cookie ? /^__Secure-mp_refresh=([^;]*)/.exec(cookie)?.[1] : undefined;
}

export const cookieHeader = (refreshToken: string) => ({ Cookie: `__Secure-mp_refresh=${refreshToken}` });

/** The trusted-device cookie from a Set-Cookie answer (a code change with an initial code, or a device verification). */
export function deviceTokenFrom(reply: Reply): string | undefined {
  const cookie = reply.headers.getSetCookie().find((c) => c.startsWith('__Secure-mp_device='));
  return cookie ? /^__Secure-mp_device=([^;]*)/.exec(cookie)?.[1] : undefined;
}

export const deviceCookieHeader = (deviceToken: string | undefined): Record<string, string> =>
  deviceToken ? { Cookie: `__Secure-mp_device=${deviceToken}` } : {};

/** Mail received by the SES emulator for one address. */
export async function mailTo(
  sesEndpoint: string,
  address: string,
): Promise<Array<{ subject: string; body: { text: string; html: string } }>> {
  const store = (await (await fetch(`${sesEndpoint}/store`)).json()) as {
    emails: Array<{ destination: { to: string[] }; subject: string; body: { text: string; html: string } }>;
  };
  return store.emails.filter((e) => e.destination.to.includes(address));
}
