import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentClient, ensureTable, type Table } from '../../lambdas/adapters/dynamo/table.ts';
import { ensureLocalKeyFiles } from '../../lambdas/adapters/keys/local-key-files.ts';
import { localEnvironment } from '../../lambdas/runtime/local-environment.ts';

/**
 * A fresh table on the shared DynamoDB Local, fresh local keys, and the environment the
 * handlers read at cold start. Call before importing any handler or runtime/services.
 */
export async function prepareTestEnvironment(
  overrides: Record<string, string> = {},
): Promise<{ env: Record<string, string>; table: Table }> {
  const dynamodbEndpoint = process.env['TEST_DYNAMODB_ENDPOINT'];
  const sesEndpoint = process.env['TEST_SES_ENDPOINT'];
  if (!dynamodbEndpoint || !sesEndpoint)
    throw new Error('engines not started: run the tests through jest (global setup)');
  const keysDir = await mkdtemp(join(tmpdir(), 'mpa-keys-'));
  await ensureLocalKeyFiles(keysDir);
  const env: Record<string, string> = {
    ...localEnvironment(),
    TABLE_NAME: `test-${randomUUID()}`,
    DYNAMODB_ENDPOINT: dynamodbEndpoint,
    SES_ENDPOINT: sesEndpoint,
    LOCAL_KEYS_DIR: keysDir,
    ...overrides,
  };
  Object.assign(process.env, env);
  const table = {
    name: env['TABLE_NAME']!,
    // A test may bring its own engine (DYNAMODB_ENDPOINT), e.g. to stop it. The tests that use this
    // client directly prove race-safety (150 attempts at once), not latency: DynamoDB Local on two
    // shared cores may take longer than the functions' 1.5 s to answer such a burst, so they wait longer.
    client: documentClient({
      endpoint: env['DYNAMODB_ENDPOINT'],
      region: env['AWS_REGION'],
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000, throwOnRequestTimeout: true },
    }),
  };
  await ensureTable(table.client, table.name);
  return { env, table };
}
