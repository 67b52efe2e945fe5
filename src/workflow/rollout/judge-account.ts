import { instanceProblems } from '../../domain/stack-instances';
import { hardenAccount } from '../hardening/harden-account';
import type { WorkflowDeps } from '../step';
import { recordVerification, updateAccountRecord } from '../request-writes';
import { appendEvent, EVENT_TYPES } from '../notify/request-events';
import type { WaveAccount } from './rollout-document';

/**
 * One account after its wave's StackSet operations ended: its own stack instances, its account
 * settings ensured again, then every control verified. Success records the version on the account.
 */
export async function judgeAccount(
  deps: WorkflowDeps,
  account: WaveAccount,
  toVersion: string,
): Promise<{ ok: boolean; reasons: string[] }> {
  const { config } = deps.config;
  const reasons: string[] = [];
  for (const stackSet of config.stackSets) {
    const instances = await deps.aws.stackSets.listStackInstances(stackSet.name, account.accountId);
    const regions = stackSet.regions ?? config.governedRegions;
    reasons.push(
      ...instanceProblems(instances, account.accountId, regions).map((p) => `${stackSet.name}@${p}`),
    );
  }
  try {
    await hardenAccount(deps, account.accountId, { activity: 'rollout' });
  } catch (e) {
    reasons.push(`account settings: ${(e as Error).message}`);
  }
  const record = await deps.store.get(account.requestId);
  if (!record) return { ok: false, reasons: [...reasons, `request ${account.requestId} is gone`] };
  const now = deps.clock.now();
  const verification = await deps.verifier.verify(
    { accountId: account.accountId, spec: record.spec, activity: 'rollout' },
    now,
  );
  reasons.push(...verification.blocking.map((c) => `control ${c} not passing`));
  const ok = reasons.length === 0;
  await updateAccountRecord(deps, account.requestId, (r) => {
    recordVerification(r, verification);
    if (!ok) return;
    const from = r.baseline?.version;
    r.baseline = { version: toVersion, appliedAt: now.toISOString() };
    if (from !== toVersion) {
      appendEvent(
        r,
        EVENT_TYPES.baselineApplied,
        { version: toVersion, ...(from ? { previousVersion: from } : {}) },
        now,
      );
    }
  });
  return { ok, reasons };
}
