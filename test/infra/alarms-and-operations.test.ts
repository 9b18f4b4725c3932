import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { embeddedMetric } from '../../lambdas/runtime/logger.ts';
import { resolveIntrinsics } from '../support/aws-rules/template-policies.ts';
import { synth } from './synth.ts';

/** What decides, on day one in AWS, whether an alarm reaches anyone and means what it says. */
describe('alarms that reach someone, about this stage only', () => {
  const { stack, template } = synth('alarms');
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

  it('an alarm is not dropped at its encrypted topic: the topic’s key lets CloudWatch use it (this account only)', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('the 5xx alarm counts this stage’s API only: the REST API is named after the stage, not the default “RestApi”', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'member-portal-auth-alarms' });
    const serverErrors = JSON.stringify(alarms.filter((a) => JSON.stringify(a).includes('5XXError')));
    expect(serverErrors).toContain('"Value":"member-portal-auth-alarms"');
    expect(serverErrors).not.toContain('"Value":"RestApi"');
  });

  it('another stage in the account does not feed these alarms: the functions’ metrics and the alarms on them carry the stage', () => {
    const line = embeddedMetric('LockoutStarted') as { _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][] }> } };
    expect(line._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Stage']]);
    expect(line).toHaveProperty('Stage');
    for (const name of ['LockoutStarted', 'AttemptThrottled', 'MailLost', 'OldestPendingLetterAgeHours']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: name,
        Dimensions: [{ Name: 'Stage', Value: 'alarms' }],
      });
    }
    const fn = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { STAGE_NAME: 'alarms' } } },
    });
    expect(Object.keys(fn).length).toBe(stack.api.functions.size + 4);
  });

  it('a quiet period is neither an alarm nor a gap: the 5xx rate and the DynamoDB throttling sum fill missing series', () => {
    const expressions = alarms.flatMap((a) =>
      ((a['Properties']['Metrics'] ?? []) as Array<{ Expression?: string }>).flatMap((m) => m.Expression ?? []),
    );
    expect(expressions).toContain('IF(FILL(requests, 0) > 0, 100 * FILL(errors, 0) / requests, 0)');
    const sums = expressions.filter((e) => e.startsWith('SUM('));
    expect(sums.length).toBeGreaterThan(0);
    for (const sum of sums) expect(sum).toMatch(/^SUM\(\[FILL\(m0, 0\)(, FILL\(m\d+, 0\))*\]\)$/);
  });

  it('one late hourly letter check is not an alarm: two hours in a row are', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OldestPendingLetterAgeHours',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
    });
  });

  it('errors and throttles of every function are alarmed on, and SES reputation and WAF blocks', () => {
    const watched = (metricName: string) =>
      new Set(
        alarms.flatMap((a) =>
          ((a['Properties']['Metrics'] ?? []) as Array<{ MetricStat?: { Metric: Record<string, unknown> } }>)
            .filter((m) => m.MetricStat?.Metric['MetricName'] === metricName)
            .map((m) => JSON.stringify(m.MetricStat!.Metric['Dimensions'])),
        ),
      );
    expect(watched('Errors').size).toBe(stack.api.functions.size + 4);
    expect(watched('Throttles').size).toBe(stack.api.functions.size + 4);
    for (const metricName of ['Reputation.BounceRate', 'Reputation.ComplaintRate']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SES', MetricName: metricName });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/WAFV2',
      MetricName: 'BlockedRequests',
      Dimensions: Match.arrayWith([{ Name: 'WebACL', Value: 'member-portal-auth-alarms' }]),
    });
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Name: 'member-portal-auth-alarms' });
  });

  it('SES records what became of member mail: the configuration set has a CloudWatch event destination', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        CloudWatchDestination: Match.anyValue(),
      }),
    });
  });
});

describe('what the functions are given', () => {
  it('memory (hence CPU) for argon2id only where codes are derived: login, code change, reset and the letter export, not device-verify', () => {
    const { stack, template } = synth('memory');
    const memoryOf = (name: 'login' | 'code-change' | 'code-reset' | 'device-verify' | 'me') =>
      template.toJSON()['Resources'][stack.getLogicalId(stack.api.functions.get(name)!.node.defaultChild as never)][
        'Properties'
      ]['MemorySize'];
    expect(['login', 'code-change', 'code-reset'].map((n) => memoryOf(n as 'login'))).toEqual([1024, 1024, 1024]);
    expect(memoryOf('device-verify')).toBe(256);
    expect(memoryOf('me')).toBe(256);
    const letters = stack.letters.exportFunction.node.defaultChild as never;
    expect(template.toJSON()['Resources'][stack.getLogicalId(letters)]['Properties']['MemorySize']).toBe(1024);
  });
});

describe('the first sign-in after a deploy', () => {
  it('no private signing key is stored in the stack (no secret, no parameter to write back): the functions name the KMS key aliases the first rotation creates', () => {
    const { template } = synth('secret');
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::SSM::Parameter', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TOKEN_SIGNING_KEY_ALIAS: 'alias/member-portal-auth/secret/token-signing',
          TOKEN_SIGNING_PREVIOUS_KEY_ALIAS: 'alias/member-portal-auth/secret/token-signing-previous',
        }),
      },
    });
  });
});

