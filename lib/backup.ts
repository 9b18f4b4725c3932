import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from './nag-acknowledgements.ts';

export interface BackupProps {
  /** The plan's name (one per stage in an account). */
  readonly name: string;
  readonly table: ITableV2;
  /** Encrypts the vault. */
  readonly encryptionKey: IKey;
  /** Days each daily backup is kept. */
  readonly retentionDays: number;
  /** A vault in another region each backup is copied to: what survives the loss of the stage's region. @default no copy */
  readonly copyVaultArn?: string | undefined;
  /** Keep the vault when the stack is deleted. */
  readonly retain: boolean;
}

/**
 * AWS Backup of the table: daily at 03:00 UTC, kept `retentionDays`, copied to a vault of another
 * region when the stage names one. Point-in-time recovery (35 days, this region) stays on as well.
 */
export class TableBackup extends Construct {
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: BackupProps) {
    super(scope, id);
    const vault = new BackupVault(this, 'Vault', {
      encryptionKey: props.encryptionKey,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const deleteAfter = Duration.days(props.retentionDays);
    this.plan = new BackupPlan(this, 'Plan', {
      backupPlanName: props.name,
      backupVault: vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter,
          copyActions: props.copyVaultArn
            ? [
                {
                  destinationBackupVault: BackupVault.fromBackupVaultArn(this, 'CopyVault', props.copyVaultArn),
                  deleteAfter,
                },
              ]
            : [],
        }),
      ],
    });
    const selection = this.plan.addSelection('Table', { resources: [BackupResource.fromArn(props.table.tableArn)] });
    acknowledge(selection, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]':
        'The AWS-managed policy AWS Backup documents for the role it backs resources up with.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]':
        'The AWS-managed policy AWS Backup documents for the role it restores with.',
    });
  }
}
