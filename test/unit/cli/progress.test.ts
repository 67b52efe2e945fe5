import type { RequestView } from '../../../src/cli/api-client';
import { controlsCounts, formatOutcome } from '../../../src/cli/progress';

const view = (status: string, controls: RequestView['controls']): RequestView => ({
  id: 'req-1',
  status,
  phase: status === 'READY' ? 'done' : 'verify',
  accountId: '123456789012',
  request: {
    accountName: 'payments-dev',
    email: 'aws+payments-dev@example.com',
    organizationalUnit: 'Workloads/NonProd',
    budget: { monthlyLimitUsd: 500, thresholdsPercent: [50, 80, 100] },
    access: [{ group: 'payments-developers', permissionSet: 'Developer' }],
  },
  steps: [],
  ...(controls ? { controls } : {}),
});

const controlsLine = (v: RequestView) => formatOutcome(v).find((l) => l.trimStart().startsWith('controls'));

describe('the outcome a person reads after a request', () => {
  it('says that a READY request’s errors are the emulator’s gaps, not counted', () => {
    expect(controlsLine(view('READY', { passed: 41, failed: 0, error: 9 }))).toBe(
      '  controls       41 passed, 0 failed, 9 error (9 on controls the emulator cannot evaluate, not counted)',
    );
  });

  it('says nothing more when every control passed, or for a request that did not pass its gate', () => {
    expect(controlsLine(view('READY', { passed: 50, failed: 0, error: 0 }))).toBe(
      '  controls       50 passed, 0 failed, 0 error',
    );
    expect(controlsLine(view('FAILED', { passed: 48, failed: 1, error: 1 }))).toBe(
      '  controls       48 passed, 1 failed, 1 error',
    );
    expect(controlsLine(view('IN_PROGRESS', undefined))).toBeUndefined();
  });

  it('counts the same way for `avf verify` and the inventory', () => {
    expect(controlsCounts({ passed: 3, failed: 1, error: 2 }, 2)).toBe(
      '3 passed, 1 failed, 2 error (2 on controls the emulator cannot evaluate, not counted)',
    );
    expect(controlsCounts({ passed: 3, failed: 1, error: 2 })).toBe('3 passed, 1 failed, 2 error');
  });
});
