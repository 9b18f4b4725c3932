import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { GROUP_INDEX, TABLE_KEYS } from '../lambdas/contract/table-schema.ts';

export interface DataProps {
  /** Encrypts the table. */
  readonly encryptionKey: IKey;
  /**
   * Keep the table when the stack is deleted.
   * @default true
   */
  readonly retain?: boolean;
}

/** The one table (members, attempt counters, sessions, challenges, terms), keys as in the adapters. */
export class Data extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const retain = props.retain ?? true;
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
