import { Duration, Stack, type CfnElement } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
  type IResource,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resolve } from 'node:path';
import { handlerEntry, NOT_FOUND_ROUTE, ROUTES, type BackgroundFunctionName, type RouteName } from '../lambdas/http/routes.ts';
import { HANDLER_BUNDLING } from '../lambdas/local/bundling.ts';
import type { Keys } from './keys.ts';
import { acknowledge } from './nag-acknowledgements.ts';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');

/** What each function may touch: least privilege, decided per route. */
type Grant = 'table-read' | 'table-write' | 'nir-key' | 'pepper' | 'signing-key' | 'mail' | 'invoke-worker';
const GRANTS: Record<Exclude<RouteName | BackgroundFunctionName, 'letters-export'>, readonly Grant[]> = {
  login: ['table-write', 'nir-key', 'pepper', 'signing-key'],
  'code-change': ['table-write', 'nir-key', 'pepper', 'mail'],
  // Only a keyed hash and a hand-off to the worker: the same cost whatever the branch.
  'code-forgot': ['nir-key', 'invoke-worker'],
  'code-reset': ['table-write', 'pepper', 'mail'],
  'terms-current': ['table-read'],
  'terms-accept': ['table-write', 'signing-key'],
  'session-refresh': ['table-write', 'signing-key'],
  'session-logout': ['table-write', 'signing-key'],
  me: ['table-read', 'signing-key'],
  jwks: ['signing-key'],
  health: [],
  openapi: [],
  'not-found': [],
  'forgot-worker': ['table-write', 'mail'],
};
type FunctionName = keyof typeof GRANTS;