describe('what a deploy must not do to the account', () => {
  it('does not replace the account’s API Gateway logging role unless asked (apiGatewayLoggingRole)', () => {
    synth('norole').template.resourceCountIs('AWS::ApiGateway::Account', 0);
    synth('role', { apiGatewayLoggingRole: true }).template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  it('a stage that keeps its data cannot be deleted by mistake: termination protection, unless the stage says otherwise', () => {
    expect(synth('kept', { retainData: true }).stack.terminationProtection).toBe(true);
    expect(synth('scratch', { retainData: false }).stack.terminationProtection).toBe(false);
    expect(synth('explicit', { retainData: true, terminationProtection: false }).stack.terminationProtection).toBe(
      false,
    );
  });
});

describe('ops replay-failed-jobs, as the operators’ role', () => {
  const OPERATOR = 'arn:aws:iam::123456789012:role/member-portal-operators';
  const { stack, template } = synth('replay', { operatorRoleArn: OPERATOR });
  const resources = template.toJSON()['Resources'] as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
  const resolved = <T>(value: T) => resolveIntrinsics(value, resources as never) as T;
  const allowed = async (action: string, resource: string, policy: unknown, context: Record<string, string> = {}) => {
    const answer = await runSimulation(
      {
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: policy as never,
        request: {
          action,
          principal: OPERATOR,
          resource: { accountId: '123456789012', resource },
          contextVariables: context,
        },
      },
      {},
    );
    return answer.resultType === 'error' ? JSON.stringify(answer.errors) : answer.overallResult;
  };

  it('may read and delete the failed-jobs queue’s messages and decrypt them through SQS only, by the resources’ own policies', async () => {
    const queueId = stack.getLogicalId(stack.api.failedForgotJobs.node.defaultChild as never);
    const queueArn = `arn:aws:sqs:eu-west-3:123456789012:${queueId}`;
    const queuePolicy = Object.values(resources).find(
      (r) => r.Type === 'AWS::SQS::QueuePolicy' && JSON.stringify(r.Properties['Queues']).includes(queueId),
    )!;
    const document = resolved(queuePolicy.Properties['PolicyDocument']);
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage']) {
      expect({ action, result: await allowed(action, queueArn, document) }).toEqual({ action, result: 'Allowed' });
    }
    const dataKeyId = stack.getLogicalId(stack.keys.data.node.defaultChild as never);
    const keyPolicy = resolved(resources[dataKeyId]!.Properties['KeyPolicy']);
    const key = `arn:aws:kms:eu-west-3:123456789012:key/${dataKeyId}`;
    expect(await allowed('kms:Decrypt', key, keyPolicy, { 'kms:ViaService': 'sqs.eu-west-3.amazonaws.com' })).toBe(
      'Allowed',
    );
    expect(
      await allowed('kms:Decrypt', key, keyPolicy, { 'kms:ViaService': 'dynamodb.eu-west-3.amazonaws.com' }),
    ).not.toBe('Allowed');
  });

  it('may invoke the account worker, which the stack names in its outputs with the queue', () => {
    const workerId = stack.getLogicalId(stack.api.accountWorker.node.defaultChild as never);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: OPERATOR,
      FunctionName: { 'Fn::GetAtt': [workerId, 'Arn'] },
    });
    const outputs = Object.keys(template.toJSON()['Outputs'] as object);
    expect(outputs).toEqual(expect.arrayContaining(['FailedJobsQueueUrl', 'AccountWorkerFunction']));
  });
});

describe('what survives the loss of the stage’s region, and what it costs to watch', () => {
  it('a daily AWS Backup of the table, kept 35 days, copied to another region’s vault when the stage names one', () => {
    const copyVaultArn = 'arn:aws:backup:eu-west-1:123456789012:backup-vault:member-portal-dr';
    const { template } = synth('backup', { backup: { copyVaultArn } });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'member-portal-auth-backup',
        BackupPlanRule: [
          Match.objectLike({
            ScheduleExpression: 'cron(0 3 * * ? *)',
            Lifecycle: { DeleteAfterDays: 35 },
            CopyActions: [{ DestinationBackupVaultArn: copyVaultArn, Lifecycle: { DeleteAfterDays: 35 } }],
          }),
        ],
      },
    });
    template.resourceCountIs('AWS::Backup::BackupSelection', 1);
  });

  it('a copy in the stage’s own region is refused: it would not survive that region’s loss', () => {
    expect(() =>
      synth('samecopy', { backup: { copyVaultArn: 'arn:aws:backup:eu-west-3:123456789012:backup-vault:dr' } }),
    ).toThrow(/backup\.copyVaultArn: a copy in the stage's own region/);
  });

  it('multiRegionKeys: the HMAC keys and the data key are multi-Region primary keys, replicable to a recovery region', () => {
    const { template } = synth('mrk', { multiRegionKeys: true });
    template.resourcePropertiesCountIs('AWS::KMS::Key', { KeySpec: 'HMAC_256', MultiRegion: true }, 4);
    expect(Object.keys(template.findResources('AWS::KMS::Key', { Properties: { MultiRegion: true } }))).toHaveLength(5);
    const single = synth('srk').template;
    expect(Object.keys(single.findResources('AWS::KMS::Key', { Properties: { MultiRegion: true } }))).toHaveLength(0);
  });

  it('no detailed per-method API metrics (the largest line of the bill): the 5xx alarm uses the API-wide ones', () => {
    const { template } = synth('metrics');
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', MetricsEnabled: false }),
      ]),
    });
  });
});
