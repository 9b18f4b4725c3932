import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { type FunctionName, ROUTES } from '../../lambdas/contract/routes.ts';
import type { MemberPortalAuthStack } from '../../lib/member-portal-auth-stack.ts';
import { parseStageConfig } from '../../lib/stage-config.ts';
import { actionsOf as actionsIn, STAGE, synth } from './synth.ts';

let stack: MemberPortalAuthStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = synth());
});

const actionsOf = (name: FunctionName) => actionsIn(stack, template, name);

describe('infrastructure', () => {
  it('has no cdk-nag AwsSolutions finding left unacknowledged (synth would throw)', () => {
    expect(() => synth('nag')).not.toThrow();
  });

  it('runs every function on Node.js 24, arm64, one per route plus the catch-all, logging JSON set explicitly', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const ours = Object.values(functions).filter(
      (f) => f['Properties']['Runtime'] !== undefined && f['Properties']['Handler'] === 'index.handler',
    );
    // One per route, the catch-all, the account worker, the letter export, the ends of access and the feed's two.
    expect(ours).toHaveLength(ROUTES.length + 6);
    for (const f of ours) {
      expect(f['Properties']['Runtime']).toBe('nodejs24.x');
      expect(f['Properties']['Architectures']).toEqual(['arm64']);
      // The logger writes its lines (and their EMF metrics) to stdout itself: the format is set, not inherited.
      expect(f['Properties']['LoggingConfig']).toMatchObject({ LogFormat: 'JSON' });
    }
  });

  it('gives the functions names and ARNs only, never a secret value', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          KEYS_SOURCE: 'aws',
          TOKEN_SIGNING_KEY_ALIAS: 'alias/member-portal-auth/test/token-signing',
          NIR_LOOKUP_KMS_KEY_ID: Match.anyValue(),
        }),
      },
    });
    const env = JSON.stringify(
      Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f['Properties']['Environment']),
    );
    expect(env).not.toMatch(/PRIVATE|"d":|BEGIN/);
  });

  it('grants each function only what its route needs', () => {
    expect(actionsOf('login')).toEqual(
      expect.arrayContaining(['kms:GenerateMac', 'dynamodb:PutItem', 'kms:Sign', 'lambda:InvokeFunction']),
    );
    // The sign-in mails the new-device code; the routes that only read never send mail.
    expect(actionsOf('login')).toContain('ses:SendEmail');
    expect(actionsOf('me')).not.toContain('ses:SendEmail');
    expect(actionsOf('me-sessions')).not.toContain('ses:SendEmail');
    expect(actionsOf('code-change')).toEqual(expect.arrayContaining(['ses:SendEmail', 'kms:GenerateMac']));
    expect(actionsOf('me')).not.toContain('dynamodb:PutItem');
    expect(actionsOf('me')).not.toContain('kms:GenerateMac');
    expect(actionsOf('jwks').some((a) => a.startsWith('dynamodb:'))).toBe(false);
    expect(actionsOf('health')).toEqual([]);
    expect(actionsOf('openid-configuration')).toEqual([]);
    // /v1/code/forgot reads nothing and sends nothing itself: a keyed hash, a count in its
    // per-IP throttle window (THROTTLE# items only) and an async hand-off.
    expect(
      actionsOf('code-forgot')
        .filter((a) => !a.startsWith('kms:') || a === 'kms:GenerateMac')
        .sort(),
    ).toEqual(['dynamodb:UpdateItem', 'kms:GenerateMac', 'lambda:InvokeFunction']);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'dynamodb:UpdateItem',
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['THROTTLE#*'] } },
          }),
        ]),
      },
    });
    expect(actionsOf('account-worker')).toEqual(expect.arrayContaining(['ses:SendEmail', 'dynamodb:UpdateItem']));
    expect(actionsOf('account-worker')).not.toContain('kms:GenerateMac');
  });

  it('sends mail only from the configured SES identity and From address, through a set that suppresses bounces', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ses:SendEmail',
            Resource: Match.arrayWith([
              { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':identity/mutuelle.example$')])] },
            ]),
            Condition: { StringEquals: { 'ses:FromAddress': 'no-reply@mutuelle.example' } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: Match.arrayWith(['BOUNCE', 'COMPLAINT']) },
    });
  });

  it('keeps letter exports encrypted, private, TLS-only, versioned and for 30 days; only the export writes', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
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
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const writers = Object.values(template.findResources('AWS::IAM::Policy')).filter(
      (p) => JSON.stringify(p).includes('s3:PutObject') && JSON.stringify(p).includes('LettersExports'),
    );
    expect(writers).toHaveLength(1);
    expect(actionsOf('letters-export')).toEqual(expect.arrayContaining(['s3:PutObject', 'kms:GenerateMac']));
    expect(actionsOf('letters-export')).not.toContain('ses:SendEmail');
    expect(actionsOf('letters-export')).not.toContain('kms:Sign');
    // The export cannot read sessions, challenges, counters or reset links: fine-grained access by partition.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['dynamodb:GetItem']),
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LETTER#*', 'MEMBER#*'] } },
          }),
        ]),
      },
    });
    const exportStatements = JSON.stringify(actionsOf('letters-export'));
    expect(exportStatements).not.toContain('dynamodb:*');
  });

  it('runs the export daily and checks the queue hourly', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 5 * * ? *)' });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [Match.objectLike({ Input: '{"mode":"check"}' })],
    });
  });

  it('records the ends of access hourly (EventBridge → the access-ends function, retried), the function limited to the day’s entries', () => {
    const fn = stack.getLogicalId(stack.accessEnds.runFunction.node.defaultChild as never);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    const statements = JSON.stringify(actionsOf('access-ends'));
    expect(statements).not.toContain('dynamodb:*');
    expect(statements).not.toContain('kms:Sign');
    expect(statements).not.toContain('ses:');
  });

  it('keeps an account job (forgotten code, lock notice) that failed three times in an encrypted queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
    });
  });

  it('puts AWS WAF in front of the API: IP reputation, known bad inputs and per-IP rate limits', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' },
          },
        }),
        Match.objectLike({
          Action: { Block: {} },
          Statement: { RateBasedStatement: Match.objectLike({ Limit: 300, AggregateKeyType: 'IP' }) },
        }),
      ]),
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('alarms on a letter pending 36 hours, 5xx, lockout spikes, throttled attempts, lost mail and DynamoDB throttling', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OldestPendingLetterAgeHours',
      Threshold: 36,
      TreatMissingData: 'breaching',
      AlarmActions: Match.anyValue(),
    });
    for (const name of ['LockoutStarted', 'AttemptThrottled', 'MailLost']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: name, Namespace: 'MemberPortalAuth' });
    }
    // Those seven; errors and throttles of the functions by groups of ten; bounce and complaint rates; WAF blocks.
    const groups = Math.ceil((stack.api.functions.size + 4) / 10);
    // … and the membership feed's failed imports.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 7 + 2 * groups + 3 + 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('keeps the NIR lookup key, the code pepper, the refresh-token, letter-code and passkey-challenge keys as non-exportable KMS HMAC keys', () => {
    // Letter codes are derived with a key of their own, which only the letter export holds.
    const macOnLetterKey = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes(stack.getLogicalId(stack.keys.letterCode.node.defaultChild as never)),
    );
    expect(macOnLetterKey).toHaveLength(1);
    template.resourcePropertiesCountIs('AWS::KMS::Key', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, 5);
    // All kept when the stack goes but the passkey-challenge key, which protects 5-minute challenges.
    const kept = Object.values(template.findResources('AWS::KMS::Key', { Properties: { KeySpec: 'HMAC_256' } })).map(
      (k) => k['DeletionPolicy'],
    );
    expect(kept.sort()).toEqual(['Delete', 'Retain', 'Retain', 'Retain', 'Retain']);
  });

  it('stores data on-demand, encrypted with a customer key, with PITR, TTL and deletion protection', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
  });

  it("sends every other method and path to the catch-all function, never to API Gateway's own 403", () => {
    const notFound = stack.getLogicalId(stack.api.functions.get('not-found')!.node.defaultChild as never);
    const anyMethods = Object.values(
      template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'ANY' } }),
    );
    // root, {proxy+}, and v1, login, code, change, forgot, reset, terms, current, accept, session, refresh, logout, me,
    // .well-known, jwks.json, openid-configuration, health, openapi.json, device, verify, me/sessions, me/sessions/{id},
    // me/sessions/revoke-others, me/devices, me/devices/{id}, passkeys, passkeys/register, …/register/options,
    // passkeys/authenticate, …/authenticate/options, passkeys/{id}, passkeys/{id}/name, passkeys/code-sign-in, me/code,
    // code/reset/check, device/resend
    expect(anyMethods.length).toBe(2 + 18 + 7 + 8 + 1 + 2);
    for (const method of anyMethods) expect(JSON.stringify(method)).toContain(notFound);
  });

  it('exposes every route of the contract, logs access without bodies', () => {
    for (const route of ROUTES) {
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: route.path.split('/').pop() });
    }
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ DataTraceEnabled: false, LoggingLevel: 'ERROR' }),
        Match.objectLike({ HttpMethod: 'POST', ResourcePath: '/~1v1~1login', ThrottlingRateLimit: 50 }),
      ]),
      AccessLogSetting: Match.objectLike({ Format: Match.not(Match.stringLikeRegexp('requestBody|\\$input')) }),
    });
  });
});

