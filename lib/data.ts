import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, type ITableV2, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { GROUP_INDEX, TABLE_KEYS } from '../lambdas/contract/table-schema.ts';

export interface DataProps {
  /** Encrypts the table. */
  readonly encryptionKey: IKey;
  /**
   * A table a former stack of the stage retained (or one restored from a backup), used instead of a
   * new one; it keeps its own settings (PITR, deletion protection), which this stack no longer manages.
   * @default a new table
   */
  readonly existingTableName?: string | undefined;
  /**
   * Keep the table when the stack is deleted.
   * @default true
   */
  readonly retain?: boolean;
}

/** The one table (members, attempt counters, sessions, challenges, terms), keys as in the adapters. */
export class Data extends Construct {
  readonly table: ITableV2;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const retain = props.retain ?? true;
    if (props.existingTableName) {
      this.table = TableV2.fromTableAttributes(this, 'Table', {
        tableName: props.existingTableName,
        encryptionKey: props.encryptionKey,
      });
      return;
    }
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partition, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sort, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: TABLE_KEYS.ttl,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: retain,
      encryption: TableEncryptionV2.customerManagedKey(props.encryptionKey),
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      globalSecondaryIndexes: [
        {
          indexName: GROUP_INDEX.name,
          partitionKey: { name: GROUP_INDEX.partition, type: AttributeType.STRING },
          sortKey: { name: GROUP_INDEX.sort, type: AttributeType.STRING },
        },
      ],
    });
  }
}
