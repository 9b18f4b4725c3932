import type { Template } from 'aws-cdk-lib/assertions';
import { BACKGROUND_FUNCTIONS, type FunctionName, NOT_FOUND_ROUTE, ROUTES } from '../../../lambdas/contract/routes.ts';
import type { MemberPortalAuthStack } from '../../../lib/member-portal-auth-stack.ts';
import { functionOf, logicalIdOf, type Statement, statementsOf } from '../../infra/synth.ts';

/** The account and region every resolved ARN is in (a stand-in for what CloudFormation fills at deploy). */
const ACCOUNT = '123456789012';
const REGION = 'eu-west-3';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** A resource's name as deployed, stood in for by its logical id (lower-cased where AWS wants it). */
function physicalName(id: string, type: string): string {
  return type === 'AWS::S3::Bucket' ? id.toLowerCase() : id;
}

function arnOf(id: string, type: string): string {
  const name = physicalName(id, type);
  const arns: Record<string, string> = {
    'AWS::DynamoDB::GlobalTable': `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`,
    'AWS::DynamoDB::Table': `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`,
    'AWS::KMS::Key': `arn:aws:kms:${REGION}:${ACCOUNT}:key/${name}`,
    'AWS::Lambda::Function': `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    'AWS::SecretsManager::Secret': `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`,
    'AWS::SSM::Parameter': `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${name}`,
    'AWS::S3::Bucket': `arn:aws:s3:::${name}`,
    'AWS::SQS::Queue': `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
    'AWS::SNS::Topic': `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`,
    'AWS::IAM::Role': `arn:aws:iam::${ACCOUNT}:role/${name}`,
    'AWS::Events::Rule': `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`,
  };
  const arn = arns[type];
  if (!arn) throw new Error(`no stand-in ARN for ${type} (${id})`);
  return arn;
}

/** What `Ref` gives for each type, as CloudFormation documents it. */
function refOf(id: string, type: string): string {
  switch (type) {
    case 'AWS::SecretsManager::Secret':
    case 'AWS::SNS::Topic':
      return arnOf(id, type);
    case 'AWS::SQS::Queue':
      return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${id}`;
    default:
      return physicalName(id, type);
  }
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'member-portal-auth-test',
};

/** A value of the template with its intrinsic functions worked out (those IAM policies and environments use). */
export function resolveIntrinsics(value: unknown, resources: Resources): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, resources));
  const entries = Object.entries(value as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first) {
    const [fn, arg] = first;
    if (fn === 'Ref') {
      const id = arg as string;
      if (PSEUDO[id]) return PSEUDO[id];
      const resource = resources[id];
      if (!resource) throw new Error(`Ref to an unknown resource ${id}`);
      return refOf(id, resource.Type);
    }
    if (fn === 'Fn::GetAtt') {
      const [id, attribute] = arg as [string, string];
      const resource = resources[id];
      if (!resource) throw new Error(`Fn::GetAtt of an unknown resource ${id}`);
      if (attribute === 'Arn') return arnOf(id, resource.Type);
      if (attribute === 'Name' || attribute === 'QueueName') return physicalName(id, resource.Type);
      throw new Error(`Fn::GetAtt ${id}.${attribute} has no stand-in`);
    }
    if (fn === 'Fn::Join') {
      const [separator, parts] = arg as [string, unknown[]];
      return parts.map((p) => String(resolveIntrinsics(p, resources))).join(separator);
    }
    if (fn === 'Fn::Sub' && typeof arg === 'string') {
      return arg.replace(/\$\{([^}]+)\}/g, (_, name: string) => String(resolveIntrinsics({ Ref: name }, resources)));
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v, resources)]));
}

interface FunctionPolicy {
  readonly roleArn: string;
  readonly statements: Statement[];
  /** The function's environment as deployed (ARNs and names resolved). */
  readonly environment: Record<string, string>;
}

/** What the simulation needs of one synthesised stack, with every ARN resolved. */
export interface StackPolicies {
  readonly account: string;
  readonly region: string;
  readonly tableArn: string;
  readonly functions: Record<string, FunctionPolicy>;
  /** Each function's ARN by its name in the contract (what a local Invoke names). */
  readonly functionArns: Record<string, string>;
  /** Key policies by key ARN: KMS evaluates them with the caller's identity policy. */
  readonly keyPolicies: Record<string, { Version: string; Statement: Statement[] }>;
}

const ALL_FUNCTIONS: FunctionName[] = [
  ...ROUTES.map((r) => r.name),
  NOT_FOUND_ROUTE.name,
  ...(Object.keys(BACKGROUND_FUNCTIONS) as FunctionName[]),
];

export function stackPolicies(stack: MemberPortalAuthStack, template: Template): StackPolicies {
  const resources = template.toJSON()['Resources'] as Resources;
  const resolve = <T>(value: T): T => resolveIntrinsics(value, resources) as T;
  const functions: Record<string, FunctionPolicy> = {};
  const functionArns: Record<string, string> = {};
  for (const name of ALL_FUNCTIONS) {
    const fn = functionOf(stack, name);
    const roleId = stack.getLogicalId(fn.role!.node.defaultChild as never);
    const variables = resources[logicalIdOf(stack, fn)]?.Properties?.['Environment'] as
      | { Variables?: Record<string, unknown> }
      | undefined;
    functionArns[name] = arnOf(logicalIdOf(stack, fn), 'AWS::Lambda::Function');
    functions[name] = {
      roleArn: arnOf(roleId, 'AWS::IAM::Role'),
      statements: resolve(statementsOf(stack, template, name)),
      environment: resolve(variables?.Variables ?? {}) as Record<string, string>,
    };
  }
  const keyPolicies = Object.fromEntries(
    Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::KMS::Key')
      .map(([id, r]) => [
        arnOf(id, r.Type),
        resolve(r.Properties!['KeyPolicy']) as StackPolicies['keyPolicies'][string],
      ]),
  );
  return {
    account: ACCOUNT,
    region: REGION,
    tableArn: String(resolve(stack.resolve(stack.table.tableArn))),
    functions,
    functionArns,
    keyPolicies,
  };
}
