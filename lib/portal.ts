import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { SupportContact } from '../lambdas/domain/support-contact.ts';
import { buildPortalSync } from '../portal/build.ts';
import { CLOUDFRONT_SECURITY_HEADERS, HSTS_MAX_AGE_SECONDS, portalHeaders } from '../portal/headers.ts';
import { acknowledge, nagPlaceholders } from './nag-acknowledgements.ts';

export interface PortalProps {
  /** The API's URL, given to the portal at deploy time (`config.json`). */
  readonly apiBaseUrl: string;
  /** The customer-service contact the pages show (`config.json`). */
  readonly support?: SupportContact;
  /** The API's origin: the only one the portal's pages may connect to (CSP connect-src). */
  readonly apiOrigin: string;
  readonly domain?: { readonly domainName: string; readonly certificateArn: string } | undefined;
  readonly retain: boolean;
}

/**
 * The reference member portal: a private bucket behind CloudFront (origin access control), the
 * security headers of the local stack as a response-headers policy (CSP, HSTS, no referrer, no
 * framing), every page path answered with index.html, the API's URL in `config.json`.
 */
export class Portal extends Construct {
  readonly distribution: Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    const bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });
    // The local server's headers, from the same definition: the security ones CloudFront knows, the rest as custom headers.
    const wanted = portalHeaders(props.apiOrigin);
    const security: readonly string[] = CLOUDFRONT_SECURITY_HEADERS;
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: wanted['Content-Security-Policy']!, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS),
          includeSubdomains: true,
          override: true,
        },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
      },
      customHeadersBehavior: {
        customHeaders: Object.entries(wanted)
          .filter(([name]) => !security.includes(name))
          .map(([header, value]) => ({ header, value, override: true })),
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: headers,
        // Brotli or gzip for browsers that take them (the local server does the same).
        compress: true,
      },
      defaultRootObject: 'index.html',
      // The portal routes in the browser: a page path is not an object of the bucket.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.minutes(5),
      })),
      ...(props.domain
        ? {
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            domainNames: [props.domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
          }
        : {}),
    });
    this.url = props.domain
      ? `https://${props.domain.domainName}`
      : `https://${this.distribution.distributionDomainName}`;
    new BucketDeployment(this, 'Files', {
      destinationBucket: bucket,
      sources: [
        Source.asset(buildPortalSync(join(process.cwd(), 'cdk.out', 'portal-build'))),
        Source.jsonData('config.json', { apiBaseUrl: props.apiBaseUrl, support: props.support ?? {} }),
      ],
      distribution: this.distribution,
    });
    acknowledge(this, {
      'AwsSolutions-S1':
        'Static, public files of the portal: access logs of the bucket add nothing CloudFront cannot log.',
      'AwsSolutions-CFR1': 'Members live abroad too: no geographic restriction.',
      'AwsSolutions-CFR2': 'Static files only; the API, which takes the attempts, sits behind its own WAF.',
      'AwsSolutions-CFR3': 'Static files only; the API logs every request (access log).',
      'AwsSolutions-CFR4':
        'On the insurer’s domain TLS 1.2 is the minimum; without one, CloudFront’s default certificate (its policy fixed) serves a test stage.',
    });
    // The CDK's deployment helper (one function per stack, outside this construct): it copies the
    // built files from the CDK asset bucket into this bucket and invalidates the distribution.
    const stack = Stack.of(this);
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnBucket);
    // cdk-nag names the account as written in the template: a token without `account`, the number with it.
    const accountInFindings = nagPlaceholders(stack).account;
    const helper =
      'The CDK deployment helper copying the portal files from the CDK asset bucket into the portal bucket';
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      acknowledge(child, {
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': `${helper} logs with the managed basic execution policy.`,
        'AwsSolutions-IAM5[Action::s3:GetBucket*]': `${helper}: CDK grant.`,
        'AwsSolutions-IAM5[Action::s3:GetObject*]': `${helper}: CDK grant.`,
        'AwsSolutions-IAM5[Action::s3:List*]': `${helper}: CDK grant.`,
        'AwsSolutions-IAM5[Action::s3:Abort*]': `${helper}: CDK grant.`,
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]': `${helper}: CDK grant (files removed from the portal go).`,
        [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${accountInFindings}-${stack.region}/*]`]: `${helper}: reads the asset.`,
        [`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`]: `${helper}: writes the portal's objects.`,
        'AwsSolutions-IAM5[Resource::*]': `${helper}: CloudFront invalidations take no resource ARN.`,
        'AwsSolutions-L1': `${helper}: its runtime is chosen by the CDK version.`,
      });
    }
  }
}
