import { formatDrift } from '../../../src/cli/drift-view';
import { formatPlan, formatRollout, type RolloutView } from '../../../src/cli/rollout-view';

const rollout: RolloutView = {
  id: 'ro-1',
  toVersion: 'b-000000000002',
  status: 'HALTED',
  haltReason: 'wave 1 (canary): 1 of 1 account(s) failed',
  createdAt: '2026-01-01T00:00:00Z',
  fromVersions: { 'b-000000000001': 3 },
  waves: [
    {
      index: 1,
      label: 'canary',
      status: 'FAILED',
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:30Z',
      accounts: [{ accountId: '111111111111' }],
      results: { '111111111111': { ok: false, reasons: ['avf-baseline@us-east-1: no stack instance'] } },
    },
    {
      index: 2,
      label: '100%',
      status: 'PENDING',
      accounts: [{ accountId: '2' }, { accountId: '3' }],
      results: {},
    },
  ],
};

describe('avf rollout / avf drift output', () => {
  it('shows each wave as a progress line with accounts judged and failures with reasons', () => {
    const lines = formatRollout(rollout);
    expect(lines[0]).toBe(
      'rollout ro-1 → b-000000000002: HALTED (wave 1 (canary): 1 of 1 account(s) failed)',
    );
    expect(lines[2]).toMatch(
      /✘ wave 1 \(canary\)\s+FAILED \(30\.00 s\)\s+1\/1 judged, 1 failed — 111111111111: avf-baseline@us-east-1: no stack instance/,
    );
    expect(lines[3]).toMatch(/wave 2 \(100%\)\s+PENDING\s+0\/2 judged, 0 failed/);
  });

  it('shows a dry run per version held, then the waves', () => {
    const lines = formatPlan({
      toVersion: 'b-2',
      fromVersions: { 'b-1': 2 },
      changes: [
        {
          fromVersion: 'b-1',
          accounts: 2,
          diff: {
            stackSets: [{ name: 'avf-baseline', changes: ['version 1 → 2'] }],
            policies: [],
            hardening: false,
          },
        },
      ],
      waves: [{ index: 1, label: 'canary', accounts: ['1'] }],
    });
    expect(lines).toEqual([
      'dry run: roll b-2 out (nothing written)',
      '  from b-1 (2 account(s)):',
      '    StackSet avf-baseline: version 1 → 2',
      '  wave 1 (canary): 1 account(s) 1',
    ]);
  });

  it('shows the last sweep with its findings and whether each was remediated', () => {
    const lines = formatDrift({
      settings: { remediate: true, sweepIntervalMinutes: 1440, verificationsPerMinute: 10 },
      sweep: {
        id: 'sw-1',
        startedAt: 'T0',
        finishedAt: 'T1',
        accountsChecked: 3,
        accountsFailed: 0,
        findingsTotal: 1,
        findings: [
          {
            accountId: '1',
            controlId: 'IAM-4',
            evidence: 'password policy not set',
            detectedAt: 'T0',
            remediated: true,
          },
        ],
        stackSets: [{ stackSet: 'avf-baseline', status: 'UNSUPPORTED' }],
      },
    });
    expect(lines).toContain('    1 IAM-4: password policy not set (remediated)');
    expect(lines).toContain('  StackSet       avf-baseline: UNSUPPORTED');
    expect(
      formatDrift({ settings: { remediate: false, sweepIntervalMinutes: 60, verificationsPerMinute: 5 } }),
    ).toEqual(['no drift sweep yet (every 60 min, 5 accounts/min, remediation off)']);
  });
});
