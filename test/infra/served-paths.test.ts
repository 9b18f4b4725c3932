import { describe, expect, it } from '@jest/globals';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { ROUTES } from '../../lambdas/contract/routes.ts';
import { selectStage, stagesFromContext } from '../../lib/stage-config.ts';
import { STAGE, synth, WITH_DOMAIN } from './synth.ts';

/**
 * The path requests arrive with, read off the synthesised API as API Gateway will serve it: on a
 * custom domain mapped with an empty base path, the contract's paths; on the execute-api host, the
 * stage name in front of them.
 */
function servedPrefix(template: Template): string {
  const api = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0]!;
  const mappings = Object.values(template.findResources('AWS::ApiGateway::BasePathMapping'));
  if (
    api['Properties']['DisableExecuteApiEndpoint'] === true &&
    mappings.length === 1 &&
    !mappings[0]!['Properties']['BasePath']
  )
    return '';
  const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]!;
  return `/${stage['Properties']['StageName']}`;
}

const wafSearchStrings = (template: Template): string[] =>
  [...JSON.stringify(template.findResources('AWS::WAFv2::WebACL')).matchAll(/"SearchString":"([^"]+)"/g)].map(
    (m) => m[1]!,
  );

const environments = (template: Template) =>
  Object.values(template.findResources('AWS::Lambda::Function'))
    .map((f) => f['Properties']['Environment']?.['Variables'] as Record<string, unknown> | undefined)
    .filter((v): v is Record<string, unknown> => v?.['API_BASE_PATH'] !== undefined);

const CODE_ROUTES = ROUTES.filter(
  (r) => r.path === '/v1/login' || r.path.startsWith('/v1/code/') || r.path.startsWith('/v1/device/'),
);

describe.each([
  ['on the execute-api host', {}],
  ['on the insurer’s domain', WITH_DOMAIN],
])('the deployed paths %s (security review of the deployed stack, items 1 and 2)', (_layout, overrides) => {
  const { template } = synth('paths', overrides);
  const prefix = servedPrefix(template);

  it('the refresh cookie follows the path the API is really served at', () => {
    const envs = environments(template);
    expect(envs.length).toBeGreaterThan(10);
    for (const env of envs) expect(env['API_BASE_PATH']).toBe(prefix);
  });

  it('the WAF rate rule on the code routes matches the paths WAF sees', () => {
    const searches = wafSearchStrings(template);
    for (const route of CODE_ROUTES) expect(searches.some((s) => `${prefix}${route.path}`.startsWith(s))).toBe(true);
    // And nothing else: a rule on another prefix would never fire.
    for (const search of searches) expect(search.startsWith(`${prefix}/v1/`)).toBe(true);
  });

  it('a broader per-IP rate rule over all routes, and the AWS known-bad-inputs rules, stand beside it', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
        }),
        Match.objectLike({
          Name: 'all-routes-per-ip',
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 3000, AggregateKeyType: 'IP' } },
        }),
      ]),
    });
  });
});

describe('a stage on the insurer’s domain', () => {
  const { stack, template } = synth('domain', WITH_DOMAIN);

  it('serves the API there with an empty base path, and disables the execute-api endpoint', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'auth.mutuelle.example',
      SecurityPolicy: 'TLS_1_2',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    const mapping = Object.values(template.findResources('AWS::ApiGateway::BasePathMapping'))[0]!;
    expect(mapping['Properties']['BasePath']).toBeUndefined();
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'auth.mutuelle.example.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
    });
  });

  it('issues tokens as https://<apiDomainName>, where its discovery document is served', () => {
    for (const env of environments(template)) expect(env['JWT_ISSUER']).toBe('https://auth.mutuelle.example');
    expect(stack.api.basePath).toBe('');
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cannot refresh'));
  });

  it('refuses a domain without its certificate, or an issuer elsewhere', () => {
    expect(() => synth('broken', { apiDomainName: 'auth.mutuelle.example' })).toThrow(/apiCertificateArn/);
    expect(() => synth('broken', { ...WITH_DOMAIN, issuer: 'https://other.example' })).toThrow(/issuer/);
  });
});

describe('a stage without a custom domain (crossSiteApi: no browser uses it)', () => {
  it('synthesises, and warns that browser sessions cannot refresh there', () => {
    const { stack } = synth('nodomain');
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('browser sessions cannot refresh'));
  });
});

describe('API Gateway’s own answers (security review of the deployed stack, item 4)', () => {
  const { template } = synth('answers');
  const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map(
    (r) => r['Properties'],
  );
  const byType = (type: string) => responses.find((r) => r['ResponseType'] === type)!;

  it.each([
    ['THROTTLED', '429', 'TOO_MANY_ATTEMPTS'],
    ['WAF_FILTERED', '403', 'REQUEST_BLOCKED'],
    ['REQUEST_TOO_LARGE', '413', 'PAYLOAD_TOO_LARGE'],
    ['INTEGRATION_TIMEOUT', '503', 'SERVICE_UNAVAILABLE'],
    ['DEFAULT_4XX', undefined, 'MALFORMED_REQUEST'],
    ['DEFAULT_5XX', undefined, 'INTERNAL'],
  ])(
    '%s answers %s in the contract envelope, in French, with the security headers, the request id and CORS',
    (type, status, code) => {
      const response = byType(type);
      expect(response['StatusCode']).toBe(status);
      const body = JSON.parse(response['ResponseTemplates']['application/json']) as {
        error: { code: string; message: string; requestId?: string };
      };
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(/[éèà]|Réessayez|requête|demande/);
      const headers = response['ResponseParameters'] as Record<string, string>;
      for (const header of [
        'Strict-Transport-Security',
        'X-Content-Type-Options',
        'Cache-Control',
        'Referrer-Policy',
      ]) {
        expect(headers[`gatewayresponse.header.${header}`]).toMatch(/^'.+'$/);
      }
      expect(headers['gatewayresponse.header.x-request-id']).toBe('context.requestId');
      expect(headers['gatewayresponse.header.Access-Control-Allow-Origin']).toBe(`'${STAGE.portalOrigins[0]}'`);
      if (code === 'INTERNAL' || code === 'SERVICE_UNAVAILABLE')
        expect(body.error.requestId).toBe('$context.requestId');
    },
  );

  it('throttling, WAF blocks and timeouts say when to try again', () => {
    for (const type of ['THROTTLED', 'WAF_FILTERED', 'INTEGRATION_TIMEOUT']) {
      expect(
        (byType(type)['ResponseParameters'] as Record<string, string>)['gatewayresponse.header.Retry-After'],
      ).toMatch(/^'\d+'$/);
    }
  });
});

describe('stages given on the command line (security review of the deployed stack, item 5)', () => {
  it('accepts "stages" as JSON text (-c stages=…) as well as an object (cdk.json)', () => {
    const stages = { prod: STAGE };
    expect(selectStage('prod', JSON.stringify(stages)).issuer).toBe(STAGE.issuer);
    expect(selectStage('prod', stages).issuer).toBe(STAGE.issuer);
    expect(() => stagesFromContext('{not json')).toThrow(/not valid JSON/);
    expect(() => selectStage('staging', JSON.stringify(stages))).toThrow(/No stage "staging"/);
  });
});
