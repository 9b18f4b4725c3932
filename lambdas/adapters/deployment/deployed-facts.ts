import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeKeyCommand, type KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { GetAccountCommand, GetEmailIdentityCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { ListSubscriptionsByTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { GetWebACLForResourceCommand, type WAFV2Client } from '@aws-sdk/client-wafv2';

/** What the AWS half reads: the stack's outputs and four questions to AWS. */
export interface DeployedFacts {
  webAclOf(stageArn: string): Promise<string | undefined>;
  confirmedSubscriptions(topicArn: string): Promise<number>;
  ses(identity: string): Promise<{ productionAccess: boolean; sendingEnabled: boolean; identityVerified: boolean }>;
  /** The key under the signing alias: absent before the first rotation. */
  signingKey(alias: string): Promise<{ enabled: boolean; usage: string } | undefined>;
}

/** A deployed stack's outputs by name. */
export async function stackOutputs(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<Record<string, string>> {
  const { Stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  return Object.fromEntries((Stacks[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

export { CloudFormationClient };

/** What AWS says of a deployed stage: WAF, the alarm topic's subscriptions, SES. */
export class AwsDeployedFacts implements DeployedFacts {
  readonly #clients: { waf: WAFV2Client; sns: SNSClient; ses: SESv2Client; kms: KMSClient };

  constructor(clients: { waf: WAFV2Client; sns: SNSClient; ses: SESv2Client; kms: KMSClient }) {
    this.#clients = clients;
  }

  async webAclOf(stageArn: string): Promise<string | undefined> {
    const { WebACL } = await this.#clients.waf.send(new GetWebACLForResourceCommand({ ResourceArn: stageArn }));
    return WebACL?.Name;
  }

  async confirmedSubscriptions(topicArn: string): Promise<number> {
    let confirmed = 0;
    let token: string | undefined;
    do {
      const page = await this.#clients.sns.send(
        new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }),
      );
      confirmed += (page.Subscriptions ?? []).filter((s) => s.SubscriptionArn?.startsWith('arn:')).length;
      token = page.NextToken;
    } while (token);
    return confirmed;
  }

  async signingKey(alias: string) {
    try {
      const { KeyMetadata } = await this.#clients.kms.send(new DescribeKeyCommand({ KeyId: alias }));
      return { enabled: KeyMetadata?.KeyState === 'Enabled', usage: KeyMetadata?.KeyUsage ?? '?' };
    } catch (error) {
      if (error instanceof NotFoundException) return undefined;
      throw error;
    }
  }

  async ses(identity: string) {
    const account = await this.#clients.ses.send(new GetAccountCommand({}));
    const email = await this.#clients.ses.send(new GetEmailIdentityCommand({ EmailIdentity: identity }));
    return {
      productionAccess: account.ProductionAccessEnabled === true,
      sendingEnabled: account.SendingEnabled === true,
      identityVerified: email.VerifiedForSendingStatus === true,
    };
  }
}
