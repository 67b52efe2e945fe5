import { BATCH_CHARS, batchedLines } from '../../../api/log-batches';

/** A target that records what it is handed, and its synchronous flushes. */
function target() {
  const written: string[] = [];
  let flushes = 0;
  return {
    written,
    flushes: () => flushes,
    write: (text: string) => written.push(text),
    flushSync: () => (flushes += 1),
  };
}

describe('batchedLines: log lines handed over in batches', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands lines over as one string once a batch holds BATCH_CHARS characters', () => {
    const t = target();
    const lines = batchedLines(t, 1000);
    const line = `${'x'.repeat(63)}\n`; // 64 characters: BATCH_CHARS is a multiple
    const perBatch = BATCH_CHARS / line.length;
    for (let i = 0; i < perBatch - 1; i++) lines.write(line);
    expect(t.written).toEqual([]);
    lines.write(line);
    expect(t.written).toEqual([line.repeat(perBatch)]);
  });

  it('hands over what it holds at least every `everyMs`, and nothing when it holds nothing', () => {
    const t = target();
    const lines = batchedLines(t, 1000);
    lines.write('a\n');
    lines.write('b\n');
    jest.advanceTimersByTime(999);
    expect(t.written).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(t.written).toEqual(['a\nb\n']);
    jest.advanceTimersByTime(1000);
    expect(t.written).toEqual(['a\nb\n']);
  });

  it('hands over what it holds and flushes the target synchronously on flushSync (at exit)', () => {
    const t = target();
    const lines = batchedLines(t, 1000);
    lines.write('last\n');
    lines.flushSync();
    expect(t.written).toEqual(['last\n']);
    expect(t.flushes()).toBe(1);
  });
});
