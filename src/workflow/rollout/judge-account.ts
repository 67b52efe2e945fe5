import type { RequestRecord } from '../../domain/account-request';
import { StaleRecordError } from '../../domain/errors';
import type { Verification } from '../../domain/compliance';
import { hardenAccount } from '../hardening/harden-account';
import type { WorkflowDeps } from '../step';
import { saveRequest } from '../notify/outbox';
import { appendEvent, EVENT_TYPES } from '../notify/request-events';
import type { WaveAccount } from './rollout-document';

/** What an instance must be after a successful operation: CURRENT, its last operation SUCCEEDED. */
function instanceReasons(
  stackSet: string,
  accountId: string,
  regions: string[],
  instances: Array<{ region: string; status: string; detailedStatus?: string; reason?: string }>,
): string[] {
  const reasons: string[] = [];
  for (const region of regions) {
    const found = instances.find((i) => i.region === region);
    if (!found) reasons.push(`${stackSet}@${region}: no stack instance in account ${accountId}`);
    else if (found.status !== 'CURRENT' || (found.detailedStatus ?? 'SUCCEEDED') !== 'SUCCEEDED')
      reasons.push(
        `${stackSet}@${region}: ${found.status}/${found.detailedStatus ?? '-'}${found.reason ? ` ${found.reason}` : ''}`,
      );
  }
  return reasons;
}

/** Writes onto the account's request record, re-reading when another writer came first. */
export async function updateAccountRecord(
  deps: WorkflowDeps,
  requestId: string,
  change: (record: RequestRecord) => void,
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await deps.store.get(requestId);
    if (!before) return;
    const record = structuredClone(before);
    change(record);
    try {
      await saveRequest(deps, before, record);
      return;
    } catch (e) {
      if (!(e instanceof StaleRecordError)) throw e;
    }
  }
}

export function recordVerification(record: RequestRecord, verification: Verification): void {
  record.lastVerification = verification;
  record.controls = verification.summary;
}

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
    reasons.push(...instanceReasons(stackSet.name, account.accountId, regions, instances));
  }
  try {
    await hardenAccount(deps, account.accountId);
  } catch (e) {
    reasons.push(`account settings: ${(e as Error).message}`);
  }
  const record = await deps.store.get(account.requestId);
  if (!record) return { ok: false, reasons: [...reasons, `request ${account.requestId} is gone`] };
  const now = deps.clock.now();
  const verification = await deps.verifier.verify({ accountId: account.accountId, spec: record.spec }, now);
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
