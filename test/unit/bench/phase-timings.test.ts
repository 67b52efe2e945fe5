import { largestRuns, phaseTable, renderText } from '../../../scripts/bench/report';
import { phaseTimings, type View } from '../../../scripts/bench/vend-run';
import { benchResults, vendResult } from './fixtures';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function view(id: string, steps: Array<[string, number, number | undefined]>): View {
  return {
    id,
    status: 'IN_PROGRESS',
    phase: 'baseline',
    request: {
      accountName: id,
      email: `${id}@example.com`,
      organizationalUnit: 'Workloads/NonProd',
      budget: { monthlyLimitUsd: 1, thresholdsPercent: [100] },
      access: [],
    },
    steps: steps.map(([name, start, end]) => ({
      name,
      status: end === undefined ? 'RUNNING' : 'SUCCEEDED',
      startedAt: at(start),
      ...(end === undefined ? {} : { finishedAt: at(end) }),
    })),
    createdAt: at(0),
    updatedAt: at(0),
  };
}

describe('phase timings of a vend run', () => {
  const views = [
    view('a', [
      ['create-account', 0, 6],
      ['baseline', 7, 16],
    ]),
    view('b', [
      ['create-account', 0, 7],
      ['baseline', 7, 25],
    ]),
    view('c', [
      ['create-account', 1, 13],
      ['baseline', 14, undefined],
    ]),
  ];

  it('gives each phase its p50 and longest step, and when the last request finished it', () => {
    expect(phaseTimings(views, T0)).toEqual([
      { phase: 'create-account', finished: 3, p50Ms: 7_000, maxMs: 12_000, lastFinishedMs: 13_000 },
      { phase: 'baseline', finished: 2, p50Ms: 9_000, maxMs: 18_000, lastFinishedMs: 25_000 },
    ]);
  });

  it('renders them in seconds', () => {
    const r = vendResult({ phases: phaseTimings(views, T0) });
    expect(renderText(phaseTable(r)).split('\n')).toEqual([
      'phase           finished  p50 s  max s  last finished at s',
      '--------------  --------  -----  -----  ------------------',
      'create-account  3         7.0    12.0   13.0',
      'baseline        2         9.0    18.0   25.0',
    ]);
  });

  it('looks into the largest run of each mode', () => {
    expect(largestRuns(benchResults()).map((v) => `${v.mode} ${v.accounts}`)).toEqual([
      'avf 200',
      'naive 10',
    ]);
  });
});
