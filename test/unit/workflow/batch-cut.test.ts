import { STACKSET_BATCHES } from '../../../src/workflow/coordination/baseline-batch-document';
import { timeToCut } from '../../../src/workflow/coordination/batch-cut';
import { EXAMPLE_CONFIG } from './harness';

const worker = EXAMPLE_CONFIG.config.worker;
const OP_MS = 90_000;
const T0 = Date.parse('2027-01-04T09:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

/** One account pending since T0, nobody announced, no batch running. */
function body() {
  const b = STACKSET_BATCHES.empty();
  b.pending.push({ requestId: 'req-1', accountId: '1', ouId: 'ou-1', since: at(0).toISOString() });
  return b;
}

describe('cutting a batch while accounts are still being created', () => {
  it('holds until the chain of batches lines up with the last account, then cuts', () => {
    // the last account exists in 100 s: a batch now would end 10 s after it, the next 80 s late
    const last = at(100_000);
    expect(timeToCut(body(), at(0), last, worker)).toBe(false);
    expect(timeToCut(body(), at(5_000), last, worker)).toBe(false);
    // 90 s before it: this batch ends as the last account arrives, and the last one's starts then
    expect(timeToCut(body(), at(10_000), last, worker)).toBe(true);
  });

  it('cuts at once when the chain already lines up', () => {
    // batches at 0, 90 and 180 s; the last account arrives at 179 s and waits 1 s for the third
    expect(timeToCut(body(), at(0), at(2 * OP_MS - 1_000), worker)).toBe(true);
  });

  it('holds nobody longer than two operation times', () => {
    expect(timeToCut(body(), at(2 * OP_MS), at(2 * OP_MS + 30_000), worker)).toBe(true);
  });

  it('past two operation times, still holds a few seconds for a last account due any moment', () => {
    // cut now, the account due in half a second would wait a whole operation behind this batch
    expect(timeToCut(body(), at(2 * OP_MS + 100), at(2 * OP_MS + 600), worker)).toBe(false);
    // a create that is overdue (due now, by the estimate) holds as briefly
    expect(timeToCut(body(), at(2 * OP_MS + 1_000), at(2 * OP_MS + 1_000), worker)).toBe(false);
    // but never longer than a twentieth of an operation past the two
    expect(timeToCut(body(), at(2 * OP_MS + 0.05 * OP_MS), at(2 * OP_MS + 0.05 * OP_MS), worker)).toBe(true);
  });

  it('does not line up with a last account beyond the horizon (a long queue)', () => {
    expect(timeToCut(body(), at(0), at(10 * OP_MS + 30_000), worker)).toBe(true);
  });
});
