import {
  UpdateCostAllocationTagsStatusCommand,
  paginateListCostAllocationTags,
  type CostExplorerClient,
} from '@aws-sdk/client-cost-explorer';
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

/**
 * ce:UpdateCostAllocationTagsStatus — activates these keys (20 a call); returns the keys AWS refused,
 * each with its reason (AWS lists a user-defined key only once a resource's bill has carried it).
 */
export async function activateCostAllocationTags(
  client: CostExplorerClient,
  keys: string[],
): Promise<Array<{ key: string; reason: string }>> {
  const refused: Array<{ key: string; reason: string }> = [];
  for (let i = 0; i < keys.length; i += 20) {
    const out = await call('ce:UpdateCostAllocationTagsStatus', () =>
      client.send(
        new UpdateCostAllocationTagsStatusCommand({
          CostAllocationTagsStatus: keys.slice(i, i + 20).map((TagKey) => ({ TagKey, Status: 'Active' })),
        }),
      ),
    );
    for (const e of out.Errors ?? [])
      refused.push({ key: e.TagKey ?? '', reason: `${e.Code ?? ''} ${e.Message ?? ''}`.trim() });
  }
  return refused;
}
