import { Duration, Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  type IResource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { type ArnPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { accessOf, type FunctionName, NOT_FOUND_ROUTE, ROUTES } from '../lambdas/contract/routes.ts';
import { gatewayResponses } from './gateway-responses.ts';
import { handlerFunction, type SharedResources } from './handler-function.ts';
import { acknowledge } from './nag-acknowledgements.ts';

/** The stage of the REST API: the path prefix on the execute-api host (none on a custom domain). */
const API_STAGE_NAME = 'v1-api';

export interface ApiDomain {
  /** e.g. auth.mutuelle.fr: the API is served there with an empty base path. */
  readonly domainName: string;
  /** An ACM certificate for it, in the stack's region. */
  readonly certificateArn: string;
}

export interface ApiProps {
  /** Table, keys, mail and the environment the functions share. */
  readonly shared: SharedResources;
  /** The insurer's domain for the API; the execute-api endpoint is then disabled. @default the execute-api host only */
  readonly domain?: ApiDomain;
  /** The REST API's name: its CloudWatch metrics (the 5xx alarm) are dimensioned by it, so one per stage. */
  readonly name: string;
  /**
   * Create API Gateway's account-wide CloudWatch logging role (and set it in the account's API
   * Gateway settings, replacing any role already there). Only for an account that has none.
   * @default false
   */
  readonly createLoggingRole?: boolean;
  /** The portal origin the API Gateway's own answers allow (CORS takes one origin there). */
  readonly portalOrigin: string;
  /** Stage-wide throttling. @default 200 requests/s, bursts of 400 */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** Throttling of the routes that take a code (login, code change / forgot / reset). @default 50 requests/s, bursts of 100 */
  readonly codeRouteThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
}

/** The path prefix requests arrive with, as API Gateway, WAF and browsers see them. */
export const servedBasePath = (domain: ApiDomain | undefined): string => (domain ? '' : `/${API_STAGE_NAME}`);

/** One NodejsFunction per route of the contract, behind a REST API (WAF can attach to it). */
export class Api extends Construct {
  readonly restApi: RestApi;
  readonly functions = new Map<FunctionName, NodejsFunction>();
  /** Account jobs (forgotten code, lock notice) that failed three times: a member still waiting for a mail or a letter. */
  readonly failedForgotJobs: Queue;
  /** '' on the custom domain, '/v1-api' on the execute-api host: cookie paths and WAF rules follow it. */
  readonly basePath: string;
  /** The account worker: forgotten-code branches and lock notices, invoked asynchronously. */
  readonly accountWorker: NodejsFunction;
  readonly #dataKey: SharedResources['keys']['data'];

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.basePath = servedBasePath(props.domain);
    const accessLogs = new LogGroup(this, 'access-logs', {
      retention: props.shared.logRetention ?? RetentionDays.ONE_YEAR,
    });
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: props.name,
      endpointTypes: [EndpointType.REGIONAL],
      // On the insurer's domain, the API is reachable there only: one site for the portal's cookies.
      ...(props.domain
        ? {
            domainName: {
              domainName: props.domain.domainName,
              certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
              endpointType: EndpointType.REGIONAL,
              securityPolicy: SecurityPolicy.TLS_1_2,
            },
            disableExecuteApiEndpoint: true,
          }
        : {}),
      // The account-level role API Gateway needs to write the access logs below: one per account and
      // region, set in its API Gateway settings — created here only when asked (stage option
      // apiGatewayLoggingRole), never silently replacing the one other APIs of the account rely on.
      cloudWatchRole: props.createLoggingRole ?? false,
      deployOptions: {
        stageName: API_STAGE_NAME,
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
            wafStatus: '$context.waf.status',
          }),
        ),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        // Detailed per-method metrics would be ≈ 7 custom metrics × 35 methods, the largest line of
        // the bill; the API-wide Count, 4XX, 5XX and Latency the alarms watch are published without them.
        metricsEnabled: false,
        throttlingRateLimit: props.throttle?.rateLimit ?? 200,
        throttlingBurstLimit: props.throttle?.burstLimit ?? 400,
        // The routes that take a code get a tighter limit than the stage.
        methodOptions: Object.fromEntries(
          ['/v1/login/POST', '/v1/code/change/POST', '/v1/code/forgot/POST', '/v1/code/reset/POST'].map((route) => [
            route,
            {
              throttlingRateLimit: props.codeRouteThrottle?.rateLimit ?? 50,
              throttlingBurstLimit: props.codeRouteThrottle?.burstLimit ?? 100,
            },
          ]),
        ),
      },
    });
    acknowledge(this.restApi, {
      'AwsSolutions-APIG2':
        'Requests are validated in each function with the zod schemas, so that errors keep the contract envelope (API Gateway validators answer in their own format).',
      'AwsSolutions-APIG4':
        'A public sign-in API: members are not authenticated before signing in; /v1/me verifies its bearer token in the function (session and revocation checks an authorizer cannot make).',
      'AwsSolutions-COG4':
        'Members authenticate with NIR + code against this service, not Cognito; see AwsSolutions-APIG4.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
        'The AWS-documented managed policy for the account-level role that lets API Gateway write access logs.',
    });
    // API Gateway's own answers (throttling, WAF, size, timeouts) in the contract's envelope.
    gatewayResponses(this.restApi, { portalOrigin: props.portalOrigin });

    // Every path and method outside the contract, CORS preflights included, goes to the catch-all
    // function, so API Gateway never answers with its own 403 "Missing Authentication Token".
    // One resource-based permission for the whole API: one per method (35 ANY methods × 2) would
    // grow its policy past Lambda's 20 KB limit, and the stack fail to create (aws-limits.test.ts).
    const notFound = new LambdaIntegration(this.#function(NOT_FOUND_ROUTE.name, props), {
      scopePermissionToMethod: false,
    });
    this.restApi.root.addMethod('ANY', notFound);
    this.restApi.root.addProxy({ defaultIntegration: notFound, anyMethod: true });
    // The account worker: invoked asynchronously, so that /v1/code/forgot answers alike for every NIR
    // and a sign-in that locks a NIR costs the same whether or not a member gets a notice.
    const worker = this.#function('account-worker', props);
    this.accountWorker = worker;
    this.#dataKey = props.shared.keys.data;
    // A job that still fails after Lambda's two retries is kept here (and alarmed on), not lost.
    this.failedForgotJobs = new Queue(this, 'FailedForgotJobs', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.shared.keys.data,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.failedForgotJobs, {
      'AwsSolutions-SQS3': 'It is itself the dead-letter destination of the account worker.',
    });
    worker.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(this.failedForgotJobs) });
    for (const route of ROUTES) {
      const dispatches = accessOf(route.name).invokesWorker === true;
      const fn = this.#function(route.name, props, dispatches ? { ACCOUNT_WORKER_FUNCTION: worker.functionName } : {});
      if (dispatches) {
        // The function itself only (grantInvoke would add every version and alias).
        fn.addToRolePolicy(
          new PolicyStatement({
            effect: Effect.ALLOW,
            actions: ['lambda:InvokeFunction'],
            resources: [worker.functionArn],
          }),
        );
      }
      // Invoked by its own method only; no console test-invoke permission (one Lambda permission a route, not two).
      this.#resource(route.path, notFound).addMethod(
        route.method,
        new LambdaIntegration(fn, { allowTestInvoke: false }),
      );
    }
  }

  /**
   * Lets `principal` (the operators' role) replay the failed account jobs: read and delete the
   * queue's messages, decrypt them (through SQS only), invoke the worker — granted in the queue's,
   * the function's and the key's own policies.
   */
  allowReplay(principal: ArnPrincipal): void {
    this.failedForgotJobs.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [principal],
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [this.failedForgotJobs.queueArn],
      }),
    );
    this.#dataKey.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [principal],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    this.accountWorker.addPermission('OperatorReplay', { principal, action: 'lambda:InvokeFunction' });
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
    const fn = handlerFunction(this, { name, shared: props.shared, environment });
    this.functions.set(name, fn);
    return fn;
  }
}
