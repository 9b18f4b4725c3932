import { Annotations, CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { ArnPrincipal, type IRole, Role } from 'aws-cdk-lib/aws-iam';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayDomain } from 'aws-cdk-lib/aws-route53-targets';
import type { Construct } from 'constructs';
import { accessOf } from '../lambdas/contract/routes.ts';
import { AccessEnds } from './access-ends.ts';
import { Api, type ApiDomain, servedBasePath } from './api.ts';
import { TableBackup } from './backup.ts';
import { Data } from './data.ts';
import { Keys } from './keys.ts';
import { Letters } from './letters.ts';
import { Mail } from './mail.ts';
import { MemberFeed } from './member-feed.ts';
import { Monitoring } from './monitoring.ts';
import { Portal } from './portal.ts';
import type { StageConfig } from './stage-config.ts';
import { Waf } from './waf.ts';

export interface MemberPortalAuthStackProps extends StackProps {
  readonly stage: StageConfig;
}

export class MemberPortalAuthStack extends Stack {
  readonly keys: Keys;
  /** The table: created, or adopted (`adopt.tableName`). */
  readonly table: ITableV2;
  readonly api: Api;
  readonly letters: Letters;
  readonly accessEnds: AccessEnds;
  readonly memberFeed: MemberFeed;
  readonly monitoring: Monitoring;
  readonly portal: Portal | undefined;

