/**
 * The CDK app: one stack per stage. `npx cdk synth` synthesises the example stage of cdk.json
 * (placeholder values) offline; `-c stage=<name>` picks another stage from context "stages", which
 * may also be given on the command line as JSON (`-c stages='{"prod":{…}}'`).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MemberPortalAuthStack } from '../lib/member-portal-auth-stack.ts';
import { selectStage } from '../lib/stage-config.ts';

const app = new App();
const stage = selectStage(
  (app.node.tryGetContext('stage') as string | undefined) ?? 'example',
  app.node.tryGetContext('stages'),
);

// cdk-nag: any finding not acknowledged with a reason fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

new MemberPortalAuthStack(app, `member-portal-auth-${stage.name}`, {
  stage,
  terminationProtection: stage.terminationProtection,
  env: stage.account ? { account: stage.account, region: stage.region } : { region: stage.region },
});
