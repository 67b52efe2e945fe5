import type { BenchResults } from '../../../scripts/bench/report';
import type { VendResult } from '../../../scripts/bench/vend-run';

/** A vend result with believable figures; `overrides` replace fields. */
export function vendResult(overrides: Partial<VendResult>): VendResult {
  return {
    mode: 'avf',
    accounts: 10,
    ready: 10,
    makespanMs: 23_650,
    lowerBoundMs: 21_500,
    ratio: 1.1,
    p50ReadyMs: 18_000,
    p95ReadyMs: 23_100,
    awsCalls: { total: 1_234, perAccount: 123.4, byAction: {} },
    failed: [],
    stuck: [],
    setupMs: 15_000,
    phases: [],
    ...overrides,
  };
}

/** Results of a run with sizes 10 (both modes) and 200 (avf, one FAILED). */
export function benchResults(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    at: '2026-01-02T03:04:05.000Z',
    command: 'npm run bench -- --sizes 10,200 --naive-sizes 10',
    quick: false,
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGb: 8, node: 'v20.0.0', platform: 'linux x64' },
    bound: {
      accounts: 1,
      createAccountMs: 6_000,
      createAccountsInProgress: 5,
      stackSetOperationMs: 9_000,
      stackSets: 2,
      regions: 2,
      stackInstancesAtOnce: 100,
      assignmentMs: 500,
      assignmentsPerAccount: 1,
      assignmentsOutstanding: 10,
      accessAlongsideBaseline: true,
    },
    vend: [
      vendResult({ cpu: { emulatorMs: 12_000, factoryMs: 4_000, benchMs: 1_000, wallMs: 23_600 } }),
      vendResult({ mode: 'naive', makespanMs: 101_400, ratio: 4.72, p50ReadyMs: 60_000, p95ReadyMs: 98_000 }),
      vendResult({
        accounts: 200,
        ready: 199,
        makespanMs: 300_000,
        lowerBoundMs: 249_500,
        ratio: 1.2,
        p50ReadyMs: undefined,
        p95ReadyMs: undefined,
        awsCalls: { total: 20_000, perAccount: 100, byAction: {} },
        failed: [
          { id: 'req-1', code: 'PHASE_TIMEOUT', message: 'baseline took too long', phase: 'baseline' },
        ],
      }),
    ],
    naiveProjections: [{ accounts: 200, projectedMs: 1_806_500 }],
    errors: [],
    ...overrides,
  };
}
