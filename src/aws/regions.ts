import { partition } from '@aws-sdk/core/client';

/**
 * AWS's regions as the SDK knows them: its partition metadata (partitions.json, released with
 * every SDK version), not a list typed by hand. A region the SDK names has a description
 * ("Europe (Ireland)"); a name that only matches a partition's pattern (`eu-wst-1`) has none.
 * The `*-global` pseudo-regions are endpoints, not places to govern.
 */
export function describeRegion(name: string): { partition: string; description: string } | undefined {
  if (name.endsWith('-global')) return undefined;
  // The SDK's type leaves out the `description` its value carries for a region it names.
  const found: { name: string; description?: string } = partition(name);
  return found.description === undefined
    ? undefined
    : { partition: found.name, description: found.description };
}
