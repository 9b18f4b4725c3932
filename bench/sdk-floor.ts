/**
 * The floor of a handler's cold import: a bundle of nothing but the AWS SDK clients the handler
 * carries (each with the one command it sends), bundled the same way. What a handler imports above
 * its floor is this project's code and libraries; the floor itself is the SDK a function needs in AWS.
 */
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { handlerBuildOptions } from '../lambdas/local/bundling.ts';
import { PROJECT_ROOT } from '../lambdas/runtime/local-environment.ts';

/** Each SDK client package the handlers use: its client class and the command they send with it. */
const SDK_CLIENTS: Record<string, readonly [client: string, command: string]> = {
  'client-dynamodb': ['DynamoDBClient', 'GetItemCommand'],
  'client-kms': ['KMSClient', 'GenerateMacCommand'],
  'client-lambda': ['LambdaClient', 'InvokeCommand'],
  'client-s3': ['S3Client', 'PutObjectCommand'],
  'client-sesv2': ['SESv2Client', 'SendEmailCommand'],
};

/** The SDK client packages in a bundle, from its source map (sorted; e.g. `client-dynamodb`). */
export async function awsClientsOf(bundle: string): Promise<string[]> {
  const { sources } = JSON.parse(await readFile(`${bundle}.map`, 'utf8')) as { sources: string[] };
  const found = new Set<string>();
  for (const source of sources) {
    const name = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(source)?.[1];
    if (name && name in SDK_CLIENTS) found.add(name);
  }
  return [...found].sort();
}

/** Bundles the clients alone into `outfile`, each constructed at import as a handler does. */
export async function buildClientsFloor(clients: readonly string[], outfile: string): Promise<void> {
  const lines = clients.map((pkg) => {
    const [client, command] = SDK_CLIENTS[pkg]!;
    return `import { ${client}, ${command} } from '@aws-sdk/${pkg}';`;
  });
  const made = clients.map((pkg) => {
    const [client, command] = SDK_CLIENTS[pkg]!;
    return `[new ${client}({}), ${command}]`;
  });
  const { entryPoints: _entry, ...options } = handlerBuildOptions('floor.ts', outfile);
  await build({
    ...options,
    stdin: {
      contents: `${lines.join('\n')}\nexport const clients = [${made.join(', ')}];\n`,
      resolveDir: PROJECT_ROOT,
      loader: 'ts',
    },
  });
}
