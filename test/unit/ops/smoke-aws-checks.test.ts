import { DescribeKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { GetAccountCommand, GetEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetWebACLForResourceCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsDeployedFacts } from '../../../lambdas/adapters/deployment/deployed-facts.ts';
import { awsChecks } from '../../../lambdas/ops/smoke-checks.ts';

const OUTPUTS = {
  ApiUrl: 'https://auth.mutuelle.example/',
  PortalOrigin: 'https://espace.mutuelle.example',
  ApiStageArn: 'arn:aws:apigateway:eu-west-3::/restapis/abc123/stages/v1-api',
  AlarmTopicArn: 'arn:aws:sns:eu-west-3:123456789012:alarms',
  SesIdentity: 'mutuelle.example',
  TokenSigningKeyAlias: 'alias/member-portal-auth/prod/token-signing',
};

function awsAnswering(options: {
  acl?: string;
  subscriptions: string[][];
  sandbox?: boolean;
  verified?: boolean;
  signingKey?: boolean;
}) {
  const waf = mockClient(WAFV2Client);
  waf.on(GetWebACLForResourceCommand).resolves(options.acl ? { WebACL: { Name: options.acl } as never } : {});
  const sns = mockClient(SNSClient);
  options.subscriptions.forEach((page, i) => {
    sns
      .on(ListSubscriptionsByTopicCommand, {
        TopicArn: OUTPUTS.AlarmTopicArn,
        NextToken: i === 0 ? undefined : `p${i}`,
      })
      .resolves({
        Subscriptions: page.map((arn) => ({ SubscriptionArn: arn })),
        ...(i < options.subscriptions.length - 1 ? { NextToken: `p${i + 1}` } : {}),
      });
  });
  const ses = mockClient(SESv2Client);
  ses.on(GetAccountCommand).resolves({ ProductionAccessEnabled: !options.sandbox, SendingEnabled: true });
  ses.on(GetEmailIdentityCommand).resolves({ VerifiedForSendingStatus: options.verified ?? true });
  const kms = mockClient(KMSClient);
  if (options.signingKey === false) {
    kms.on(DescribeKeyCommand).rejects(new NotFoundException({ message: 'Alias is not found.', $metadata: {} }));
  } else {
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', KeyState: 'Enabled', KeyUsage: 'SIGN_VERIFY' } });
  }
  const facts = new AwsDeployedFacts({
    waf: new WAFV2Client({ region: 'eu-west-3' }),
    sns: new SNSClient({ region: 'eu-west-3' }),
    ses: new SESv2Client({ region: 'eu-west-3' }),
    kms: new KMSClient({ region: 'eu-west-3' }),
  });
  return {
    facts,
    restore: () => {
      for (const mock of [waf, sns, ses, kms]) mock.restore();
    },
  };
}

describe('ops smoke, the AWS checks (mocked AWS clients)', () => {
  it('a ready stage: WAF on the stage, a confirmed subscriber (found on the second page), SES out of the sandbox', async () => {
    const aws = awsAnswering({
      acl: 'member-portal-auth-prod',
      subscriptions: [['PendingConfirmation'], ['arn:aws:sns:eu-west-3:123456789012:alarms:1111']],
    });
    const checks = await awsChecks(OUTPUTS, aws.facts);
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['WAF attached to the API', true],
      ['someone receives the alarms', true],
      ['the token signing key is usable', true],
      ['SES can send to members', true],
    ]);
    aws.restore();
  });

  it('the day-one mistakes are each a ✗ saying what to do: no web ACL, only a pending subscription, the SES sandbox', async () => {
    const aws = awsAnswering({ subscriptions: [['PendingConfirmation']], sandbox: true, signingKey: false });
    const checks = await awsChecks(OUTPUTS, aws.facts);
    expect(checks.every((c) => !c.ok)).toBe(true);
    expect(checks.map((c) => c.detail)).toEqual([
      'no web ACL on the API stage',
      expect.stringContaining('no confirmed subscription'),
      expect.stringContaining('rotate-signing-key'),
      expect.stringContaining('SES sandbox'),
    ]);
    aws.restore();
  });

  it('an identity not verified for sending is a ✗ naming it', async () => {
    const aws = awsAnswering({ acl: 'acl', subscriptions: [['arn:aws:sns:x']], verified: false });
    const [, , , ses] = await awsChecks(OUTPUTS, aws.facts);
    expect(ses).toEqual({
      name: 'SES can send to members',
      ok: false,
      detail: 'mutuelle.example is not verified for sending',
    });
    aws.restore();
  });
});
