import { createClientFactory } from '../../aws/clients';
import { DynamoTable } from '../../aws/dynamodb-table';
import { AvfError } from '../../domain/errors';
import { DynamoDbStore } from './dynamodb-store';
import { TABLE } from './table-schema';

export interface DynamoDbStoreOptions {
  /** Default: AWS_REGION, then AWS_DEFAULT_REGION. */
  region?: string;
  /** Default: AWS_ENDPOINT_URL (an emulator such as moto_server). */
  endpoint?: string;
}

/**
 * Opens the store on table `tableName`, creating the table from the one schema when it does not
 * exist yet (the first `avf serve`, `avf worker` or `avf token create` against a new name does
 * it; in an AWS deployment the CDK stack has created it, and only DescribeTable is called).
 */
export async function openDynamoDbStore(
  tableName: string,
  options: DynamoDbStoreOptions = {},
): Promise<DynamoDbStore> {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new AvfError(
      'STORE_SPEC_INVALID',
      `AVF_STORE=dynamodb:${tableName} needs a region: set AWS_REGION (e.g. AWS_REGION=us-east-1)`,
    );
  }
  const table = new DynamoTable(createClientFactory({ region, endpoint: options.endpoint }), tableName);
  await table.ensureExists(TABLE);
  return new DynamoDbStore(table);
}
