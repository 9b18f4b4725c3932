import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseStageConfig } from '../../lib/stage-config.ts';
import { STAGE, WITH_DOMAIN } from './synth.ts';

/**
 * The refresh cookie is SameSite=Strict: a browser keeps and sends it only when the portal and the
 * API are one site. A stage where they are not deploys, and every member is signed out after 15
 * minutes — so it is refused at synth, with what to set.
 */
const BROWSER_STAGE = { ...STAGE, crossSiteApi: undefined };
const PORTAL_DOMAIN = {
  portal: true,
  portalDomainName: 'espace-adherent.mutuelle.example',
  portalCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
};

const problemsOf = (raw: Record<string, unknown>): string => {
  try {
    parseStageConfig('prod', raw);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('the portal and the API are one site, or the stage is refused', () => {
  it('an API left on its execute-api host is refused for a stage browsers use, naming apiDomainName and a name under the portal’s domain', () => {
    expect(problemsOf({ ...BROWSER_STAGE, ...PORTAL_DOMAIN })).toMatch(
      /apiDomainName: .*set apiDomainName and apiCertificateArn to a name under mutuelle\.example, e\.g\. auth\.mutuelle\.example/,
    );
  });

  it('a portal served from its own *.cloudfront.net host is refused, naming portalDomainName', () => {
    expect(problemsOf({ ...BROWSER_STAGE, ...WITH_DOMAIN, portal: true })).toMatch(
      /portalDomainName: .*\*\.cloudfront\.net.*set portalDomainName and portalCertificateArn/,
    );
  });

  it('a portal and an API on two registrable domains are refused, and so is a public suffix shared by two registrants (co.uk)', () => {
    expect(
      problemsOf({
        ...BROWSER_STAGE,
        ...WITH_DOMAIN,
        apiDomainName: 'auth.mutuelle-sante.example',
        issuer: undefined,
      }),
    ).toMatch(
      /portalOrigins: espace-adherent\.mutuelle\.example is another site than the API's auth\.mutuelle-sante\.example/,
    );
    expect(
      problemsOf({
        ...BROWSER_STAGE,
        portalOrigins: ['https://espace.mutuelle.co.uk'],
        portalBaseUrl: 'https://espace.mutuelle.co.uk',
        apiDomainName: 'auth.autre-mutuelle.co.uk',
        apiCertificateArn: WITH_DOMAIN.apiCertificateArn,
        issuer: undefined,
      }),
    ).toMatch(/another site/);
  });

  it('one site passes: the portal and the API under one registrable domain', () => {
    expect(problemsOf({ ...BROWSER_STAGE, ...WITH_DOMAIN, ...PORTAL_DOMAIN, issuer: undefined })).toBe('');
  });

  it('the example stage of cdk.json is one site as written', () => {
    const example = (
      JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as {
        context: { stages: { example: Record<string, unknown> } };
      }
    ).context.stages.example;
    expect(problemsOf(example)).toBe('');
  });

  it('a stage no browser uses may say so: crossSiteApi accepts an API on its execute-api host', () => {
    expect(problemsOf({ ...BROWSER_STAGE, crossSiteApi: true })).toBe('');
  });
});
