import { createHash } from 'node:crypto';
import { z } from 'zod';
import { desiredFoundation } from '../../bootstrap/desired';
import type { LoadedConfig } from '../../config/load';
import { canonicalJson as canonical } from '../../domain/canonical-json';
import type { StackSetDefinition } from '../../domain/ports/aws';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What a baseline version is made of; stored so that two versions can be compared later. */
export const BaselinePartsSchema = z.object({
  stackSets: z.array(
    z.object({
      name: z.string(),
      version: z.string(),
      templateSha256: z.string(),
      parameters: z.record(z.string(), z.string()),
    }),
  ),
  policies: z.array(z.object({ name: z.string(), contentSha256: z.string() })),
  hardeningSha256: z.string(),
});
export type BaselineParts = z.infer<typeof BaselinePartsSchema>;

export interface BaselineVersion {
  /** `b-` and the first 12 hex digits of the hash over every part. */
  version: string;
  parts: BaselineParts;
  /** The StackSets as the config renders them (for UpdateStackSet). */
  stackSets: StackSetDefinition[];
}

const cache = new WeakMap<LoadedConfig, BaselineVersion>();

/**
 * The baseline version the config describes: a content hash over the StackSet templates,
 * parameters and versions, the policy documents and the account-settings (hardening) config.
 * Anything else in the config (teams, budgets, worker tuning) does not change it.
 */
export function baselineVersionOf(loaded: LoadedConfig): BaselineVersion {
  const known = cache.get(loaded);
  if (known) return known;
  const { desired } = desiredFoundation(loaded);
  const versions = new Map(loaded.config.stackSets.map((s) => [s.name, s.version]));
  const parts: BaselineParts = {
    stackSets: desired.stackSets.map((s) => ({
      name: s.name,
      version: versions.get(s.name) ?? '',
      templateSha256: sha256(s.templateBody),
      parameters: s.parameters,
    })),
    policies: desired.policies
      .map((p) => ({ name: p.name, contentSha256: sha256(p.content) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    hardeningSha256: sha256(canonical(loaded.config.hardening)),
  };
  const result = {
    version: `b-${sha256(canonical(parts)).slice(0, 12)}`,
    parts,
    stackSets: desired.stackSets,
  };
  cache.set(loaded, result);
  return result;
}

/** What differs between two versions' parts, in words a platform engineer can act on. */
export interface BaselineDiff {
  stackSets: Array<{ name: string; changes: string[] }>;
  policies: Array<{ name: string; change: 'added' | 'removed' | 'changed' }>;
  hardening: boolean;
}

export function diffBaselines(from: BaselineParts | undefined, to: BaselineParts): BaselineDiff {
  const before = new Map((from?.stackSets ?? []).map((s) => [s.name, s]));
  const stackSets = to.stackSets.flatMap((s) => {
    const old = before.get(s.name);
    if (!old) return [{ name: s.name, changes: ['new StackSet'] }];
    const changes: string[] = [];
    if (old.version !== s.version) changes.push(`version ${old.version} → ${s.version}`);
    if (old.templateSha256 !== s.templateSha256) changes.push('template changed');
    const keys = new Set([...Object.keys(old.parameters), ...Object.keys(s.parameters)]);
    for (const k of [...keys].sort()) {
      if (old.parameters[k] !== s.parameters[k])
        changes.push(`parameter ${k}: ${old.parameters[k] ?? '(unset)'} → ${s.parameters[k] ?? '(unset)'}`);
    }
    return changes.length > 0 ? [{ name: s.name, changes }] : [];
  });
  const oldPolicies = new Map((from?.policies ?? []).map((p) => [p.name, p.contentSha256]));
  const newPolicies = new Map(to.policies.map((p) => [p.name, p.contentSha256]));
  const policies: BaselineDiff['policies'] = [
    ...to.policies.flatMap((p): BaselineDiff['policies'] => {
      const old = oldPolicies.get(p.name);
      if (old === undefined) return [{ name: p.name, change: 'added' }];
      return old === p.contentSha256 ? [] : [{ name: p.name, change: 'changed' }];
    }),
    ...[...oldPolicies.keys()]
      .filter((n) => !newPolicies.has(n))
      .map((name) => ({ name, change: 'removed' as const })),
  ];
  return { stackSets, policies, hardening: from?.hardeningSha256 !== to.hardeningSha256 };
}
