import {
  UpdateCostAllocationTagsStatusCommand,
  paginateListCostAllocationTags,
  type CostExplorerClient,
} from '@aws-sdk/client-cost-explorer';
import { AwsError } from '../../domain/errors';
import type { CostAllocationTagStatus } from '../../domain/ports/costs';
import { call } from '../errors';
import type { Pages } from '../pagination';

/** ce:ListCostAllocationTags — the status of these user-defined tag keys (NotFound: never seen on a bill). */
export async function costAllocationTags(
  pages: Pages<CostExplorerClient>,
  keys: string[],
): Promise<Record<string, CostAllocationTagStatus>> {
  const found = await pages.collect(
    'ce:ListCostAllocationTags',
    paginateListCostAllocationTags,
    { TagKeys: keys, Type: 'UserDefined' },
    (page) => page.CostAllocationTags,
  );
  const status = (key: string): CostAllocationTagStatus =>
    found.find((t) => t.TagKey === key)?.Status ?? 'NotFound';
  return Object.fromEntries(keys.map((key) => [key, status(key)]));
}

/** ce:UpdateCostAllocationTagsStatus — activates these keys; a key AWS refuses is an error naming it. */
export async function activateCostAllocationTags(client: CostExplorerClient, keys: string[]): Promise<void> {
  const out = await call('ce:UpdateCostAllocationTagsStatus', () =>
    client.send(
      new UpdateCostAllocationTagsStatusCommand({
        CostAllocationTagsStatus: keys.map((TagKey) => ({ TagKey, Status: 'Active' })),
      }),
    ),
  );
  const errors = out.Errors ?? [];
  if (errors.length > 0) {
    const text = errors.map((e) => `${e.TagKey}: ${e.Code ?? ''} ${e.Message ?? ''}`.trim()).join('; ');
    throw new AwsError('ce:UpdateCostAllocationTagsStatus', 'TagActivationRefused', text, false);
  }
}
