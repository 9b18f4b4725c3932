import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { FunctionName } from '../../lambdas/contract/routes.ts';
import { MemberPortalAuthStack } from '../../lib/member-portal-auth-stack.ts';
import { parseStageConfig } from '../../lib/stage-config.ts';

/** A stage without the reference portal (portal.test.ts synthesises it): the API and the letters alone. */
export const STAGE = {
  portal: false,
  // The API on its execute-api host (paths under /v1-api): no browser uses this stage.
  crossSiteApi: true,
  portalOrigins: ['https://espace-adherent.mutuelle.example'],
  portalBaseUrl: 'https://espace-adherent.mutuelle.example',
  issuer: 'https://auth.mutuelle.example',
  mailFrom: 'no-reply@mutuelle.example',
  sesIdentity: 'mutuelle.example',
};

/** The same stage on the insurer's own domain. */
export const WITH_DOMAIN = {
  // One site with the portal's origins (espace-adherent.mutuelle.example): checked, not waived.
  crossSiteApi: false,
  apiDomainName: 'auth.mutuelle.example',
  apiCertificateArn: 'arn:aws:acm:eu-west-3:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
};

/** A stage as production has it: an account, both custom domains, a hosted zone, the operators' and the print provider's roles. */
export const PRODUCTION_LIKE = {
  ...WITH_DOMAIN,
  account: '123456789012',
  portal: true,
  portalDomainName: 'espace-adherent.mutuelle.example',
  portalCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  operatorRoleArn: 'arn:aws:iam::123456789012:role/member-portal-operators',
  printProviderRoleArn: 'arn:aws:iam::210987654321:role/print-provider-reader',
};

/** The feature flags of cdk.json, so that tests synthesise what `cdk synth` does (policies minimised, …). */
const FEATURE_FLAGS = Object.fromEntries(
  Object.entries(
    (
      JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as {
        context: Record<string, unknown>;
      }
    ).context,
  ).filter(([key]) => key.startsWith('@aws-cdk/')),
);

/** Synthesises one stage with cdk-nag, skipping the esbuild bundling (assets are not inspected here). */
export function synth(name = 'test', overrides: Record<string, unknown> = {}) {
  const app = new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stage = parseStageConfig(name, { ...STAGE, ...overrides });
  const stack = new MemberPortalAuthStack(app, `member-portal-auth-${name}`, {
    stage,
    terminationProtection: stage.terminationProtection,
    env: { region: stage.region, ...(stage.account ? { account: stage.account } : {}) },
  });
  app.synth();
  return { stack, template: Template.fromStack(stack) };
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Principal?: unknown;
}

export const actionsOfStatement = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

export function functionOf(stack: MemberPortalAuthStack, name: FunctionName) {
  if (name === 'letters-export') return stack.letters.exportFunction;
  if (name === 'access-ends') return stack.accessEnds.runFunction;
  if (name === 'member-feed-batch') return stack.memberFeed.batchFunction;
  if (name === 'member-feed-report') return stack.memberFeed.reportFunction;
  return stack.api.functions.get(name)!;
}

/** Every statement of the identity policies attached to one function's role. */
export function statementsOf(stack: MemberPortalAuthStack, template: Template, name: FunctionName): Statement[] {
  const role = functionOf(stack, name).role!.node.defaultChild as CfnRole;
  const roleId = stack.getLogicalId(role);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    JSON.stringify(p['Properties']['Roles']).includes(`"${roleId}"`),
  );
  return policies.flatMap((p) => p['Properties']['PolicyDocument']['Statement'] as Statement[]);
}

export function actionsOf(stack: MemberPortalAuthStack, template: Template, name: FunctionName): string[] {
  return statementsOf(stack, template, name).flatMap(actionsOfStatement);
}

export const logicalIdOf = (stack: MemberPortalAuthStack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);
