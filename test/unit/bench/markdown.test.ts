import {
  DEFAULT_INTRO,
  END,
  generatedSection,
  START,
  withGeneratedSection,
} from '../../../scripts/bench/markdown';
import { benchResults } from './fixtures';

describe('BENCHMARKS.md', () => {
  const section = `${START}\nnew figures\n${END}`;

  it('starts a new file with the default intro', () => {
    expect(withGeneratedSection(undefined, section)).toBe(`${DEFAULT_INTRO.trimEnd()}\n\n${section}\n`);
  });

  it('keeps the hand-written text around the generated part and replaces only that', () => {
    const existing = `# Benchmarks\n\nOur own words.\n\n${START}\nold figures\n${END}\n\nA footnote.\n`;
    expect(withGeneratedSection(existing, section)).toBe(
      `# Benchmarks\n\nOur own words.\n\n${section}\n\nA footnote.\n`,
    );
  });

  it('appends the generated part to a file that has none', () => {
    expect(withGeneratedSection('# Benchmarks\n\nIntro.\n', section)).toBe(
      `# Benchmarks\n\nIntro.\n\n${section}\n`,
    );
  });

  it('writes the command, the machine, every section, the formula and what was not READY', () => {
    const text = generatedSection(benchResults());
    expect(text.startsWith(START)).toBe(true);
    expect(text.endsWith(END)).toBe(true);
    expect(text).toContain(
      '`npm run bench -- --sizes 10,200 --naive-sizes 10` on 2026-01-02T03:04:05.000Z: 2 × Test CPU, 8 GiB, Node v20.0.0, linux x64.',
    );
    expect(text).toContain('| 10 | avf | 10/10 | 23.6 | 21.5 | 1.1 | yes | 18.0 | 23.1 | 123.4 |');
    expect(text).toContain('Run naive: N = 10. Projected (not measured) naive figures for N = 200.');
    expect(text).toContain('| 10 | 23.6 | 101.4 | 4.3× |');
    expect(text).toContain('- avf N=200: req-1 FAILED in baseline: PHASE_TIMEOUT baseline took too long');
    expect(text).toContain('LB(N) = max( ceil(N / C) × T_create + max(T_op, T_assign),');
    expect(text).not.toContain('### HTTP API throughput');
    expect(text).not.toContain('smoke run');
    expect(generatedSection(benchResults({ quick: true }))).toContain('A `--quick` smoke run');
    expect(generatedSection(benchResults({ errors: ['http: target exited with 1'] }))).toContain(
      '`npm run bench -- --sizes 10,200 --naive-sizes 10` on 2026-01-02T03:04:05.000Z broke off with an error:\n\n- http: target exited with 1\n',
    );
  });

  describe('a run of some parts (--only)', () => {
    const oldRun =
      '`npm run bench` on 2026-01-01T00:00:00.000Z: 1 × Old CPU, 4 GiB, Node v20.0.0, linux x64.';
    // a block as written before each part named its own run: one run line for all of them
    const existing = withGeneratedSection(
      undefined,
      [
        START,
        '## Last run',
        '',
        oldRun,
        '',
        '### Vending: makespan against the lower bound',
        '',
        'old vend table',
        '',
        '### HTTP API throughput',
        '',
        'old http table',
        '',
        '### Memory as stored requests grow',
        '',
        'old memory table',
        END,
      ].join('\n'),
    );
    const vendOnly = generatedSection(benchResults(), existing);

    it('replaces the parts it measured and keeps the others, each under the run it comes from', () => {
      expect(vendOnly).not.toContain('old vend table');
      expect(vendOnly).toContain(
        '### Vending: makespan against the lower bound\n\n`npm run bench -- --sizes 10,200 --naive-sizes 10` on 2026-01-02T03:04:05.000Z: 2 × Test CPU',
      );
      expect(vendOnly).toContain(`### HTTP API throughput\n\n${oldRun}\n\nold http table\n`);
      expect(vendOnly).toContain(`### Memory as stored requests grow\n\n${oldRun}\n\nold memory table\n`);
      const at = (heading: string) => vendOnly.indexOf(`### ${heading}`);
      expect(at('Vending')).toBeLessThan(at('HTTP'));
      expect(at('HTTP')).toBeLessThan(at('Memory'));
      expect(vendOnly.endsWith(`old memory table\n\n${END}`)).toBe(true);
    });

    it('keeps a kept part as it is the next time (its run line once)', () => {
      const file = withGeneratedSection(existing, vendOnly);
      const again = generatedSection(benchResults({ vend: [] }), file);
      expect(again).toBe(vendOnly);
      expect(again.split(oldRun)).toHaveLength(3); // the HTTP and memory parts' lines, no more
    });
  });
});
