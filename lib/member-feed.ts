import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import {
  CsvHeaders,
  DefinitionBody,
  DistributedMap,
  ItemBatcher,
  JsonPath,
  LogLevel,
  OutputType,
  ResultWriterV2,
  S3CsvItemReader,
  StateMachine,
  StateMachineType,
  Transformation,
  WriterConfig,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { handlerFunction, type SharedResources } from './handler-function.ts';
import { acknowledge, nagPlaceholders } from './nag-acknowledgements.ts';

export interface MemberFeedProps {
  readonly shared: SharedResources;
  /** Batches imported at once (the Distributed Map's MaxConcurrency). */
  readonly concurrency: number;
  /** Rows per batch (one Lambda invocation). */
  readonly rowsPerBatch: number;
  /** Days a feed file, its results and its report are kept. */
  readonly retentionDays: number;
  /** Keep the bucket and its key when the stack is deleted. */
  readonly retain: boolean;
}

/**
 * The membership feed in AWS (operations.md, "membership at scale"): a CSV dropped under `members/`
 * or `clients/` in the feed bucket starts a Step Functions Distributed Map that reads the file from
 * S3 and sends batches of rows to Lambda workers running the CLI's row logic; the batches' outputs
 * go to `results/`, and a last step adds them up into `reports/<file>.json`. No function ever reads
 * the whole file; the map is the engine, its concurrency a stage option. A failed import alarms.
 */
export class MemberFeed extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;
  readonly batchFunction: NodejsFunction;
  readonly reportFunction: NodejsFunction;
  readonly stateMachine: StateMachine;
  readonly failedAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MemberFeedProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = new Key(this, 'FeedKey', {
      enableKeyRotation: true,
      description: 'Encrypts the membership feed files (NIRs, initial codes), their results and reports',
      removalPolicy,
    });
    this.bucket = new Bucket(this, 'Files', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays) }],
      removalPolicy,
    });
    // A dropped file reaches EventBridge, which starts the import: set on the bucket itself (the
    // construct's own option would add a custom-resource function for it).
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    acknowledge(this.bucket, {
      'AwsSolutions-S1':
        'Feed files hold NIRs and initial codes: S3 server access logs would copy their object keys to another bucket for no reader; the imports are traced by Step Functions and the audit trail.',
    });

    this.batchFunction = handlerFunction(this, {
      name: 'member-feed-batch',
      shared: props.shared,
      // A batch of rows, each an argon2id derivation and a few DynamoDB calls.
      timeout: Duration.minutes(5),
    });
    this.reportFunction = handlerFunction(this, {
      name: 'member-feed-report',
      shared: props.shared,
      environment: { FEED_BUCKET: this.bucket.bucketName, FEED_KMS_KEY_ID: this.key.keyArn },
      timeout: Duration.minutes(5),
    });
    this.bucket.grantRead(this.reportFunction, 'results/*');
    this.bucket.grantPut(this.reportFunction, 'reports/*');
    this.key.grantEncryptDecrypt(this.reportFunction);
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    acknowledge(this.reportFunction, {
      [`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/results/*]`]:
        'The map’s result files of each run, named by Step Functions.',
      [`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/reports/*]`]: 'One report per feed file, named after it.',
      'AwsSolutions-IAM5[Action::s3:GetObject*]': 'CDK’s read grant on the results prefix only.',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]': 'CDK’s read grant: bucket metadata, no object.',
      'AwsSolutions-IAM5[Action::s3:List*]': 'CDK’s read grant: listing the results prefix.',
      'AwsSolutions-IAM5[Action::s3:Abort*]': 'CDK’s put grant: aborting its own report upload.',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]': 'CDK’s encrypt/decrypt grant on the feed key only.',
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]': 'CDK’s encrypt/decrypt grant on the feed key only.',
    });

    const rows = new DistributedMap(this, 'Rows', {
      itemReader: new S3CsvItemReader({
        bucket: this.bucket,
        key: JsonPath.stringAt('$.key'),
        csvHeaders: CsvHeaders.useFirstRow(),
      }),
      // Each row with its index: the reports name rejected rows by their line.
      itemSelector: { 'row.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
      itemBatcher: new ItemBatcher({ maxItemsPerBatch: props.rowsPerBatch, batchInput: { 'key.$': '$.key' } }),
      maxConcurrency: props.concurrency,
      // A batch that fails after its retries fails the import (and its alarm): no row is lost silently.
      toleratedFailurePercentage: 0,
      // Each batch's execution as it ran, its Output the worker's answer (what the report adds up).
      resultWriterV2: new ResultWriterV2({
        bucket: this.bucket,
        prefix: 'results',
        writerConfig: new WriterConfig({ outputType: OutputType.JSON, transformation: Transformation.NONE }),
      }),
      resultPath: '$.map',
    });
    rows.itemProcessor(
      new LambdaInvoke(this, 'ImportBatch', { lambdaFunction: this.batchFunction, payloadResponseOnly: true }).addRetry(
        {
          errors: ['States.ALL'],
          maxAttempts: 3,
          interval: Duration.seconds(5),
          backoffRate: 2,
        },
      ),
    );
    const report = new LambdaInvoke(this, 'WriteReport', {
      lambdaFunction: this.reportFunction,
      payloadResponseOnly: true,
    });
    const logs = new LogGroup(this, 'ImportLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy });
    this.stateMachine = new StateMachine(this, 'Import', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(rows.next(report)),
      timeout: Duration.hours(2),
      tracingEnabled: true,
      // Every event, without the execution data: a row holds a NIR and an initial code.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    this.key.grantEncryptDecrypt(this.stateMachine);
    const stack = Stack.of(this);
    const { region, account } = nagPlaceholders(stack);
    const machineName = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(this.stateMachine.node.defaultChild as CfnElement)}"}]}]}`;
    const executions = `arn:<AWS::Partition>:states:${region}:${account}:execution:${machineName}`;
    const fnId = (fn: NodejsFunction) => stack.getLogicalId(fn.node.defaultChild as CfnElement);
    acknowledge(this.stateMachine, {
      [`AwsSolutions-IAM5[Resource::${executions}/*:*]`]:
        'The Distributed Map’s own child executions of this state machine.',
      [`AwsSolutions-IAM5[Resource::${executions}:*]`]: 'The Distributed Map’s own map runs of this state machine.',
      'AwsSolutions-IAM5[Resource::*]': 'X-Ray traces and CloudWatch Logs delivery, which take no resource.',
      [`AwsSolutions-IAM5[Resource::<${fnId(this.batchFunction)}.Arn>:*]`]: 'The batch worker, by version.',
      [`AwsSolutions-IAM5[Resource::<${fnId(this.reportFunction)}.Arn>:*]`]: 'The report function, by version.',
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${bucketId}>/*]`]:
        'The map reads the dropped file and writes its results: objects of the feed bucket only.',
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]': 'The feed key only: the file read, the results written.',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]': 'The feed key only (CDK’s encrypt/decrypt grant).',
    });

    new Rule(this, 'FileDropped', {
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [this.bucket.bucketName] },
          object: { key: [{ prefix: 'members/' }, { prefix: 'clients/' }] },
        },
      },
      targets: [
        new SfnStateMachine(this.stateMachine, {
          input: RuleTargetInput.fromObject({ key: EventField.fromPath('$.detail.object.key') }),
          retryAttempts: 2,
        }),
      ],
    });
    this.failedAlarm = new Alarm(this, 'ImportFailed', {
      alarmDescription:
        'A membership feed import failed: a batch failed after its retries, or the report could not be written. Read the execution, fix, drop the file again (rows already imported are unchanged).',
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
