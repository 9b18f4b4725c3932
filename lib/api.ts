import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
  type IResource,
} from 'aws-cdk-lib/aws-apigateway';
import { Duration } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { NOT_FOUND_ROUTE, ROUTES, type RouteName } from '../lambdas/http/routes.ts';
import { handlerFunction, type Grant, type SharedResources } from './handler-function.ts';
import { acknowledge } from './nag-acknowledgements.ts';

/** What each function may touch: least privilege, decided per route. */
const GRANTS: Record<RouteName | 'account-worker', readonly Grant[]> = {
  // A lock that starts hands its notice to the worker (for a member or not: the same work).
  login: ['table-write', 'nir-key', 'pepper', 'signing-key', 'invoke-worker'],
  'code-change': ['table-write', 'nir-key', 'pepper', 'mail', 'invoke-worker'],
  // A keyed hash, a throttle count and a hand-off to the worker: the same cost whatever the branch.
  'code-forgot': ['throttle-counts', 'nir-key', 'invoke-worker'],
  'code-reset': ['table-write', 'nir-key', 'pepper', 'mail'],
  'terms-current': ['table-read'],
  'terms-accept': ['table-write', 'signing-key'],
  'session-refresh': ['table-write', 'signing-key', 'refresh-key'],
  'session-logout': ['table-write', 'signing-key'],
  me: ['table-read', 'signing-key'],
  jwks: ['signing-key'],
  health: [],
  openapi: [],
  'not-found': [],
  'account-worker': ['table-write', 'mail'],
};
type FunctionName = keyof typeof GRANTS;

export interface ApiProps {
  /** Table, keys, mail and the environment the functions share. */
  readonly shared: SharedResources;
  /** Stage-wide throttling. @default 200 requests/s, bursts of 400 */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** Throttling of the routes that take a code (login, code change / forgot / reset). @default 50 requests/s, bursts of 100 */
  readonly codeRouteThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
}

/** One NodejsFunction per route of the contract, behind a REST API (WAF can attach to it). */
export class Api extends Construct {
  readonly restApi: RestApi;
  readonly functions = new Map<FunctionName, NodejsFunction>();
  /** Account jobs (forgotten code, lock notice) that failed three times: a member still waiting for a mail or a letter. */
  readonly failedForgotJobs: Queue;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'access-logs', { retention: props.shared.logRetention ?? RetentionDays.ONE_YEAR });
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
        // The routes that take a code get a tighter limit than the stage.
        methodOptions: Object.fromEntries(
          ['/v1/login/POST', '/v1/code/change/POST', '/v1/code/forgot/POST', '/v1/code/reset/POST'].map((route) => [
            route,
            { throttlingRateLimit: props.codeRouteThrottle?.rateLimit ?? 50, throttlingBurstLimit: props.codeRouteThrottle?.burstLimit ?? 100 },
          ]),
        ),
      },
    });
    acknowledge(this.restApi, {
      'AwsSolutions-APIG2': 'Requests are validated in each function with the zod schemas, so that errors keep the contract envelope (API Gateway validators answer in their own format).',
      'AwsSolutions-APIG4': 'A public sign-in API: members are not authenticated before signing in; /v1/me verifies its bearer token in the function (session and revocation checks an authorizer cannot make).',
      'AwsSolutions-COG4': 'Members authenticate with NIR + code against this service, not Cognito; see AwsSolutions-APIG4.',
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
    // The account worker: invoked asynchronously, so that /v1/code/forgot answers alike for every NIR
    // and a sign-in that locks a NIR costs the same whether or not a member gets a notice.
    const worker = this.#function('account-worker', props);
    this.functions.set('account-worker', worker);
    // A job that still fails after Lambda's two retries is kept here (and alarmed on), not lost.
    this.failedForgotJobs = new Queue(this, 'FailedForgotJobs', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.shared.keys.data,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.failedForgotJobs, {
      'AwsSolutions-SQS3': 'It is itself the dead-letter destination of the forgotten-code worker.',
    });
    worker.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(this.failedForgotJobs) });
    for (const route of ROUTES) {
      const dispatches = GRANTS[route.name].includes('invoke-worker');
      const fn = this.#function(route.name, props, dispatches ? { JOBS_DISPATCH: 'lambda', ACCOUNT_WORKER_FUNCTION: worker.functionName } : {});
      if (dispatches) {
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

  #function(name: FunctionName, props: ApiProps, environment: Record<string, string> = {}): NodejsFunction {
    return handlerFunction(this, { name, grants: GRANTS[name], shared: props.shared, environment });
  }
}
