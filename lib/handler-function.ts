import { Duration, Stack, type CfnElement } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { resolve } from 'node:path';
import { handlerEntry, type BackgroundFunctionName, type RouteName } from '../lambdas/http/routes.ts';
import { HANDLER_BUNDLING } from '../lambdas/local/bundling.ts';
import type { Keys } from './keys.ts';
import type { Mail } from './mail.ts';
import { acknowledge } from './nag-acknowledgements.ts';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');

/** What a function may touch; each function lists only what its handler needs. */
export type Grant =
  | 'table-read'
  | 'table-write'
  | 'letters-data'
  | 'throttle-counts'
  | 'nir-key'
  | 'pepper'
  | 'refresh-key'
  | 'letter-code-key'
  | 'signing-key'
  | 'mail'
  | 'invoke-worker';

/** The partitions the letter export reads and writes: no session, challenge, counter or reset link. */
const LETTER_EXPORT_PARTITIONS = ['LETTER#*', 'LETTERS#*', 'MEMBER#*', 'AUDIT#*'];

export interface SharedResources {
  readonly table: ITableV2;
  readonly keys: Keys;
  readonly mail: Mail;
  /** Environment every function gets: names, ARNs, URLs and numbers only — never a secret. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default RetentionDays.ONE_YEAR (the audit horizon) */
  readonly logRetention?: RetentionDays;
}

export interface HandlerFunctionProps {
  readonly name: RouteName | BackgroundFunctionName;
  readonly grants: readonly Grant[];
  readonly shared: SharedResources;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 10 seconds */
  readonly timeout?: Duration;
}

/** One handler as a Lambda function: Node 24, arm64, bundled as the local stack and the bench bundle it. */
export function handlerFunction(scope: Construct, props: HandlerFunctionProps): NodejsFunction {
  const { name, grants, shared } = props;
  const logGroup = new LogGroup(scope, `${name}-logs`, { retention: shared.logRetention ?? RetentionDays.ONE_YEAR });
  const fn = new NodejsFunction(scope, name, {
    entry: resolve(PROJECT_ROOT, handlerEntry(name)),
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: resolve(PROJECT_ROOT, 'package-lock.json'),
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    // argon2id (19 MiB, one derivation per attempt): CPU comes with memory on Lambda.
    memorySize: grants.includes('pepper') ? 1024 : 256,
    timeout: props.timeout ?? Duration.seconds(10),
    logGroup,
    environment: {
      ...shared.environment,
      // The keys only one function uses are named to that function alone.
      ...(grants.includes('refresh-key') ? { REFRESH_TOKEN_KMS_KEY_ID: shared.keys.refreshToken.keyArn } : {}),
      ...(grants.includes('letter-code-key') ? { LETTER_CODE_KMS_KEY_ID: shared.keys.letterCode.keyArn } : {}),
      ...props.environment,
      NODE_OPTIONS: '--enable-source-maps',
    },
    bundling: {
      format: OutputFormat.ESM,
      target: HANDLER_BUNDLING.target,
      minify: HANDLER_BUNDLING.minify,
      sourceMap: HANDLER_BUNDLING.sourcemap,
      mainFields: [...HANDLER_BUNDLING.mainFields],
      banner: HANDLER_BUNDLING.banner,
      // Bundled like the local stack and the bench: the deployed code is the tested code.
      externalModules: [],
    },
  });
  acknowledge(fn, {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
      'Grants only logs:CreateLogStream and logs:PutLogEvents, the minimum for a function to log.',
  });
  if (grants.some((g) => g === 'table-write' || g === 'table-read' || g === 'letters-data')) {
    const table = Stack.of(scope).getLogicalId(shared.table.node.defaultChild as CfnElement);
    acknowledge(fn, {
      [`AwsSolutions-IAM5[Resource::<${table}.Arn>/index/*]`]: "Added by grant*Data: the table's one index (letters by state, members by client), nothing else.",
    });
  }
  if (grants.some((g) => g === 'table-write' || g === 'table-read' || g === 'letters-data' || g === 'throttle-counts' || g === 'signing-key')) {
    acknowledge(fn, {
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]': 'Added by grant*Data on the table and secret: scoped to the one customer-managed data key.',
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]': 'Added by grant*Data on the table and secret: scoped to the one customer-managed data key.',
    });
  }
  const mac = (keyArn: string) => new PolicyStatement({ effect: Effect.ALLOW, actions: ['kms:GenerateMac'], resources: [keyArn] });
  for (const grant of grants) {
    if (grant === 'table-read') shared.table.grantReadData(fn);
    if (grant === 'table-write') shared.table.grantReadWriteData(fn);
    if (grant === 'letters-data') {
      fn.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
          resources: [shared.table.tableArn, `${shared.table.tableArn}/index/*`],
          // Fine-grained access: only items whose partition key starts as listed.
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': LETTER_EXPORT_PARTITIONS } },
        }),
      );
      shared.keys.data.grantEncryptDecrypt(fn);
    }
    if (grant === 'throttle-counts') {
      // Counting in its throttle windows, and nothing else of the table.
      fn.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:UpdateItem'],
          resources: [shared.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['THROTTLE#*'] } },
        }),
      );
      shared.keys.data.grantEncryptDecrypt(fn);
    }
    if (grant === 'nir-key') fn.addToRolePolicy(mac(shared.keys.nirLookup.keyArn));
    if (grant === 'pepper') fn.addToRolePolicy(mac(shared.keys.codePepper.keyArn));
    if (grant === 'refresh-key') fn.addToRolePolicy(mac(shared.keys.refreshToken.keyArn));
    if (grant === 'letter-code-key') fn.addToRolePolicy(mac(shared.keys.letterCode.keyArn));
    if (grant === 'signing-key') shared.keys.signingSecret.grantRead(fn);
    if (grant === 'mail') shared.mail.grantSend(fn);
  }
  return fn;
}
