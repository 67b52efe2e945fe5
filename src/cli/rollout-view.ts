import type { StepView } from './api-client';
import { formatStep } from './progress';

/** What the CLI reads of `GET /v1/rollouts/{id}`. */
export interface RolloutView {
  id: string;
  toVersion: string;
  status: string;
  haltReason?: string;
  createdAt: string;
  finishedAt?: string;
  fromVersions: Record<string, number>;
  waves: Array<{
    index: number;
    label: string;
    status: string;
    startedAt?: string;
    finishedAt?: string;
    accounts: Array<{ accountId: string }>;
    results: Record<string, { ok: boolean; reasons: string[] }>;
  }>;
}

/** What the CLI reads of a dry run (`POST /v1/rollouts` with `dryRun: true`). */
export interface RolloutPlanView {
  toVersion: string;
  fromVersions: Record<string, number>;
  changes: Array<{
    fromVersion: string;
    accounts: number;
    diff?: {
      stackSets: Array<{ name: string; changes: string[] }>;
      policies: Array<{ name: string; change: string }>;
      hardening: boolean;
    };
  }>;
  waves: Array<{ index: number; label: string; accounts: string[] }>;
}

/** A wave as a step of the progress display: judged accounts so far, failures with reasons. */
export function waveAsStep(wave: RolloutView['waves'][number]): StepView {
  const judged = Object.values(wave.results);
  const failed = Object.entries(wave.results).filter(([, r]) => !r.ok);
  const reasons = failed.map(([account, r]) => `${account}: ${r.reasons.join('; ')}`).join(' | ');
  return {
    name: `wave ${wave.index} (${wave.label})`,
    status: wave.status,
    ...(wave.startedAt ? { startedAt: wave.startedAt } : {}),
    ...(wave.finishedAt ? { finishedAt: wave.finishedAt } : {}),
    detail: `${judged.length}/${wave.accounts.length} judged, ${failed.length} failed${reasons ? ` — ${reasons}` : ''}`,
  };
}

export function formatRollout(rollout: RolloutView): string[] {
  const from = Object.entries(rollout.fromVersions).map(([v, n]) => `${n} on ${v}`);
  const moved = Object.values(rollout.fromVersions).reduce((a, b) => a + b, 0);
  // Once it succeeded, the accounts are on the new version: say so, and what they came from.
  const accounts =
    rollout.status === 'SUCCEEDED'
      ? `${moved} now on ${rollout.toVersion}${from.length ? ` (were ${from.join(', ')})` : ''}`
      : from.join(', ') || 'none outdated';
  return [
    `rollout ${rollout.id} → ${rollout.toVersion}: ${rollout.status}${rollout.haltReason ? ` (${rollout.haltReason})` : ''}`,
    `  accounts       ${accounts}`,
    ...rollout.waves.map((w) => formatStep(waveAsStep(w))),
  ];
}

export function formatPlan(plan: RolloutPlanView): string[] {
  const lines = [`dry run: roll ${plan.toVersion} out (nothing written)`];
  for (const c of plan.changes) {
    lines.push(`  from ${c.fromVersion} (${c.accounts} account(s)):`);
    if (!c.diff) lines.push('    (what that version held is not recorded)');
    for (const s of c.diff?.stackSets ?? []) lines.push(`    StackSet ${s.name}: ${s.changes.join('; ')}`);
    for (const p of c.diff?.policies ?? []) lines.push(`    policy ${p.name} ${p.change}`);
    if (c.diff?.hardening) lines.push('    account settings (hardening) changed');
  }
  for (const w of plan.waves)
    lines.push(`  wave ${w.index} (${w.label}): ${w.accounts.length} account(s) ${w.accounts.join(', ')}`);
  if (plan.waves.length === 0) lines.push('  every account already holds this version');
  return lines;
}
