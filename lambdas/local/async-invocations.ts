import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { logger } from '../runtime/logger.ts';

/** What an asynchronously invoked function does with its event (the account worker's handler). */
export type AsyncFunction = (event: unknown) => Promise<void>;

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

/**
 * The local stand-in for Lambda's asynchronous invocation (`Invoke` with `InvocationType: Event`),
 * so that the handlers dispatch their background jobs exactly as deployed — the same adapter, the
 * same Lambda client — and no handler carries a second, in-process way of running them. It answers
 * 202 at once, runs the function after, and retries a failed event twice as Lambda does; an event
 * that fails three times is logged, where AWS would hand it to the failure destination.
 */
export class LocalAsyncInvocations {
  readonly #functions: ReadonlyMap<string, AsyncFunction>;
  readonly #pending = new Set<Promise<void>>();
  readonly #server: Server;

  constructor(functions: ReadonlyMap<string, AsyncFunction>) {
    this.#functions = functions;
    this.#server = createServer((req, res) => {
      const name = INVOKE_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname)?.[1];
      const run = name === undefined ? undefined : this.#functions.get(decodeURIComponent(name));
      if (req.method !== 'POST' || !run) {
        res
          .writeHead(404, { 'Content-Type': 'application/json' })
          .end('{"Type":"User","message":"Function not found"}');
        return;
      }
      if (req.headers['x-amz-invocation-type'] !== 'Event') {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"message":"only asynchronous invocations"}');
        return;
      }
      readJson(req).then(
        (event) => {
          res.writeHead(202).end();
          this.#track(this.#withRetries(name!, run, event));
        },
        () => res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"message":"invalid JSON payload"}'),
      );
    });
  }

  /** Listens on a free port (or `port`); returns the endpoint the Lambda client is given. */
  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', resolve);
    });
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Waits for every invocation accepted so far, retries included (tests, and a clean stop). */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async close(): Promise<void> {
    await this.drain();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #track(run: Promise<void>): void {
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
  }

  async #withRetries(name: string, run: AsyncFunction, event: unknown): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run(event);
      } catch (error) {
        if (attempt === 3) {
          // Kind and request id only: a job's other fields are member data.
          const { kind, requestId } = (event ?? {}) as { kind?: unknown; requestId?: unknown };
          logger.error('asynchronous invocation failed three times', {
            function: name,
            kind: String(kind),
            requestId: String(requestId),
            errorName: error instanceof Error ? error.name : 'unknown',
          });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }
}
