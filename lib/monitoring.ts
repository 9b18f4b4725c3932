import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarmAction,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE, METRIC_STAGE_DIMENSION, METRICS, type MetricName } from '../lambdas/domain/metrics.ts';

export interface MonitoringProps {
  /** The stage's name: the functions publish their metrics under it. */
  readonly stageName: string;
  readonly restApi: RestApi;
  /** Every function of the stack: their errors and throttles are alarmed on. */
  readonly functions: readonly IFunction[];
  /** The web ACL's name, as its CloudWatch metrics are dimensioned. */
  readonly webAclName: string;
  readonly table: ITableV2;
  /** Forgotten-code jobs that failed for good. */
  readonly failedForgotJobs: IQueue;
  /** Where alarms go. @default a new encrypted topic (subscribe to it after deploy) */
  readonly alarmTopicArn?: string;
}

/** Alarms that tell someone when members are stuck or attacked, and one dashboard. */
export class Monitoring extends Construct {
  readonly topic: ITopic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (props.alarmTopicArn) {
      this.topic = Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
    } else {
      const key = new Key(this, 'AlarmTopicKey', { enableKeyRotation: true });
      // CloudWatch publishes to the encrypted topic with this key: without this statement in the
      // key's policy, every alarm's notification is dropped and no one ever hears of it.
      key.addToResourcePolicy(
        new PolicyStatement({
          sid: 'CloudWatchAlarmsPublish',
          effect: Effect.ALLOW,
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
      );
      this.topic = new Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
    }
    const action: IAlarmAction = new SnsAction(this.topic);
    const ours = (name: MetricName, statistic: string, period = Duration.minutes(5)) =>
      new Metric({
        namespace: METRIC_NAMESPACE,
        metricName: METRICS[name],
        dimensionsMap: { [METRIC_STAGE_DIMENSION]: props.stageName },
        statistic,
        period,
      });
    /** The sum of several series, a missing one counted as 0 (a bare `a + b` is missing whenever one is). */
    const sumOf = (metrics: readonly IMetric[], label: string) =>
      new MathExpression({
        expression: `SUM([${metrics.map((_, i) => `FILL(m${i}, 0)`).join(', ')}])`,
        usingMetrics: Object.fromEntries(metrics.map((m, i) => [`m${i}`, m])),
        label,
        period: Duration.minutes(5),
      });

    const alarm = (
      name: string,
      description: string,
      metric: IMetric,
      threshold: number,
      missing = TreatMissingData.NOT_BREACHING,
      periods = 1,
    ) => {
      const a = new Alarm(this, name, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: missing,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };

    alarm(
      'LetterPendingOver36Hours',
      'A letter request has waited more than 36 hours: the 48-hour promise to members is at risk (or the hourly check stopped).',
      ours('OldestPendingLetterAgeHours', 'Maximum', Duration.hours(1)),
      36,
      TreatMissingData.BREACHING,
      // Two hours in a row: one check that reports a few minutes late is not an incident.
      2,
    );
    alarm(
      'ServerErrorRate',
      'More than 1% of API requests answered 5xx over 5 minutes.',
      new MathExpression({
        // No request in the period: no rate (0), rather than a division by a missing series.
        expression: 'IF(FILL(requests, 0) > 0, 100 * FILL(errors, 0) / requests, 0)',
        usingMetrics: {
          errors: props.restApi.metricServerError({ statistic: 'Sum' }),
          requests: props.restApi.metricCount({ statistic: 'Sum' }),
        },
        period: Duration.minutes(5),
      }),
      1,
    );
    alarm(
      'LockoutSpike',
      'More than 50 NIRs locked in 5 minutes: a guessing campaign?',
      ours('LockoutStarted', 'Sum'),
      50,
    );
    alarm(
      'ThrottledAttempts',
      'More than 100 throttled attempts (per IP or one code across NIRs: spraying) in 5 minutes.',
      ours('AttemptThrottled', 'Sum'),
      100,
    );
    alarm(
      'ForgotJobLost',
      'A forgotten-code request failed three times: a member waits for a mail or letter that will not come (see the failed-jobs queue).',
      props.failedForgotJobs.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      0,
    );
    alarm(
      'MailLost',
      'A member mail (reset link or notice) could not be sent after retries.',
      ours('MailLost', 'Sum'),
      0,
    );
    alarm(
      'DynamoDbThrottling',
      'DynamoDB throttled requests on the table.',
      sumOf(
        ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'TransactWriteItems'].map(
          (operation) =>
            props.table.metric('ThrottledRequests', {
              dimensionsMap: { TableName: props.table.tableName, Operation: operation },
              statistic: 'Sum',
              period: Duration.minutes(5),
            }),
        ),
        'throttled requests',
      ),
      0,
    );
    // An alarm's metric math takes at most 10 metrics: the functions in groups of ten.
    const groups: IFunction[][] = [];
    props.functions.forEach((fn, i) => {
      if (i % 10 === 0) groups.push([]);
      groups.at(-1)!.push(fn);
    });
    groups.forEach((group, i) => {
      alarm(
        `FunctionErrors${i + 1}`,
        `A function of group ${i + 1} failed (an unhandled error or a timeout: members got a 500 or 503).`,
        sumOf(
          group.map((fn) => fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) })),
          'errors',
        ),
        0,
      );
      alarm(
        `FunctionThrottles${i + 1}`,
        `A function of group ${i + 1} was throttled by Lambda (account concurrency reached: members are refused).`,
        sumOf(
          group.map((fn) => fn.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5) })),
          'throttles',
        ),
        0,
      );
    });
    // SES reviews an account at a 5% bounce rate and a 0.1% complaint rate: warn before either.
    const reputation = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Average', period: Duration.hours(1) });
    alarm(
      'MailBounceRate',
      'The bounce rate of the account’s mail passed 4% (SES reviews the account at 5%: mail to members may stop).',
      reputation('Reputation.BounceRate'),
      0.04,
    );
    alarm(
      'MailComplaintRate',
      'The complaint rate of the account’s mail passed 0.08% (SES reviews the account at 0.1%).',
      reputation('Reputation.ComplaintRate'),
      0.0008,
    );
    alarm(
      'WafBlocksSpike',
      'AWS WAF blocked more than 1,000 requests in 5 minutes: an attack, or a rule blocking members.',
      new Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: props.webAclName, Rule: 'ALL', Region: Stack.of(this).region },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      1000,
    );

    new Dashboard(this, 'Dashboard', {
      widgets: [
        [
          new GraphWidget({
            title: 'API requests and 5xx',
            left: [props.restApi.metricCount()],
            right: [props.restApi.metricServerError()],
          }),
          new GraphWidget({
            title: 'Lockouts and throttled attempts',
            left: [ours('LockoutStarted', 'Sum'), ours('AttemptThrottled', 'Sum')],
          }),
        ],
        [
          new GraphWidget({
            title: 'Oldest pending letter (hours)',
            left: [ours('OldestPendingLetterAgeHours', 'Maximum', Duration.hours(1))],
          }),
          new GraphWidget({ title: 'Mail lost', left: [ours('MailLost', 'Sum')] }),
        ],
      ],
    });
  }
}
