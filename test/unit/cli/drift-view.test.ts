import { formatSweep, formatSweepList, unresolved, type SweepView } from '../../../src/cli/drift-view';

const sweep: SweepView = {
  id: 'sw-20260101T000000000Z-abcd',
  startedAt: '2026-01-01T00:00:00.000Z',
  startedBy: 'platform-engineer',
  finishedAt: '2026-01-01T00:10:00.000Z',
  accountsChecked: 600,
  accountsFailed: 1,
  errors: [{ accountId: '222222222222', message: 'sts:AssumeRole: AccessDenied' }],
  findingsTotal: 501,
  findings: [{ accountId: '111111111111', controlId: 'IAM-4', evidence: 'no policy', detectedAt: 'T0' }],
  stackSets: [
    {
      stackSet: 'avf-baseline',
      status: 'SKIPPED_BUSY',
      detail: 'skipped: the StackSet stayed busy for 60 min (rollout ro-1 is running)',
    },
  ],
};

describe('avf drift show / history output', () => {
  it('shows who started a sweep, the accounts it could not check, how many findings were stored, and StackSets skipped', () => {
    expect(formatSweep(sweep)).toEqual([
      'sweep sw-20260101T000000000Z-abcd: started 2026-01-01T00:00:00.000Z by platform-engineer, finished 2026-01-01T00:10:00.000Z',
      '  accounts       600 checked, 1 could not be checked',
      '    222222222222: sts:AssumeRole: AccessDenied',
      '  findings       501 (1 stored)',
      '    111111111111 IAM-4: no policy',
      '  StackSet       avf-baseline: SKIPPED_BUSY skipped: the StackSet stayed busy for 60 min (rollout ro-1 is running)',
    ]);
  });

  it('lists sweeps one line each, with the account findings under each when asked', () => {
    const { findings, ...short } = sweep;
    expect(
      formatSweepList([
        { ...short, findings },
        { ...short, id: 'sw-2', finishedAt: undefined },
      ]),
    ).toEqual([
      'sw-20260101T000000000Z-abcd  started 2026-01-01T00:00:00.000Z by platform-engineer, finished 2026-01-01T00:10:00.000Z: 600 checked, 1 failed, 501 finding(s)',
      '    111111111111 IAM-4: no policy',
      'sw-2  started 2026-01-01T00:00:00.000Z by platform-engineer, running: 600 checked, 1 failed, 501 finding(s)',
    ]);
    expect(formatSweepList([])).toEqual(['no finished drift sweep']);
  });

  it('counts a finding as unresolved unless it was remediated', () => {
    expect(unresolved(sweep.findings)).toBe(true);
    expect(unresolved([{ ...sweep.findings[0]!, remediated: true }])).toBe(false);
    expect(unresolved([])).toBe(false);
  });
});
