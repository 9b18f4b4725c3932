import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { ArnPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { handlerFunction, type SharedResources } from './handler-function.ts';
import { acknowledge } from './nag-acknowledgements.ts';

export interface LettersProps {
  readonly shared: SharedResources;
  /** EventBridge schedule of the export. @default daily, cron(0 5 * * ? *) */
  readonly schedule?: string;
  /** Days an export file is kept. @default 30 */
  readonly retentionDays?: number;
  /** The print provider's role: the only reader of the exports. @default none (no reader) */
  readonly printProviderRoleArn?: string;
  /** Keep the bucket when the stack is deleted. @default true */
  readonly retain?: boolean;
}

/**
 * The letter batch in AWS: the export function on a schedule, writing to an encrypted bucket that
 * only it may write and only the print provider may read; an hourly check publishes the age of
 * the oldest pending request for the 36-hour alarm.
 */
export class Letters extends Construct {
  readonly bucket: Bucket;
  /** The letters' own key: the print provider — a third party — decrypts with it, and with nothing else of ours. */
  readonly key: Key;
  readonly exportFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: LettersProps) {
    super(scope, id);
    const retain = props.retain ?? true;
    this.key = new Key(this, 'LettersKey', {
      enableKeyRotation: true,
      description: 'Encrypts the letter export files (read by the print provider)',
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.bucket = new Bucket(this, 'Exports', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        { expiration: Duration.days(props.retentionDays ?? 30), noncurrentVersionExpiration: Duration.days(1) },
      ],
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(this.bucket, {
      'AwsSolutions-S1':
        'Export files hold temporary codes: access is limited to two roles, and S3 server access logs would copy object keys to another bucket for no reader.',
    });

    this.exportFunction = handlerFunction(this, {
      name: 'letters-export',
      shared: props.shared,
      environment: { LETTERS_BUCKET: this.bucket.bucketName, LETTERS_KMS_KEY_ID: this.key.keyArn },
      timeout: Duration.minutes(10),
    });
    // Writes its files and checks whether a run's file exists (HeadObject needs GetObject); nothing else.
    this.key.grantEncryptDecrypt(this.exportFunction);
    this.exportFunction.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects('exports/*')],
      }),
    );
    // Every file under the letters key, by name: an upload under aws/s3 (the default of a bare
    // `aws:kms`) would be one the print provider cannot decrypt.
    this.exportFunction.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('exports/*')],
        conditions: {
          StringEquals: {
            's3:x-amz-server-side-encryption': 'aws:kms',
            's3:x-amz-server-side-encryption-aws-kms-key-id': this.key.keyArn,
          },
        },
      }),
    );
    // Without ListBucket, S3 answers a missing file with 403 instead of 404: a run interrupted
    // before its upload would then look "not absent" to every run after it.
    this.exportFunction.addToRolePolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    acknowledge(this.exportFunction, {
      [`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/exports/*]`]:
        'Its own export files under exports/, one per run, named at run time.',
    });

    new Rule(this, 'DailyExport', {
      schedule: Schedule.expression(props.schedule ?? 'cron(0 5 * * ? *)'),
      targets: [new LambdaFunction(this.exportFunction, { retryAttempts: 2 })],
    });
    new Rule(this, 'HourlyCheck', {
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(this.exportFunction, { event: RuleTargetInput.fromObject({ mode: 'check' }) })],
    });

    if (props.printProviderRoleArn) {
      const reader = new ArnPrincipal(props.printProviderRoleArn);
      this.bucket.addToResourcePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          principals: [reader],
          actions: ['s3:GetObject', 's3:ListBucket'],
          resources: [this.bucket.bucketArn, this.bucket.arnForObjects('exports/*')],
        }),
      );
      this.key.grantDecrypt(reader);
    }
  }
}
