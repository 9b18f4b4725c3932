import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface WafProps {
  /** The web ACL's name (its CloudWatch metrics are dimensioned by it). */
  readonly name: string;
  /** ARN of the REST API stage to protect. */
  readonly stageArn: string;
  /** The path prefix requests arrive with ('' on a custom domain, '/v1-api' on the execute-api host): what WAF sees. */
  readonly basePath: string;
  /** Requests per 5 minutes from one IP on the sign-in and code routes. @default 300 */
  readonly rateLimit?: number;
  /** Requests per 5 minutes from one IP on every route. @default 3000 */
  readonly globalRateLimit?: number;
}

/** The routes that take a code, as paths of the contract (WAF matches them under the served prefix). */
const CODE_ROUTE_PREFIXES = ['/v1/login', '/v1/code/', '/v1/device/', '/v1/passkeys/authenticate'] as const;

/**
 * AWS WAF in front of the REST API (WAF attaches to REST APIs, not HTTP APIs — hence a REST API):
 * the AWS IP-reputation list and known-bad-inputs rules, a rate limit per IP on the routes that take
 * a code and a broader one on every route, before any function runs. The functions' own lockout
 * and throttles remain the precise guard.
 */
export class Waf extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: WafProps) {
    super(scope, id);
    const visibility = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName: name,
      sampledRequestsEnabled: true,
    });
    const pathStartsWith = (path: string) => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: `${props.basePath}${path}`,
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    });
    const managed = (name: string, priority: number) => ({
      name: `aws-${name}`,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('member-portal-auth'),
      rules: [
        managed('AWSManagedRulesAmazonIpReputationList', 0),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 1),
        {
          name: 'code-routes-per-ip',
          priority: 2,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimit ?? 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: { orStatement: { statements: CODE_ROUTE_PREFIXES.map(pathStartsWith) } },
            },
          },
          visibilityConfig: visibility('code-routes-per-ip'),
        },
        {
          name: 'all-routes-per-ip',
          priority: 3,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.globalRateLimit ?? 3000, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('all-routes-per-ip'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
