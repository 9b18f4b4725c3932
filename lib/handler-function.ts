import { resolve } from 'node:path';
import { type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { HANDLER_BUNDLING } from '../lambdas/contract/bundling.ts';
import type { TableAccess } from '../lambdas/contract/function-access.ts';
import { accessOf, type FunctionName, handlerEntry } from '../lambdas/contract/routes.ts';
import { GROUP_INDEX, INDEX_PARTITIONS, memberAttributesFor, PARTITIONS } from '../lambdas/contract/table-schema.ts';
import type { Keys } from './keys.ts';
import type { Mail } from './mail.ts';
import { acknowledge, nagPlaceholders } from './nag-acknowledgements.ts';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');

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
  readonly name: FunctionName;
  readonly shared: SharedResources;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 10 seconds */
  readonly timeout?: Duration;
}

const TABLE_ACTIONS: Record<Exclude<keyof TableAccess, 'queryIndex' | 'memberWrites'>, string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  put: ['dynamodb:PutItem'],
  update: ['dynamodb:UpdateItem'],
  delete: ['dynamodb:DeleteItem'],
  conditionCheck: ['dynamodb:ConditionCheckItem'],
};

/** The terms sit in one fixed partition; every other kind of item in a partition per key. */
const leadingKey = (prefix: string) => (prefix.endsWith('#') ? `${prefix}*` : prefix);

/**
 * One IAM statement per kind of access, each limited with `dynamodb:LeadingKeys` to the partitions
 * the function touches (contract/routes.ts): no Scan anywhere, no write at all for the read paths,
 * and the audit trail Put-only.
 */
function grantTable(fn: NodejsFunction, access: TableAccess, shared: SharedResources): void {
  const { tableArn } = shared.table;
  for (const [kind, actions] of Object.entries(TABLE_ACTIONS) as Array<[keyof typeof TABLE_ACTIONS, string[]]>) {
    // UpdateItem on a member's item has a statement of its own, limited to the attributes declared.
    const partitions = kind === 'update' ? access.update?.filter((p) => p !== 'member') : access[kind];
    if (!partitions?.length) continue;
    fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions,
        resources: [tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitions.map((p) => leadingKey(PARTITIONS[p])) },
        },
      }),
    );
  }
  if (access.update?.includes('member')) {
    if (!access.memberWrites?.length) {
      throw new Error(`${fn.node.id}: updates members without declaring memberWrites (contract/routes.ts)`);
    }
    fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: TABLE_ACTIONS.update,
        resources: [tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [leadingKey(PARTITIONS.member)] },
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': memberAttributesFor(access.memberWrites) },
        },
      }),
    );
  }
  if (access.queryIndex?.length) {
    fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [`${tableArn}/index/${GROUP_INDEX.name}`],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': access.queryIndex.map((p) => leadingKey(INDEX_PARTITIONS[p])),
          },
        },
      }),
    );
  }
  const writes = access.put?.length || access.update?.length || access.delete?.length;
  if (writes) shared.keys.data.grantEncryptDecrypt(fn);
  else shared.keys.data.grantDecrypt(fn);
}

/** One handler as a Lambda function: Node 24, arm64, bundled as the local stack and the bench bundle it. */
export function handlerFunction(scope: Construct, props: HandlerFunctionProps): NodejsFunction {
  const { name, shared } = props;
  const access = accessOf(name);
  const logGroup = new LogGroup(scope, `${name}-logs`, { retention: shared.logRetention ?? RetentionDays.ONE_YEAR });
  const fn = new NodejsFunction(scope, name, {
    entry: resolve(PROJECT_ROOT, handlerEntry(name)),
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: resolve(PROJECT_ROOT, 'package-lock.json'),
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    // argon2id (19 MiB, one derivation per attempt): CPU comes with memory on Lambda. device-verify
    // holds the pepper for its mailed code's keyed hash only, and needs no more than the others.
    memorySize: access.derivesCodeHashes ? 1024 : 256,
    timeout: props.timeout ?? Duration.seconds(10),
    logGroup,
    // Set, not left to the account default: the logger writes its JSON lines (and their metrics) to stdout itself.
    loggingFormat: LoggingFormat.JSON,
    environment: {
      ...shared.environment,
      // The keys only one function uses are named to that function alone.
      ...(access.hmacKeys?.includes('refresh-token')
        ? { REFRESH_TOKEN_KMS_KEY_ID: shared.keys.refreshToken.keyArn }
        : {}),
      ...(access.hmacKeys?.includes('letter-code') ? { LETTER_CODE_KMS_KEY_ID: shared.keys.letterCode.keyArn } : {}),
      ...(access.hmacKeys?.includes('passkey-challenge')
        ? { PASSKEY_CHALLENGE_KMS_KEY_ID: shared.keys.passkeyChallenge.keyArn }
        : {}),
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
  if (access.table) {
    grantTable(fn, access.table, shared);
    if (access.table.queryIndex?.length) {
      // The table's ARN as the finding names it: its attribute, or the ARN of an adopted table.
      const created = shared.table.node.defaultChild as CfnElement | undefined;
      const { region, account } = nagPlaceholders(Stack.of(scope));
      const tableArn = created
        ? `<${Stack.of(scope).getLogicalId(created)}.Arn>`
        : `arn:<AWS::Partition>:dynamodb:${region}:${account}:table/${shared.table.tableName}`;
      acknowledge(fn, {
        [`AwsSolutions-IAM5[Resource::${tableArn}/index/${GROUP_INDEX.name}]`]:
          'The one index of the table, limited by dynamodb:LeadingKeys.',
      });
    }
  }
  if (access.table) {
    acknowledge(fn, {
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]':
        'Added by grantEncryptDecrypt on the data key: scoped to the one customer-managed key.',
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]':
        'Added by grantEncryptDecrypt on the data key: scoped to the one customer-managed key.',
    });
  }
  for (const key of access.hmacKeys ?? []) shared.keys.allowMac(key, fn);
  if (access.signingKeys) {
    shared.keys.allowTokenKeys(fn, access.signingKeys === 'private' ? 'sign' : 'verify');
    const { region, account } = nagPlaceholders(Stack.of(scope));
    const keys = `arn:<AWS::Partition>:kms:${region}:${account}:key/*`;
    acknowledge(fn, {
      [`AwsSolutions-IAM5[Resource::${keys}]`]:
        'Only the keys under the stage’s two token-signing aliases (kms:ResourceAliases): the CLI creates them at each rotation, so no ARN is known to the template.',
    });
  }
  if (access.mail) shared.mail.grantSend(fn);
  return fn;
}
