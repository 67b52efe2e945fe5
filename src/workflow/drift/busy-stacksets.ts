import type { DocumentStore } from '../../domain/ports/document-store';
import type { HasJobs } from '../../domain/ports/job-store';
import type { RequestStore } from '../../domain/ports/request-store';
import type { Clock } from '../clock';
import { STACKSET_BATCHES } from '../coordination/baseline-batch-document';
import { createAccountsInProgress } from '../coordination/create-account-slots';
import { readDocument } from '../coordination/document';
import { isFinished, redeploysByAccount } from '../lifecycle/redeploys';
import { findRunning } from '../rollout/rollouts';

/**
 * Why each of `stackSets` is busy with an operation of the factory's own, by name (a StackSet not
 * in the map is free): a baseline batch in flight on it (its `stackset-batches` document), a
 * running rollout (whose waves update the instances of every StackSet), or the redeploy of a moved
 * account creating or deleting instances of it — or one about to come: accounts waiting for a
 * batch or on their way to one, CreateAccount requests in progress and requests queued for one
 * (each new account's baseline follows within minutes). On AWS a StackSet runs one operation at a time, and drift
 * detection is one: started now, it would be refused or queued, and the vends queue behind it.
 */
export async function busyStackSets(
  deps: { store: DocumentStore & HasJobs & RequestStore; clock: Clock },
  stackSets: string[],
): Promise<Map<string, string>> {
  const { store } = deps;
  const busy = new Map<string, string>();
  if (stackSets.length === 0) return busy;
  const rollout = await findRunning(store);
  const creating = await createAccountsInProgress(store);
  const queued = (await store.list({ status: 'QUEUED', limit: 1 })).items.length > 0;
  const redeploys = [...(await redeploysByAccount(deps)).values()].filter(
    (r) => !isFinished(r) && (r.stage === 'CREATE' || r.stage === 'DELETE'),
  );
  for (const stackSet of stackSets) {
    if (rollout) {
      busy.set(stackSet, `rollout ${rollout.id} is running`);
      continue;
    }
    const { body } = await readDocument(store, STACKSET_BATCHES, stackSet);
    const batch = body.batches.find((b) => b.state !== 'DONE');
    if (batch) {
      busy.set(stackSet, `baseline batch ${batch.id} is ${batch.state.toLowerCase()}`);
      continue;
    }
    const coming = body.pending.length + body.incoming.length;
    if (coming > 0 || creating > 0 || queued) {
      busy.set(
        stackSet,
        coming > 0
          ? `${coming} account(s) are waiting for or on their way to its baseline`
          : creating > 0
            ? `${creating} CreateAccount request(s) are in progress; their baselines come next`
            : 'requests are queued for an account; their baselines come next',
      );
      continue;
    }
    const redeploy = redeploys.find((r) =>
      r.operations.some((o) => o.stackSet === stackSet && o.action === r.stage),
    );
    if (redeploy)
      busy.set(stackSet, `the redeploy of moved account ${redeploy.accountId} is at ${redeploy.stage}`);
  }
  return busy;
}
