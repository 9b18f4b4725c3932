/**
 * The CDK app: one stack per stage. `npx cdk synth` synthesises the example stage of cdk.json
 * (placeholder values) offline; `-c stage=<name>` picks another stage from context "stages".
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MemberPortalAuthStack } from '../lib/member-portal-auth-stack.ts';
import { parseStageConfig } from '../lib/stage-config.ts';

const app = new App();
const stageName = (app.node.tryGetContext('stage') as string | undefined) ?? 'example';
const stages = (app.node.tryGetContext('stages') ?? {}) as Record<string, unknown>;
if (!(stageName in stages)) throw new Error(`No stage "${stageName}" in context "stages" (cdk.json): ${Object.keys(stages).join(', ')}`);
const stage = parseStageConfig(stageName, stages[stageName]);

// cdk-nag: any finding not acknowledged with a reason fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

new MemberPortalAuthStack(app, `member-portal-auth-${stage.name}`, {
  stage,
  env: stage.account ? { account: stage.account, region: stage.region } : { region: stage.region },
});
