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
      'Broke off with an error:\n\n- http: target exited with 1\n',
    );
  });
});
