import { operationId } from '../../domain/operation-id';
import type { StackInstanceTargets } from '../../domain/ports/aws';
import { driveOperation, refused } from '../coordination/stackset-operation';
import type { FactoryEvent } from '../events';
import type { WorkflowDeps } from '../step';
import { baselineVersionOf } from './baseline-version';
import { judgeAccount } from './judge-account';
import type { Rollout, RolloutOperation, Wave } from './rollout-document';

/** Accounts judged (settings ensured, verified) per step, so one step stays short. */
export const ACCOUNTS_PER_STEP = 5;

async function targets(deps: WorkflowDeps, wave: Wave, regions: string[]): Promise<StackInstanceTargets> {
  const ous = [...new Set(wave.accounts.map((a) => a.ou))];
  return {
    organizationalUnitIds: await Promise.all(ous.map((ou) => deps.directory.ouId(ou))),
    accountIds: wave.accounts.map((a) => a.accountId),
    regions,
  };
}

const regionsOf = (deps: WorkflowDeps, stackSet: string): string[] =>
  deps.config.config.stackSets.find((s) => s.name === stackSet)?.regions ??
  deps.config.config.governedRegions;

function halt(rollout: Rollout, reason: string): void {
  rollout.status = 'HALTED';
  rollout.haltReason = reason;
}

/**
 * UpdateStackSet, once per rollout, for the StackSets whose template or parameters differ from the
 * config, scoped to the first wave's accounts (AWS marks every other instance OUTDATED).
 */
async function updateStackSets(deps: WorkflowDeps, rollout: Rollout): Promise<boolean> {
  const desired = baselineVersionOf(deps.config).stackSets;
  if (!rollout.stackSetUpdates) {
    const updates: RolloutOperation[] = [];
    for (const def of desired) {
      const live = await deps.aws.stackSets.describeStackSet(def.name);
      const same =
        live?.templateBody === def.templateBody &&
        JSON.stringify(Object.entries(live.parameters).sort()) ===
          JSON.stringify(Object.entries(def.parameters).sort());
      if (!same)
        updates.push({
          stackSet: def.name,
          operationId: operationId(deps.storeTag, rollout.id, 'update', def.name),
        });
    }
    rollout.stackSetUpdates = updates;
    return false;
  }
  const first = rollout.waves[0];
  let ended = true;
  for (const op of rollout.stackSetUpdates) {
    const def = desired.find((d) => d.name === op.stackSet);
    if (!def || !first) continue;
    const scope = await targets(deps, first, regionsOf(deps, op.stackSet));
    ended =
      (await driveOperation(deps, op, () => deps.aws.stackSets.updateStackSet(def, op.operationId, scope))) &&
      ended;
  }
  // An operation that ran and failed is judged per account by the first wave; one AWS refused halts.
  const refusal = rollout.stackSetUpdates.find(refused);
  if (refusal) halt(rollout, `UpdateStackSet ${refusal.stackSet} ${refusal.reason ?? ''}`);
  return ended && !refusal;
}

/** One short step of a wave: start its operations, poll them, then judge a few accounts. */
async function advanceWave(deps: WorkflowDeps, rollout: Rollout, wave: Wave): Promise<FactoryEvent[]> {
  const now = deps.clock.now().toISOString();
  if (wave.status === 'PENDING') {
    wave.status = 'RUNNING';
    wave.startedAt = now;
    wave.operations = deps.config.config.stackSets.map((s) => ({
      stackSet: s.name,
      operationId: operationId(deps.storeTag, rollout.id, `w${wave.index}`, s.name),
    }));
  }
  let ended = true;
  for (const op of wave.operations) {
    const scope = await targets(deps, wave, regionsOf(deps, op.stackSet));
    const start = () =>
      deps.aws.stackSets.updateStackInstances({
        ...scope,
        stackSetName: op.stackSet,
        operationId: op.operationId,
      });
    ended = (await driveOperation(deps, op, start)) && ended;
  }
  if (!ended) return [];
  const pending = wave.accounts.filter((a) => !wave.results[a.accountId]).slice(0, ACCOUNTS_PER_STEP);
  for (const account of pending) {
    wave.results[account.accountId] = await judgeAccount(deps, account, rollout.toVersion);
  }
  if (wave.accounts.some((a) => !wave.results[a.accountId])) return [];
  // finished once its last account is judged (judging takes a while: not the step's start time)
  return finishWave(rollout, wave, deps.clock.now().toISOString());
}

function finishWave(rollout: Rollout, wave: Wave, now: string): FactoryEvent[] {
  const failed = wave.accounts.filter((a) => !wave.results[a.accountId]?.ok);
  wave.succeeded = wave.accounts.length - failed.length;
  wave.failed = failed.length;
  wave.finishedAt = now;
  wave.status = failed.length === 0 ? 'SUCCEEDED' : 'FAILED';
  const failedPercent = (100 * failed.length) / Math.max(1, wave.accounts.length);
  if (failedPercent > rollout.failureThresholdPercent) {
    halt(
      rollout,
      `wave ${wave.index} (${wave.label}): ${failed.length} of ${wave.accounts.length} account(s) failed (${failedPercent.toFixed(0)}% > ${rollout.failureThresholdPercent}%)`,
    );
  }
  return [
    {
      detailType: 'Rollout Wave Finished',
      detail: {
        rolloutId: rollout.id,
        toVersion: rollout.toVersion,
        wave: wave.index,
        label: wave.label,
        succeeded: wave.succeeded,
        failed: failed.map((a) => ({
          accountId: a.accountId,
          reasons: wave.results[a.accountId]?.reasons ?? [],
        })),
        rolloutStatus: rollout.status,
        ...(rollout.haltReason ? { haltReason: rollout.haltReason } : {}),
      },
    },
  ];
}

/**
 * One short step of a running rollout, on a copy (its job saves it, rollout-kind.ts); returns the
 * events it produced. Every AWS call is idempotent (deterministic OperationIds), so a step
 * repeated after a crash starts nothing twice.
 */
export async function stepRollout(deps: WorkflowDeps, rollout: Rollout): Promise<FactoryEvent[]> {
  if (rollout.toVersion !== baselineVersionOf(deps.config).version) {
    halt(
      rollout,
      `this worker's config describes ${baselineVersionOf(deps.config).version}, not ${rollout.toVersion}`,
    );
    return [];
  }
  if (!(await updateStackSets(deps, rollout))) return [];
  const wave = rollout.waves.find((w) => w.status === 'PENDING' || w.status === 'RUNNING');
  if (!wave) {
    rollout.status = 'SUCCEEDED';
    rollout.finishedAt = deps.clock.now().toISOString();
    return [
      { detailType: 'Rollout Finished', detail: { rolloutId: rollout.id, toVersion: rollout.toVersion } },
    ];
  }
  return advanceWave(deps, rollout, wave);
}
