import { z } from 'zod';
import { readDocument, updateDocument, type DocumentKind } from '../coordination/document';
import type { WorkflowDeps } from '../step';
import { CLOSURE_JOB, ClosureSchema, MAX_CLOSURES_IN_PROGRESS } from './closures';

const SlotsSchema = z.object({ holders: z.array(z.string()) });
type Slots = z.infer<typeof SlotsSchema>;

/** The organisation's closure slots (AWS allows 3 closures in progress): a limiter, not a job. */
const CLOSURE_SLOTS: DocumentKind<Slots> = {
  kind: 'limiter',
  schema: SlotsSchema,
  empty: () => ({ holders: [] }),
};
const ID = 'account-closures';

/** Still holding a slot: its closure is about to close the account, or waiting for AWS to. */
async function stillClosing(deps: WorkflowDeps, accountId: string): Promise<boolean> {
  const job = await deps.store.jobs.getJob(CLOSURE_JOB, accountId);
  const stage = ClosureSchema.safeParse(job?.state).data?.stage;
  return job !== undefined && !job.ended && (stage === 'CLOSE' || stage === 'AWAIT_CLOSURE');
}

/**
 * Takes one of the closure slots for the account (a holder keeps its slot). When they are all
 * taken, holders whose closure has moved on are dropped first, so a crash never leaks one.
 */
export async function takeClosureSlot(deps: WorkflowDeps, accountId: string): Promise<boolean> {
  const { body } = await readDocument(deps.store, CLOSURE_SLOTS, ID);
  const gone = new Set<string>();
  if (!body.holders.includes(accountId) && body.holders.length >= MAX_CLOSURES_IN_PROGRESS) {
    for (const holder of body.holders) if (!(await stillClosing(deps, holder))) gone.add(holder);
  }
  return updateDocument(
    deps.store,
    CLOSURE_SLOTS,
    ID,
    () => deps.clock.now(),
    (slots) => {
      const before = slots.holders.length;
      slots.holders = slots.holders.filter((h) => !gone.has(h));
      if (slots.holders.includes(accountId)) return { write: slots.holders.length !== before, result: true };
      if (slots.holders.length >= MAX_CLOSURES_IN_PROGRESS)
        return { write: slots.holders.length !== before, result: false };
      slots.holders.push(accountId);
      return { write: true, result: true };
    },
  );
}

export function releaseClosureSlot(deps: WorkflowDeps, accountId: string): Promise<void> {
  return updateDocument(
    deps.store,
    CLOSURE_SLOTS,
    ID,
    () => deps.clock.now(),
    (slots) => {
      const before = slots.holders.length;
      slots.holders = slots.holders.filter((h) => h !== accountId);
      return { write: slots.holders.length !== before, result: undefined };
    },
  );
}
