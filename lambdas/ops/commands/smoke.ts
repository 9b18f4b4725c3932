import { KMSClient } from '@aws-sdk/client-kms';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { AWS_CLIENT_LIMITS } from '../../adapters/client-limits.ts';
import { AwsDeployedFacts, CloudFormationClient, stackOutputs } from '../../adapters/deployment/deployed-facts.ts';
import { config } from '../../runtime/services.ts';
import { defineCommand, JSON_OPTION, UsageError } from '../command.ts';
import { result, say } from '../output.ts';
import { awsChecks, type Check, httpChecks, type StackOutputs } from '../smoke-checks.ts';

const STACK_OUTPUTS = [
  'ApiUrl',
  'PortalOrigin',
  'ApiStageArn',
  'AlarmTopicArn',
  'SesIdentity',
  'TokenSigningKeyAlias',
] as const;

export const smoke = defineCommand({
  name: 'smoke',
  summary: 'after a deploy: the API, its keys, CORS, headers, WAF, alarm subscribers and SES, ✓ or ✗',
  usage: '--stage <name> | --api-url <url> --portal-origin <origin> [--json]',
  details:
    'With --stage, reads the outputs of the stack member-portal-auth-<name> (AWS credentials of the stage) and checks ' +
    'health, discovery and JWKS (keys present), a CORS preflight from the portal origin, the security headers, the ' +
    'envelope on an unknown route, then WAF on the API stage, a confirmed subscription on the alarm topic, and SES ' +
    'out of the sandbox with its identity verified, and a usable key under the token signing alias. With --api-url and --portal-origin (the local stack: ' +
    'http://localhost:3000 and http://localhost:5173), the HTTP checks only. Exit 1 on any ✗.',
  options: {
    stage: { type: 'string' },
    'api-url': { type: 'string' },
    'portal-origin': { type: 'string' },
    ...JSON_OPTION,
  },
  async run({ values }) {
    let checks: Check[];
    if (values.stage) {
      const region = config().region;
      const outputs = await stackOutputs(
        new CloudFormationClient({ region, ...AWS_CLIENT_LIMITS }),
        `member-portal-auth-${values.stage}`,
      );
      const missing = STACK_OUTPUTS.filter((name) => !outputs[name]);
      if (missing.length)
        throw new UsageError(`stack member-portal-auth-${values.stage} has no output ${missing.join(', ')}`);
      const stack = outputs as unknown as StackOutputs;
      checks = [
        ...(await httpChecks({ apiUrl: stack.ApiUrl, portalOrigin: stack.PortalOrigin })),
        ...(await awsChecks(
          stack,
          new AwsDeployedFacts({
            waf: new WAFV2Client({ region, ...AWS_CLIENT_LIMITS }),
            sns: new SNSClient({ region, ...AWS_CLIENT_LIMITS }),
            ses: new SESv2Client({ region, ...AWS_CLIENT_LIMITS }),
            kms: new KMSClient({ region, ...AWS_CLIENT_LIMITS }),
          }),
        )),
      ];
    } else if (values['api-url'] && values['portal-origin']) {
      checks = await httpChecks({ apiUrl: values['api-url'], portalOrigin: values['portal-origin'] });
    } else {
      throw new UsageError('smoke needs --stage <name>, or --api-url and --portal-origin');
    }
    result(values.json, { ok: checks.every((c) => c.ok), checks }, () => {
      for (const c of checks) say(`${c.ok ? '✓' : '✗'} ${c.name.padEnd(44)} ${c.detail}`);
    });
    return checks.every((c) => c.ok) ? 0 : 1;
  },
});
