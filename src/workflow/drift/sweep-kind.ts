import { z } from 'zod';
import { ensureJob } from '../engine/jobs';
import { storedJobKind } from '../engine/stored-job-kind';
import { stepDriftSweep } from './advance-sweep';
import { SWEEP_JOB, SWEEP_JOB_ID } from './sweep-document';

/**
 * The drift sweep as a job kind: one standing job (created by the first worker that finds none;
 * another worker adopts it), stepped by one worker at a time under the engine's lease. Each step
 * says when its next work is due: a verification token of `drift.verificationsPerMinute`, a
 * StackSet drift check, the next sweep after `drift.sweepIntervalMinutes`; `POST /v1/drift/sweeps`
 * makes it due at once. The sweep's state is its document (sweep-document.ts), not the job's.
 * It never ends: errors wait and retry, with the error in the job's `detail`.
 */
export const SWEEP_JOB_KIND = storedJobKind({
  name: SWEEP_JOB,
  schema: z.object({}),
  concurrency: 1,
  leaseMs: 120_000,
  retryAll: true,
  ensure: (deps) => ensureJob(deps, SWEEP_JOB, SWEEP_JOB_ID, {}, 'first sweep'),
  step: (_state, { deps }) => stepDriftSweep(deps),
});