describe('stage configuration', () => {
  it('synthesises two stages with different settings side by side', () => {
    const a = synth('staging', { retainData: false });
    const b = synth('prod', { portalOrigins: ['https://espace-adherent.other.example'] });
    a.template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
    b.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PORTAL_ORIGINS: 'https://espace-adherent.other.example' }) },
    });
  });

  it('new-device verification is on unless a stage turns it off', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NEW_DEVICE_VERIFICATION: 'true' }) },
    });
    synth('lenient', { newDeviceVerification: false }).template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NEW_DEVICE_VERIFICATION: 'false' }) },
    });
  });

  it('names the missing or wrong value', () => {
    expect(() => parseStageConfig('prod', { ...STAGE, mailFrom: undefined })).toThrow(
      /Stage "prod" is misconfigured: mailFrom/,
    );
    expect(() => parseStageConfig('prod', { ...STAGE, portalBaseUrl: 'http://insecure.example' })).toThrow(
      /portalBaseUrl/,
    );
  });

  it('refuses at synth a lockout outside the CNIL envelope (more than 10 consecutive failures, or 25 a day)', () => {
    expect(() => parseStageConfig('prod', { ...STAGE, lockout: { maxFailuresPerDay: 1000 } })).toThrow(
      /lockout.maxFailuresPerDay/,
    );
    expect(() => parseStageConfig('prod', { ...STAGE, lockout: { maxConsecutiveFailures: 11 } })).toThrow(
      /lockout.maxConsecutiveFailures/,
    );
  });
});
