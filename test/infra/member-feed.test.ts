import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { synth } from './synth.ts';

/** The membership feed in AWS (operations.md, "membership at scale"): a Step Functions Distributed Map, not a home-made scheduler. */
const { stack, template } = synth();

/** The state machine's definition, as Step Functions will read it (the template's Fn::Join resolved to text). */
function definition(): Record<string, unknown> {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const body = machine!['Properties']['DefinitionString'] as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<ref>')).join('');
  return JSON.parse(text) as Record<string, unknown>;
}

describe('the membership feed', () => {
  it('reads the dropped CSV from S3 in a Distributed Map, rows in batches to the Lambda worker, results written to the bucket, then the report', () => {
    const states = definition()['States'] as Record<string, Record<string, unknown>>;
    const map = states['Rows']!;
    expect(map['Type']).toBe('Map');
    expect(map['ItemReader']).toMatchObject({
      Resource: 'arn:<ref>:states:::s3:getObject',
      ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
      Parameters: { 'Key.$': '$.key' },
    });
    expect(map['ItemSelector']).toEqual({ 'row.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' });
    expect(map['ItemBatcher']).toEqual({ MaxItemsPerBatch: 250, BatchInput: { 'key.$': '$.key' } });
    expect(map['MaxConcurrency']).toBe(40);
    // No failure tolerated (Step Functions' default, which CDK leaves out): a batch that fails after its retries fails the import.
    expect(map['ToleratedFailurePercentage'] ?? 0).toBe(0);
    expect(map['ToleratedFailureCount'] ?? 0).toBe(0);
    expect(map['ResultWriter']).toMatchObject({
      Resource: 'arn:<ref>:states:::s3:putObject',
      Parameters: { Prefix: 'results' },
      WriterConfig: { OutputType: 'JSON', Transformation: 'NONE' },
    });
    const processor = map['ItemProcessor'] as {
      ProcessorConfig: unknown;
      States: Record<string, Record<string, unknown>>;
    };
    expect(processor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(processor.States['ImportBatch']?.['Retry']).toContainEqual(
      expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 3, BackoffRate: 2 }),
    );
    expect(map['Next']).toBe('WriteReport');
    expect(states['WriteReport']?.['End']).toBe(true);
  });

  it('starts on a file under members/ or clients/ (S3 → EventBridge), logs without execution data, and alarms on a failed import', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: Match.objectLike({ object: { key: [{ prefix: 'members/' }, { prefix: 'clients/' }] } }),
      }),
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
    const machine = stack.getLogicalId(stack.memberFeed.stateMachine.node.defaultChild as never);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machine } }],
      AlarmActions: Match.anyValue(),
    });
  });

  it('the worker holds what the import needs, and no signing key, no mail, no S3; the report function only the bucket’s results and reports', () => {
    const worker = JSON.stringify(template.toJSON()['Resources']);
    expect(worker).toContain('MemberFeed');
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const of = (fragment: string) =>
      JSON.stringify(policies.filter((p) => JSON.stringify(p['Properties']['Roles']).includes(fragment)));
    const batch = of('memberfeedbatch');
    expect(batch).toContain('dynamodb:UpdateItem');
    expect(batch).not.toContain('kms:Sign');
    expect(batch).not.toContain('ses:');
    expect(batch).not.toContain('s3:');
    const report = of('memberfeedreport');
    expect(report).toContain('/results/*');
    expect(report).toContain('/reports/*');
    expect(report).not.toContain('dynamodb:');
  });
});
