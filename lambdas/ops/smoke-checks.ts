import type { DeployedFacts } from '../adapters/deployment/deployed-facts.ts';
/**
 * What `ops smoke` checks after a deploy: the API as a browser and an integrator meet it (HTTP),
 * and what only AWS can say (WAF attached, someone subscribed to the alarms, SES able to send).
 * Each check answers ✓ or ✗ with what was seen; none sends a NIR, a code or a token.
 */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ApiUnderSmoke {
  /** The API's base URL, with its base path (e.g. https://auth.mutuelle.fr/ or …/v1-api/). */
  readonly apiUrl: string;
  /** The portal origin the API must allow (CORS). */
  readonly portalOrigin: string;
}

type Fetch = typeof fetch;

const REQUIRED_HEADERS = [
  'strict-transport-security',
  'x-content-type-options',
  'content-security-policy',
  'cache-control',
];

async function check(name: string, probe: () => Promise<string>): Promise<Check> {
  try {
    return { name, ok: true, detail: await probe() };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

function expectThat(condition: boolean, failure: string): void {
  if (!condition) throw new Error(failure);
}

export async function httpChecks(target: ApiUnderSmoke, fetchImpl: Fetch = fetch): Promise<Check[]> {
  const url = (path: string) =>
    new URL(path.replace(/^\//, ''), target.apiUrl.endsWith('/') ? target.apiUrl : `${target.apiUrl}/`);
  const get = (path: string, init: RequestInit = {}) =>
    fetchImpl(url(path), { ...init, signal: AbortSignal.timeout(10_000), redirect: 'manual' });
  return [
    await check('health', async () => {
      const answer = await get('/v1/health');
      expectThat(answer.status === 200, `GET /v1/health answered ${answer.status}`);
      return 'GET /v1/health 200';
    }),
    await check('discovery and JWKS', async () => {
      const discovery = (await (await get('/.well-known/openid-configuration')).json()) as {
        issuer?: string;
        jwks_uri?: string;
      };
      expectThat(Boolean(discovery.issuer && discovery.jwks_uri), 'no issuer or jwks_uri in the discovery document');
      const jwks = (await (await fetchImpl(discovery.jwks_uri!, { signal: AbortSignal.timeout(10_000) })).json()) as {
        keys?: unknown[];
      };
      expectThat((jwks.keys?.length ?? 0) > 0, 'the JWKS has no key: run `npm run -s ops -- rotate-signing-key`');
      return `issuer ${discovery.issuer}, ${jwks.keys!.length} key(s) published`;
    }),
    await check('CORS preflight from the portal', async () => {
      const answer = await get('/v1/login', {
        method: 'OPTIONS',
        headers: { Origin: target.portalOrigin, 'Access-Control-Request-Method': 'POST' },
      });
      const allowed = answer.headers.get('access-control-allow-origin');
      expectThat(
        allowed === target.portalOrigin,
        `Access-Control-Allow-Origin is ${allowed ?? 'absent'}, not ${target.portalOrigin}`,
      );
      expectThat(answer.headers.get('access-control-allow-credentials') === 'true', 'credentials not allowed');
      return `${target.portalOrigin} allowed, with credentials`;
    }),
    await check('security headers', async () => {
      const answer = await get('/v1/health');
      const missing = REQUIRED_HEADERS.filter((h) => !answer.headers.get(h));
      expectThat(missing.length === 0, `missing: ${missing.join(', ')}`);
      return REQUIRED_HEADERS.join(', ');
    }),
    await check('the contract’s envelope on an unknown route', async () => {
      const answer = await get('/v1/smoke-test-unknown-route');
      const body = (await answer.json().catch(() => ({}))) as { error?: { code?: string } };
      expectThat(
        answer.status === 404 && body.error?.code === 'NOT_FOUND',
        `answered ${answer.status} ${JSON.stringify(body)}`,
      );
      return '404 NOT_FOUND in the envelope';
    }),
  ];
}

export interface StackOutputs {
  readonly ApiUrl: string;
  readonly PortalOrigin: string;
  readonly ApiStageArn: string;
  readonly AlarmTopicArn: string;
  readonly SesIdentity: string;
  readonly TokenSigningKeyAlias: string;
}

export async function awsChecks(outputs: StackOutputs, facts: DeployedFacts): Promise<Check[]> {
  return [
    await check('WAF attached to the API', async () => {
      const acl = await facts.webAclOf(outputs.ApiStageArn);
      expectThat(Boolean(acl), 'no web ACL on the API stage');
      return acl!;
    }),
    await check('someone receives the alarms', async () => {
      const confirmed = await facts.confirmedSubscriptions(outputs.AlarmTopicArn);
      expectThat(confirmed > 0, 'no confirmed subscription on the alarm topic: aws sns subscribe …, then confirm');
      return `${confirmed} confirmed subscription(s)`;
    }),
    await check('the token signing key is usable', async () => {
      const key = await facts.signingKey(outputs.TokenSigningKeyAlias);
      expectThat(Boolean(key), 'no key under the signing alias: run `npm run -s ops -- rotate-signing-key`');
      expectThat(
        key!.enabled && key!.usage === 'SIGN_VERIFY',
        `the key is ${key!.enabled ? '' : 'not '}enabled, for ${key!.usage}`,
      );
      return `${outputs.TokenSigningKeyAlias}: enabled, SIGN_VERIFY`;
    }),
    await check('SES can send to members', async () => {
      const ses = await facts.ses(outputs.SesIdentity);
      expectThat(ses.productionAccess, 'the account is in the SES sandbox: request production access');
      expectThat(ses.sendingEnabled, 'sending is disabled on the account');
      expectThat(ses.identityVerified, `${outputs.SesIdentity} is not verified for sending`);
      return `${outputs.SesIdentity} verified, out of the sandbox`;
    }),
  ];
}
