/**
 * `npm start`: the whole system on one machine — DynamoDB Local, the SES emulator and the API,
 * serving the same bundled Lambda handlers that are deployed, through an API Gateway adapter.
 */
import { join } from 'node:path';
import { buildPortal } from '../../portal/build.ts';
import { createPortalServer } from '../../portal/server.ts';
import { documentClient, ensureTable } from '../adapters/dynamo/table.ts';
import { ensureLocalKeyFiles } from '../adapters/keys/local-key-files.ts';
import { LOCAL_DIR, LOCAL_PORTS, localEnvironment, supportContactOf } from '../runtime/local-environment.ts';
import { config } from '../runtime/services.ts';
import { serveApiDocs } from './api-docs.ts';
import { createApiServer } from './api-gateway-adapter.ts';
import { bundleHandlers, loadHandlers, startAccountWorker } from './bundling.ts';
import { seedLocalData } from './demo-data.ts';
import { isPortInUse, LocalStackError, startDynamoDbLocal, startSesLocal } from './engines.ts';

async function refuseIfRunning(): Promise<void> {
  if (await isPortInUse(LOCAL_PORTS.api)) {
    throw new LocalStackError(
      `Port ${LOCAL_PORTS.api} is already in use — member-portal-auth is probably running already (another npm start). ` +
        'Stop that one with Ctrl-C first (or free the port).',
    );
  }
  for (const [name, port] of [
    ['DynamoDB Local', LOCAL_PORTS.dynamodb],
    ['the SES emulator', LOCAL_PORTS.ses],
    ['the portal', LOCAL_PORTS.portal],
    ['the account worker', LOCAL_PORTS.lambda],
  ] as const) {
    if (await isPortInUse(port)) {
      throw new LocalStackError(
        `Port ${port} (${name}) is already in use — is another npm start running? Stop it first.`,
      );
    }
  }
}

/** `run-access-ends` at start and every hour, as EventBridge runs the `access-ends` function in AWS. */
function recordAccessEndsHourly(): NodeJS.Timeout {
  const run = () =>
    import('../handlers/access-ends.ts')
      .then(({ handler }) => handler({}, { awsRequestId: 'local-hourly' }))
      .catch((error: unknown) => console.error(`recording the ends of access failed: ${String(error)}`));
  void run();
  return setInterval(run, 60 * 60 * 1000);
}

async function main(): Promise<void> {
  await refuseIfRunning();
  const env = localEnvironment();
  Object.assign(process.env, env);
  await ensureLocalKeyFiles(env['LOCAL_KEYS_DIR']!);

  console.log('Starting DynamoDB Local and the SES emulator…');
  const dynamo = await startDynamoDbLocal(LOCAL_PORTS.dynamodb, join(LOCAL_DIR, 'dynamodb'));
  const ses = await startSesLocal(LOCAL_PORTS.ses);
  const stopEngines = () => Promise.allSettled([dynamo.stop(), ses.stop()]);
  try {
    await ensureTable(
      documentClient({ endpoint: env['DYNAMODB_ENDPOINT'], region: env['AWS_REGION'] }),
      config().tableName,
    );
    const demo = await seedLocalData();
    console.log('Bundling the Lambda handlers with esbuild…');
    const worker = await startAccountWorker(join(LOCAL_DIR, 'build'), LOCAL_PORTS.lambda);
    const handlers = await loadHandlers(await bundleHandlers(join(LOCAL_DIR, 'build')));
    const server = createApiServer(async (name) => handlers.get(name)!, serveApiDocs);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(LOCAL_PORTS.api, resolve);
    });
    console.log('Building the portal…');
    const apiBaseUrl = `http://localhost:${LOCAL_PORTS.api}`;
    const portal = createPortalServer(await buildPortal(join(LOCAL_DIR, 'portal')), () => ({
      apiBaseUrl,
      support: supportContactOf(env),
    }));
    await new Promise<void>((resolve, reject) => {
      portal.once('error', reject);
      portal.listen(LOCAL_PORTS.portal, resolve);
    });
    console.log(`\n${demo}`);
    console.log(`Portal         http://localhost:${LOCAL_PORTS.portal}   (open it: sign in with a demo member below)`);
    console.log(
      `API            http://localhost:${LOCAL_PORTS.api}   (reference: /v1/docs, OpenAPI 3.1: /v1/openapi.json)`,
    );
    console.log(`DynamoDB Local ${dynamo.endpoint}   (data in .local/dynamodb)`);
    console.log(`Mail (SES)     ${ses.endpoint}   (open it in a browser to read sent mail)`);
    console.log('\nCtrl-C stops everything.');
    // The membership feed's end dates, recorded as the hourly scheduled run does in AWS.
    const endsTimer = recordAccessEndsHourly();

    const stop = async () => {
      console.log('\nStopping…');
      clearInterval(endsTimer);
      server.close();
      server.closeAllConnections();
      portal.close();
      portal.closeAllConnections();
      await worker.invocations.close();
      await stopEngines();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  } catch (error) {
    await stopEngines();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof LocalStackError ? error.message : error);
  process.exit(1);
});
