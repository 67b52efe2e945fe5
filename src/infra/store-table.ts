import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TABLE } from '../store/dynamodb/table-schema';

/**
 * The store's table, built from the same schema `openStore('dynamodb:…')` creates tables from:
 * requests, email holds, leases (in the request items), tokens, Idempotency-Keys (expired by
 * TTL) and the audit log. Retained on stack deletion: it is the factory's record of every account.
 */
export function storeTable(scope: Construct, key: IKey): Table {
  const string = (name: string) => ({ name, type: AttributeType.STRING });
  const table = new Table(scope, 'StoreTable', {
    partitionKey: string(TABLE.partitionKey),
    sortKey: string(TABLE.sortKey),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    timeToLiveAttribute: TABLE.ttlAttribute,
    // New requests wake the worker (see compute.ts).
    stream: StreamViewType.KEYS_ONLY,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of TABLE.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: string(index.partitionKey),
      ...(index.sortKey ? { sortKey: string(index.sortKey) } : {}),
    });
  }
  return table;
}
