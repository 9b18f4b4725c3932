import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface WafProps {
  /** ARN of the REST API stage to protect. */
  readonly stageArn: string;
  /** Requests per 5 minutes from one IP on the sign-in and code routes. @default 300 */
  readonly rateLimit?: number;
}

/**
 * AWS WAF in front of the REST API (WAF attaches to REST APIs, not HTTP APIs — hence a REST API):
 * the AWS IP-reputation list, and a rate limit per IP on the routes that take a code, before any
 * function runs. The functions' own lockout and throttles remain the precise guard.
 */
export class Waf extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: WafProps) {
    super(scope, id);
    const visibility = (name: string) => ({ cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });
    const pathStartsWith = (path: string) => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: path,
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('member-portal-auth'),
      rules: [
        {
          name: 'aws-ip-reputation',
          priority: 0,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
          visibilityConfig: visibility('ip-reputation'),
        },
        {
          name: 'code-routes-per-ip',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimit ?? 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: { orStatement: { statements: [pathStartsWith('/v1/login'), pathStartsWith('/v1/code/')] } },
            },
          },
          visibilityConfig: visibility('code-routes-per-ip'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
