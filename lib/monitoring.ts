import { Duration } from 'aws-cdk-lib';
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
import { Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE, METRICS, type MetricName } from '../lambdas/domain/metrics.ts';

export interface MonitoringProps {
  readonly restApi: RestApi;
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
    this.topic = props.alarmTopicArn
      ? Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn)
      : new Topic(this, 'AlarmTopic', {
          masterKey: new Key(this, 'AlarmTopicKey', { enableKeyRotation: true }),
          enforceSSL: true,
        });
    const action: IAlarmAction = new SnsAction(this.topic);
    const ours = (name: MetricName, statistic: string, period = Duration.minutes(5)) =>
      new Metric({ namespace: METRIC_NAMESPACE, metricName: METRICS[name], statistic, period });

    const alarm = (
      name: string,
      description: string,
      metric: IMetric,
      threshold: number,
      missing = TreatMissingData.NOT_BREACHING,
    ) => {
      const a = new Alarm(this, name, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
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
    );
    alarm(
      'ServerErrorRate',
      'More than 1% of API requests answered 5xx over 5 minutes.',
      new MathExpression({
        expression: '100 * errors / MAX([requests, 1])',
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
      props.table.metricThrottledRequestsForOperations({
        operations: [
          'GetItem',
          'PutItem',
          'UpdateItem',
          'DeleteItem',
          'Query',
          'BatchGetItem',
          'TransactWriteItems',
        ] as never,
        period: Duration.minutes(5),
      }),
      0,
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