export interface ApiProps {
  readonly table: ITableV2;
  readonly keys: Keys;
  /** Environment every function gets: names, ARNs, URLs and numbers only — never a secret. */
  readonly environment: Record<string, string>;
  /** The SES identity ARN the mail-sending functions may use. */
  readonly sesIdentityArn: string;
  /** Retention of function and access logs. @default RetentionDays.ONE_YEAR */
  readonly logRetention?: RetentionDays;
  /** Stage-wide throttling. @default 200 requests/s, bursts of 400 */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

/** One NodejsFunction per route of the contract, behind a REST API (WAF can attach to it). */
export class Api extends Construct {
  readonly restApi: RestApi;
  readonly functions = new Map<FunctionName, NodejsFunction>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'access-logs', { retention: props.logRetention ?? RetentionDays.ONE_YEAR });
    this.restApi = new RestApi(this, 'RestApi', {
      endpointTypes: [EndpointType.REGIONAL],
      // The account-level role API Gateway needs to write the access logs below.
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'v1-api',
        // Access logs carry no body, no header and no query string: nothing of a NIR, code or token.
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            method: '$context.httpMethod',
            resource: '$context.resourcePath',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.integrationLatency',
          }),
        ),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: props.throttle?.rateLimit ?? 200,
        throttlingBurstLimit: props.throttle?.burstLimit ?? 400,
      },
    });
    acknowledge(this.restApi, {
      'AwsSolutions-APIG2': 'Requests are validated in each function with the zod schemas, so that errors keep the contract envelope (API Gateway validators answer in their own format).',
      'AwsSolutions-APIG4': 'A public sign-in API: members are not authenticated before signing in; /v1/me verifies its bearer token in the function (session and revocation checks an authorizer cannot make).',
      'AwsSolutions-COG4': 'Members authenticate with NIR + code against this service, not Cognito; see AwsSolutions-APIG4.',
      'AwsSolutions-APIG3': 'The WAF web ACL (rate-based rules, IP reputation) is part of the production-infrastructure issue; per-IP, per-NIR and spraying limits are enforced in the functions meanwhile.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
        'The AWS-documented managed policy for the account-level role that lets API Gateway write access logs.',
    });
    // Every path and method outside the contract, CORS preflights included, goes to the catch-all
    // function, so API Gateway never answers with its own 403 "Missing Authentication Token".
    const notFoundFunction = this.#function(NOT_FOUND_ROUTE.name, props);
    this.functions.set(NOT_FOUND_ROUTE.name, notFoundFunction);
    const notFound = new LambdaIntegration(notFoundFunction);
    this.restApi.root.addMethod('ANY', notFound);
    this.restApi.root.addProxy({ defaultIntegration: notFound, anyMethod: true });
    // The forgotten-code worker: invoked asynchronously, so /v1/code/forgot answers alike for every NIR.
    const worker = this.#function('forgot-worker', props);
    this.functions.set('forgot-worker', worker);
    for (const route of ROUTES) {
      const fn =
        route.name === 'code-forgot'
          ? this.#function(route.name, props, { FORGOT_DISPATCH: 'lambda', FORGOT_WORKER_FUNCTION: worker.functionName })
          : this.#function(route.name, props);
      if (GRANTS[route.name].includes('invoke-worker')) {
        // The function itself only (grantInvoke would add every version and alias).
        fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['lambda:InvokeFunction'], resources: [worker.functionArn] }));
      }
      this.functions.set(route.name, fn);
      this.#resource(route.path, notFound).addMethod(route.method, new LambdaIntegration(fn));
    }
  }

  /** The resource of a path, each new one created with the catch-all on ANY (a route's own method wins). */
  #resource(path: string, notFound: LambdaIntegration): IResource {
    return path
      .split('/')
      .filter(Boolean)
      .reduce<IResource>((parent, part) => {
        const existing = parent.getResource(part);
        if (existing) return existing;
        const created = parent.addResource(part);
        created.addMethod('ANY', notFound);
        return created;
      }, this.restApi.root);
  }

  #function(name: FunctionName, props: ApiProps, extraEnvironment: Record<string, string> = {}): NodejsFunction {
    const logGroup = new LogGroup(this, `${name}-logs`, { retention: props.logRetention ?? RetentionDays.ONE_YEAR });
    const fn = new NodejsFunction(this, name, {
      entry: resolve(PROJECT_ROOT, handlerEntry(name)),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: resolve(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // argon2id with 19 MiB per verification, two in parallel: CPU comes with memory on Lambda.
      memorySize: GRANTS[name].includes('pepper') ? 1024 : 256,
      timeout: Duration.seconds(10),
      logGroup,
      environment: { ...props.environment, ...extraEnvironment, NODE_OPTIONS: '--enable-source-maps' },
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
    if (GRANTS[name].some((g) => g === 'table-write' || g === 'table-read')) {
      const table = Stack.of(this).getLogicalId(props.table.node.defaultChild as CfnElement);
      acknowledge(fn, {
        [`AwsSolutions-IAM5[Resource::<${table}.Arn>/index/*]`]: 'Added by grant*Data: the table\'s one index (letters by state, members by client), nothing else.',
      });
    }
    if (GRANTS[name].some((g) => g === 'table-write' || g === 'table-read' || g === 'signing-key')) {
      acknowledge(fn, {
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]': 'Added by grant*Data on the table and secret: scoped to the one customer-managed data key.',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]': 'Added by grant*Data on the table and secret: scoped to the one customer-managed data key.',
      });
    }
    for (const grant of GRANTS[name]) {
      if (grant === 'table-read') props.table.grantReadData(fn);
      if (grant === 'table-write') props.table.grantReadWriteData(fn);
      if (grant === 'nir-key') fn.addToRolePolicy(mac(props.keys.nirLookup.keyArn));
      if (grant === 'pepper') fn.addToRolePolicy(mac(props.keys.codePepper.keyArn));
      if (grant === 'signing-key') props.keys.signingSecret.grantRead(fn);
      if (grant === 'mail') {
        fn.addToRolePolicy(
          new PolicyStatement({ effect: Effect.ALLOW, actions: ['ses:SendEmail'], resources: [props.sesIdentityArn] }),
        );
      }
    }
    return fn;
  }
}

const mac = (keyArn: string) => new PolicyStatement({ effect: Effect.ALLOW, actions: ['kms:GenerateMac'], resources: [keyArn] });
