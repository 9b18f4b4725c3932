// Starts the real engines once for the whole run (unless TEST_ENGINES=none): DynamoDB Local (in memory) and the SES emulator.
// Test files share them, each with its own table. Node 24 loads the project's TypeScript directly.
import { createServer } from 'node:net';

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
  const { startDynamoDbLocal, startSesLocal } = await import('../../lambdas/local/engines.ts');
  const [dynamoPort, sesPort] = [await freePort(), await freePort()];
  const dynamo = await startDynamoDbLocal(dynamoPort);
  const ses = await startSesLocal(sesPort);
  globalThis.__ENGINES__ = { dynamo, ses };
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.TEST_SES_ENDPOINT = ses.endpoint;
}