  constructor(scope: Construct, id: string, props: MemberPortalAuthStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const domain: ApiDomain | undefined =
      stage.apiDomainName && stage.apiCertificateArn
        ? { domainName: stage.apiDomainName, certificateArn: stage.apiCertificateArn }
        : undefined;
    if (stage.crossSiteApi) {
      Annotations.of(this).addWarningV2(
        'member-portal-auth:cross-site-api',
        'crossSiteApi: the API is another site than the portal — browsers will neither keep nor send ' +
          'the SameSite=Strict refresh cookie there, so browser sessions cannot refresh on this stage (see docs/deploy.md).',
      );
    }
    this.keys = new Keys(this, 'Keys', {
      stageName: stage.name,
      multiRegion: stage.multiRegionKeys,
      adopted: stage.adopt?.keys,
    });
    const keys = this.keys;
    const data = new Data(this, 'Data', {
      encryptionKey: keys.data,
      retain: stage.retainData,
      existingTableName: stage.adopt?.tableName,
    });
    this.table = data.table;
    new TableBackup(this, 'Backup', {
      name: `member-portal-auth-${stage.name}`,
      table: data.table,
      encryptionKey: keys.data,
      retentionDays: stage.backup.retentionDays,
      copyVaultArn: stage.backup.copyVaultArn,
      retain: stage.retainData,
    });
    const mail = new Mail(this, 'Mail', { identity: stage.sesIdentity, fromAddress: stage.mailFrom });
    const shared = {
      table: data.table,
      keys,
      mail,
      environment: {
        TABLE_NAME: data.table.tableName,
        STAGE_NAME: stage.name,
        KEYS_SOURCE: 'aws',
        NIR_LOOKUP_KMS_KEY_ID: keys.nirLookup.keyArn,
        CODE_PEPPER_KMS_KEY_ID: keys.codePepper.keyArn,
        TOKEN_SIGNING_KEY_ALIAS: keys.tokenSigningAliases.current,
        TOKEN_SIGNING_PREVIOUS_KEY_ALIAS: keys.tokenSigningAliases.previous,
        JWT_ISSUER: stage.issuer,
        JWT_AUDIENCE: stage.audience,
        API_BASE_PATH: servedBasePath(domain),
        PORTAL_ORIGINS: stage.portalOrigins.join(','),
        PORTAL_BASE_URL: stage.portalBaseUrl,
        MAIL_FROM: stage.mailFrom,
        ...(stage.supportPhone ? { SUPPORT_PHONE: stage.supportPhone } : {}),
        ...(stage.supportHours ? { SUPPORT_HOURS: stage.supportHours } : {}),
        ...(stage.supportUrl ? { SUPPORT_URL: stage.supportUrl } : {}),
        MAIL_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
        LOCKOUT_MAX_CONSECUTIVE_FAILURES: String(stage.lockout.maxConsecutiveFailures),
        LOCKOUT_MAX_FAILURES_PER_DAY: String(stage.lockout.maxFailuresPerDay),
        IP_MAX_FAILURES: String(stage.lockout.ipMaxFailures),
        AUDIT_RETENTION_DAYS: String(stage.auditRetentionDays),
        NEW_DEVICE_VERIFICATION: String(stage.newDeviceVerification),
      },
    };
    this.api = new Api(this, 'Api', {
      shared,
      domain,
      portalOrigin: stage.portalOrigins[0]!,
      name: `member-portal-auth-${stage.name}`,
      createLoggingRole: stage.apiGatewayLoggingRole,
    });
    if (domain && stage.hostedZoneId && stage.hostedZoneName && this.api.restApi.domainName) {
      new ARecord(this, 'ApiAlias', {
        zone: HostedZone.fromHostedZoneAttributes(this, 'Zone', {
          hostedZoneId: stage.hostedZoneId,
          zoneName: stage.hostedZoneName,
        }),
        recordName: domain.domainName,
        target: RecordTarget.fromAlias(new ApiGatewayDomain(this.api.restApi.domainName)),
      });
    }
    const apiUrl = domain ? `https://${domain.domainName}/` : this.api.restApi.url;
    if (stage.portal) {
      this.portal = new Portal(this, 'Portal', {
        apiBaseUrl: apiUrl,
        support: { phone: stage.supportPhone, hours: stage.supportHours, url: stage.supportUrl },
        apiOrigin: domain
          ? `https://${domain.domainName}`
          : `https://${this.api.restApi.restApiId}.execute-api.${this.region}.${this.urlSuffix}`,
        domain:
          stage.portalDomainName && stage.portalCertificateArn
            ? { domainName: stage.portalDomainName, certificateArn: stage.portalCertificateArn }
            : undefined,
        retain: stage.retainData,
      });
    }
    this.letters = new Letters(this, 'Letters', {
      shared,
      schedule: stage.letterSchedule,
      retentionDays: stage.letterRetentionDays,
      printProviderRoleArn: stage.printProviderRoleArn,
      retain: stage.retainData,
    });
    this.accessEnds = new AccessEnds(this, 'AccessEnds', { shared });
    this.memberFeed = new MemberFeed(this, 'MemberFeed', {
      shared,
      concurrency: stage.feedConcurrency,
      rowsPerBatch: stage.feedRowsPerBatch,
      retentionDays: stage.feedRetentionDays,
      retain: stage.retainData,
    });
    if (stage.operatorRoleArn) {
      // The CLI computes NIR lookup keys, peppers (import) and letter codes (export) as this role.
      const operator = Role.fromRoleArn(this, 'OperatorRole', stage.operatorRoleArn, { mutable: false });
      for (const key of ['nir-lookup', 'code-pepper', 'letter-code'] as const) keys.allowMac(key, operator);
      // And replays the account jobs that failed (ops replay-failed-jobs): in the resources' own
      // policies, since the role is the insurer's and not this stack's to change.
      this.api.allowReplay(new ArnPrincipal(stage.operatorRoleArn));
    }
    const waf = new Waf(this, 'Waf', {
      name: `member-portal-auth-${stage.name}`,
      stageArn: this.api.restApi.deploymentStage.stageArn,
      basePath: this.api.basePath,
      rateLimit: stage.wafRateLimit,
      globalRateLimit: stage.wafGlobalRateLimit,
    });
    // What an operator needs to point the CLI at this stage (docs/deploy.md).
    const outputs: Record<string, string> = {
      TableName: data.table.tableName,
      NirLookupKmsKeyId: keys.nirLookup.keyArn,
      CodePepperKmsKeyId: keys.codePepper.keyArn,
      LetterCodeKmsKeyId: keys.letterCode.keyArn,
      RefreshTokenKmsKeyId: keys.refreshToken.keyArn,
      TokenSigningKeyAlias: keys.tokenSigningAliases.current,
      TokenSigningPreviousKeyAlias: keys.tokenSigningAliases.previous,
      // The roles `rotate-signing-key` names in each new key's policy: the only ones that may sign.
      TokenSignerRoleArns: Fn.join(
        ',',
        [...this.api.functions.entries()]
          .filter(([name]) => accessOf(name).signingKeys === 'private')
          .map(([, fn]) => fn.role!.roleArn),
      ),
      LettersBucket: this.letters.bucket.bucketName,
      FailedJobsQueueUrl: this.api.failedForgotJobs.queueUrl,
      // What `ops smoke --stage` checks.
      PortalOrigin: stage.portalOrigins[0]!,
      ApiStageArn: this.api.restApi.deploymentStage.stageArn,
      SesIdentity: stage.sesIdentity,
      AccountWorkerFunction: this.api.accountWorker.functionName,
      ApiUrl: apiUrl,
      ...(this.portal ? { PortalUrl: this.portal.url } : {}),
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      stageName: stage.name,
      restApi: this.api.restApi,
      functions: [
        ...this.api.functions.values(),
        this.letters.exportFunction,
        this.accessEnds.runFunction,
        this.memberFeed.batchFunction,
        this.memberFeed.reportFunction,
      ],
      webAclName: waf.webAcl.name!,
      table: data.table,
      failedForgotJobs: this.api.failedForgotJobs,
      alarmTopicArn: stage.alarmTopicArn,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    this.memberFeed.failedAlarm.addAlarmAction(new SnsAction(this.monitoring.topic));
    new CfnOutput(this, 'MemberFeedBucket', { value: this.memberFeed.bucket.bucketName });
    // Who computes MACs with each HMAC key: what `adopt-keys` writes into the policies of adopted keys.
    new CfnOutput(this, 'MacKeyUsers', {
      value: this.toJsonString(
        Object.fromEntries(
          [...keys.macUsers].map(([name, principals]) => [
            name,
            principals.map((p) => ('roleArn' in p ? (p as IRole).roleArn : (p as ArnPrincipal).arn)),
          ]),
        ),
      ),
    });
  }
}
