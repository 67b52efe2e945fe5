import { durationShare, operationPollDelayMs, pollDelayMs } from '../../../src/workflow/backoff';

const CREATE = { everyMs: 4_000, expectedMs: 60_000 };
const middle = () => 0.5;

describe('the polling policy of asynchronous AWS operations', () => {
  it('checks first when the operation usually ends, then at gaps from a tenth of it growing by 1.6 up to a minute', () => {
    const low = () => 0;
    expect(operationPollDelayMs(CREATE, 0, low)).toBe(60_000);
    expect(operationPollDelayMs(CREATE, 1, middle)).toBe(6_000);
    expect(operationPollDelayMs(CREATE, 2, middle)).toBe(9_600);
    expect(operationPollDelayMs(CREATE, 20, middle)).toBe(60_000);
  });

  it('an environment whose operations finish at once (share 0) checks straight away, then every everyMs', () => {
    expect(operationPollDelayMs(CREATE, 0, middle, 0)).toBe(0);
    expect(operationPollDelayMs(CREATE, 1, middle, 0)).toBe(4_000);
    expect(operationPollDelayMs(CREATE, 5, middle, 0)).toBe(4_000);
    expect(pollDelayMs('baseline', 0, middle, 0)).toBe(0);
    // phases with no operation of their own keep their schedule
    expect(pollDelayMs('verify', 0, middle, 0)).toBe(pollDelayMs('verify', 0, middle, 1));
  });

  it('takes the share from worker.operationDurationScale against timeScale, else 1', () => {
    expect(durationShare({ timeScale: 1 })).toBe(1);
    expect(durationShare({ timeScale: 0.1 })).toBe(1);
    expect(durationShare({ timeScale: 0.005, operationDurationScale: 0 })).toBe(0);
    expect(durationShare({ timeScale: 0.1, operationDurationScale: 0.05 })).toBeCloseTo(0.5);
  });
});
