import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { parseStageConfig } from '../../lib/stage-config.ts';
import { portalHeaders } from '../../portal/headers.ts';
import { STAGE, synth } from './synth.ts';

const PORTAL_DOMAIN = {
  portalDomainName: 'espace-adherent.mutuelle.example',
  portalCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
};

describe('the reference portal (S3 + CloudFront)', () => {
  const { template } = synth('portal', { portal: true });

  it('serves a private bucket through CloudFront only (origin access control), HTTPS only, compressed', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' }),
        ]),
      },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true }),
        // Page paths are the portal's, not objects of the bucket.
        CustomErrorResponses: Match.arrayWith([
          Match.objectLike({ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html' }),
        ]),
      }),
    });
  });

  it('answers with the local stack’s security headers: a CSP without inline script that names the API, HSTS, no referrer, no framing', () => {
    const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const headers = policy!['Properties']['ResponseHeadersPolicyConfig']['SecurityHeadersConfig'];
    const csp = JSON.stringify(headers['ContentSecurityPolicy']['ContentSecurityPolicy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('connect-src');
    expect(csp).toContain('execute-api');
    expect(headers['StrictTransportSecurity']).toMatchObject({
      AccessControlMaxAgeSec: 31536000,
      IncludeSubdomains: true,
    });
    expect(headers['ReferrerPolicy']['ReferrerPolicy']).toBe('no-referrer');
    expect(headers['FrameOptions']['FrameOption']).toBe('DENY');
  });

  it('a header the local server sends and CloudFront would not (N9): the policy sets every header of portalHeaders, with the same value', () => {
    const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const config = policy!['Properties']['ResponseHeadersPolicyConfig'];
    const security = config['SecurityHeadersConfig'];
    // Tokens of the template (the API's id, the region) rendered as placeholders.
    const render = (value: unknown): string =>
      typeof value === 'string'
        ? value
        : (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
            .map((part) => (typeof part === 'string' ? part : 'TOKEN'))
            .join('');
    const fromCloudFront: Record<string, string> = {
      'Content-Security-Policy': render(security['ContentSecurityPolicy']['ContentSecurityPolicy']),
      'Strict-Transport-Security': `max-age=${security['StrictTransportSecurity']['AccessControlMaxAgeSec']}${security['StrictTransportSecurity']['IncludeSubdomains'] ? '; includeSubDomains' : ''}`,
      'Referrer-Policy': security['ReferrerPolicy']['ReferrerPolicy'],
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': security['FrameOptions']['FrameOption'],
      ...Object.fromEntries(
        (config['CustomHeadersConfig']['Items'] as Array<{ Header: string; Value: string }>).map((h) => [
          h.Header,
          h.Value,
        ]),
      ),
    };
    const apiOrigin = /connect-src 'self' (\S+);/.exec(fromCloudFront['Content-Security-Policy']!)![1]!;
    expect(fromCloudFront).toEqual(portalHeaders(apiOrigin));
    expect(Object.keys(fromCloudFront)).toEqual(
      expect.arrayContaining(['Cross-Origin-Opener-Policy', 'Permissions-Policy']),
    );
  });

  it('deploys the built portal with the API’s URL in config.json, and outputs the portal’s URL', () => {
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    // Two sources: the built files, and config.json whose apiBaseUrl is filled in with the API's URL at deploy time.
    expect(deployment!['Properties']['SourceObjectKeys']).toHaveLength(2);
    expect(JSON.stringify(deployment!['Properties']['SourceMarkers'])).toContain('ApiRestApi');
    template.hasOutput('PortalUrl', {});
  });

  it('gives the portal the customer-service contact of the stage, and the functions that mail it', () => {
    const support = {
      supportPhone: '09 69 32 10 00',
      supportHours: 'du lundi au vendredi',
      supportUrl: 'https://mutuelle.example/contact',
    };
    const { template: withSupport, stack } = synth('portal-support', { portal: true, ...support });
    // config.json is an asset written at synth: the one of this app's assembly holds the contact.
    const outdir = (stack.node.root as App).outdir;
    const configs = readdirSync(outdir)
      .map((entry) => join(outdir, entry, 'config.json'))
      .filter((file) => existsSync(file))
      .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { support?: unknown });
    expect(configs.map((c) => c.support)).toEqual([
      { phone: '09 69 32 10 00', hours: 'du lundi au vendredi', url: 'https://mutuelle.example/contact' },
    ]);
    const login = stack.api.functions.get('login')!;
    const env =
      withSupport.toJSON()['Resources'][stack.getLogicalId(login.node.defaultChild as never)]['Properties'][
        'Environment'
      ]['Variables'];
    expect(env).toMatchObject({ SUPPORT_PHONE: '09 69 32 10 00', SUPPORT_URL: 'https://mutuelle.example/contact' });
  });

  it('on the insurer’s domain: the alias and its us-east-1 certificate, and the portal’s origin allowed by default', () => {
    const { template: onDomain } = synth('portal-domain', {
      portal: true,
      portalOrigins: undefined,
      portalBaseUrl: undefined,
      ...PORTAL_DOMAIN,
    });
    onDomain.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Aliases: [PORTAL_DOMAIN.portalDomainName] }),
    });
    const stage = parseStageConfig('prod', {
      ...STAGE,
      portalOrigins: undefined,
      portalBaseUrl: undefined,
      ...PORTAL_DOMAIN,
    });
    expect(stage.portalOrigins).toEqual([`https://${PORTAL_DOMAIN.portalDomainName}`]);
    expect(stage.portalBaseUrl).toBe(`https://${PORTAL_DOMAIN.portalDomainName}`);
  });

  it('is left out with portal: false (the insurer’s own front end), and then the portal origins must be named', () => {
    synth('no-portal').template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    expect(() => parseStageConfig('prod', { ...STAGE, portalOrigins: undefined })).toThrow(/portalOrigins/);
    expect(() =>
      parseStageConfig('prod', {
        ...STAGE,
        ...PORTAL_DOMAIN,
        portalCertificateArn: PORTAL_DOMAIN.portalCertificateArn.replace('us-east-1', 'eu-west-3'),
      }),
    ).toThrow(/us-east-1/);
  });
});
