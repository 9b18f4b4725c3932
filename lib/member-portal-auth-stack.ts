import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api } from './api.ts';
import { Data } from './data.ts';
import { Keys } from './keys.ts';
import { Letters } from './letters.ts';
import { Mail } from './mail.ts';
import { Monitoring } from './monitoring.ts';
import { Waf } from './waf.ts';
import type { StageConfig } from './stage-config.ts';

export interface MemberPortalAuthStackProps extends StackProps {
  readonly stage: StageConfig;
}

export class MemberPortalAuthStack extends Stack {
  readonly api: Api;
  readonly letters: Letters;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: MemberPortalAuthStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const keys = new Keys(this, 'Keys');
    const data = new Data(this, 'Data', { encryptionKey: keys.data, retain: stage.retainData });
    const mail = new Mail(this, 'Mail', { identity: stage.sesIdentity, fromAddress: stage.mailFrom });
    const shared = {
      table: data.table,
      keys,
      mail,
      environment: {
        TABLE_NAME: data.table.tableName,
        KEYS_SOURCE: 'aws',
        NIR_LOOKUP_KMS_KEY_ID: keys.nirLookup.keyArn,
        CODE_PEPPER_KMS_KEY_ID: keys.codePepper.keyArn,
        JWT_SIGNING_SECRET_ID: keys.signingSecret.secretArn,
        JWT_ISSUER: stage.issuer,
        JWT_AUDIENCE: stage.audience,
        PORTAL_ORIGINS: stage.portalOrigins.join(','),
        PORTAL_BASE_URL: stage.portalBaseUrl,
        MAIL_FROM: stage.mailFrom,
        MAIL_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
        LOCKOUT_MAX_CONSECUTIVE_FAILURES: String(stage.lockout.maxConsecutiveFailures),
        LOCKOUT_MAX_FAILURES_PER_DAY: String(stage.lockout.maxFailuresPerDay),
        IP_MAX_FAILURES: String(stage.lockout.ipMaxFailures),
        AUDIT_RETENTION_DAYS: String(stage.auditRetentionDays),
      },
    };
    this.api = new Api(this, 'Api', { shared });
    this.letters = new Letters(this, 'Letters', {
      shared,
      schedule: stage.letterSchedule,
      retentionDays: stage.letterRetentionDays,
      printProviderRoleArn: stage.printProviderRoleArn,
      retain: stage.retainData,
    });
    new Waf(this, 'Waf', { stageArn: this.api.restApi.deploymentStage.stageArn, rateLimit: stage.wafRateLimit });
    // What an operator needs to point the CLI at this stage (README, "Deploy to AWS").
    const outputs: Record<string, string> = {
      TableName: data.table.tableName,
      NirLookupKmsKeyId: keys.nirLookup.keyArn,
      CodePepperKmsKeyId: keys.codePepper.keyArn,
      LetterCodeKmsKeyId: keys.letterCode.keyArn,
      JwtSigningSecretId: keys.signingSecret.secretArn,
      LettersBucket: this.letters.bucket.bucketName,
      ApiUrl: this.api.restApi.url,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      restApi: this.api.restApi,
      table: data.table,
      failedForgotJobs: this.api.failedForgotJobs,
      alarmTopicArn: stage.alarmTopicArn,
    });
  }
}
