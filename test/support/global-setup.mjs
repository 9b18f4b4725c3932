// Starts the real engines once for the whole run (unless TEST_ENGINES=none): DynamoDB Local (in memory) and the SES emulator,
// and synthesises the stack once so that every AWS call of the tests is checked against its IAM roles (aws-rules/setup.ts).
// Test files share them, each with its own table. Node 24 loads the project's TypeScript directly.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

export default async function globalSetup() {
  // `npm run test:unit`: the unit tests use in-memory ports and need neither Java nor the emulator.
  if (process.env.TEST_ENGINES === 'none') return;
  const policies = join(mkdtempSync(join(tmpdir(), 'mpa-iam-')), 'stack-policies.json');
  execFileSync(process.execPath, [join(import.meta.dirname, 'aws-rules', 'write-stack-policies.ts'), policies], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.TEST_STACK_POLICIES = policies;
  const { startDynamoDbLocal, startSesLocal } = await import('../../lambdas/local/engines.ts');
  const [dynamoPort, sesPort] = [await freePort(), await freePort()];
  const dynamo = await startDynamoDbLocal(dynamoPort);
  const ses = await startSesLocal(sesPort);
  globalThis.__ENGINES__ = { dynamo, ses };
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.TEST_SES_ENDPOINT = ses.endpoint;
}
