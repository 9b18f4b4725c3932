import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api } from './api.ts';
import { Data } from './data.ts';
import { Keys } from './keys.ts';
import type { StageConfig } from './stage-config.ts';

export interface MemberPortalAuthStackProps extends StackProps {
  readonly stage: StageConfig;
}

export class MemberPortalAuthStack extends Stack {
  readonly api: Api;

  constructor(scope: Construct, id: string, props: MemberPortalAuthStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const keys = new Keys(this, 'Keys');
    const data = new Data(this, 'Data', { encryptionKey: keys.data, retain: stage.retainData });
    this.api = new Api(this, 'Api', {
      table: data.table,
      keys,
      sesIdentityArn: this.formatArn({ service: 'ses', resource: 'identity', resourceName: stage.sesIdentity }),
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
      },
    });
  }
}
