import { resolve } from 'node:path';
import { startBenchChild } from './child';
import type { MemorySample } from './memory-probe';

const PROBE = resolve(__dirname, 'memory-probe.ts');

/** RSS may grow this much (as a share of the first step's) from the first step to the last and count as flat. */
export const FLAT_GROWTH = 0.1;

export interface MemoryResult {
  samples: MemorySample[];
  /** RSS at the last step over RSS at the first, minus one. */
  growth: number | undefined;
  flat: boolean;
}

/** Judges a series of samples (the first step against the last). */
export function memoryVerdict(samples: MemorySample[]): MemoryResult {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const growth = first && last ? Math.round((last.rssBytes / first.rssBytes - 1) * 1000) / 1000 : undefined;
  return { samples, growth, flat: growth !== undefined && growth <= FLAT_GROWTH };
}

/** Resident memory of the API process as stored requests grow (measured in a process of its own). */
export async function runMemoryBench(steps: number[]): Promise<MemoryResult> {
  const probe = startBenchChild(PROBE, [steps.join(',')], ['--expose-gc']);
  return memoryVerdict(await probe.rest<MemorySample>());
}
