import type { HttpFigures, HttpResult } from '../../../scripts/bench/http-throughput';
import { memoryVerdict } from '../../../scripts/bench/memory';
import {
  httpTable,
  httpVerdict,
  memoryTable,
  memoryVerdictLine,
  notReadyLines,
  renderMarkdown,
  renderText,
  speedupTable,
  topCallsLine,
  vendTable,
} from '../../../scripts/bench/report';
import { benchResults, vendResult } from './fixtures';

const figures = (requestsPerSecond: number, p99Ms: number, non2xx = 0): HttpFigures => ({
  requestsPerSecond,
  p50Ms: 0,
  p99Ms,
  requests: requestsPerSecond * 5,
  non2xx,
  errors: 0,
});

const http: HttpResult = {
  seconds: 5,
  connections: 10,
  storedRequests: 1_000,
  getApi: figures(8_000, 3),
  getBare: figures(20_000, 1),
  postApi: figures(1_500, 12, 2),
  postBare: figures(15_000, 0),
  getRatio: 0.4,
  postRatio: 0.1,
};

describe('bench report', () => {
  it('renders text tables padded to the widest cell', () => {
    const table = {
      headers: ['N', 'mode'],
      rows: [
        ['200', 'avf'],
        ['1', 'naive'],
      ],
    };
    expect(renderText(table)).toBe(['N    mode', '---  -----', '200  avf', '1    naive'].join('\n'));
  });

  it('renders Markdown tables, escaping pipes', () => {
    const table = { headers: ['a', 'b'], rows: [['x|y', '']] };
    expect(renderMarkdown(table)).toBe(['| a | b |', '|---|---|', '| x\\|y |  |'].join('\n'));
  });

  it('lists every vend run by N, with the projected naive figures marked as not run', () => {
    const table = vendTable(benchResults());
    expect(table.headers).toEqual([
      'N',
      'mode',
      'READY',
      'makespan s',
      'lower bound s',
      'ratio',
      '≤ 1.1×',
      'p50 to READY s',
      'p95 to READY s',
      'AWS calls/account',
      'moto CPU: % of wall, × factory CPU',
    ]);
    // moto's CPU only where it was measured (12 s of 23.6 s wall, 3 × the factory's 4 s)
    expect(table.rows).toEqual([
      ['10', 'avf', '10/10', '23.6', '21.5', '1.1', 'yes', '18.0', '23.1', '123.4', '51 %, 3.0×'],
      ['10', 'naive', '10/10', '101.4', '21.5', '4.72', '', '60.0', '98.0', '123.4', '–'],
      ['200', 'avf', '199/200', '300.0', '249.5', '1.2', 'NO', '–', '–', '100', '–'],
      ['200', 'naive (projected, not run)', '', '≈ 1806.5', '249.5', '7.24', '', '', '', '', ''],
    ]);
  });

  it('compares the modes where both ran', () => {
    expect(speedupTable(benchResults()).rows).toEqual([['10', '23.6', '101.4', '4.3×']]);
  });

  it('names the requests that did not end READY, with their reason', () => {
    const stuck = { id: 'req-2', status: 'IN_PROGRESS', phase: 'identity-center', detail: 'waiting' };
    const results = benchResults();
    results.vend.push(vendResult({ mode: 'naive', accounts: 50, stuck: [stuck] }));
    expect(notReadyLines(results)).toEqual([
      'avf N=200: req-1 FAILED in baseline: PHASE_TIMEOUT baseline took too long',
      'naive N=50: req-2 still IN_PROGRESS in identity-center: waiting',
    ]);
  });

  it('lists the most frequent AWS calls per account', () => {
    const byAction = {
      'sts:AssumeRole': 30,
      'cloudformation:DescribeStackSetOperation': 125,
      'iam:ListRoles': 5,
    };
    const r = vendResult({ awsCalls: { total: 160, perAccount: 16, byAction } });
    expect(topCallsLine(r, 2)).toBe(
      'avf N=10: cloudformation:DescribeStackSetOperation 12.5, sts:AssumeRole 3',
    );
  });

  it('shows HTTP figures per target, sub-millisecond latencies as < 1, and judges GET against 50 %', () => {
    expect(httpTable(http).rows).toEqual([
      ['avf API', 'GET /v1/account-requests/{id}', '8000', '< 1', '3', '0', '–'],
      ['bare fastify', 'GET /v1/account-requests/{id}', '20000', '< 1', '1', '0', '–'],
      ['avf API', 'POST /v1/account-requests', '1500', '< 1', '12', '2', '–'],
      ['bare fastify', 'POST /v1/account-requests', '15000', '< 1', '< 1', '0', '–'],
    ]);
    expect(httpVerdict(http)).toBe("GET throughput is 0.4 of the bare route's (target ≥ 0.5: NO); POST 0.1.");
    expect(httpVerdict({ ...http, getRatio: 0.5 })).toContain('(target ≥ 0.5: yes)');
  });

  it("shows each target's server CPU per request, and the bare route's share of the API's for GET", () => {
    const withCpu = {
      ...http,
      getApi: { ...http.getApi, serverCpuUsPerRequest: 250 },
      getBare: { ...http.getBare, serverCpuUsPerRequest: 100 },
      getCpuRatio: 0.4,
    };
    expect(httpTable(withCpu).rows.map((row) => row[6])).toEqual(['250', '100', '–', '–']);
    expect(httpVerdict(withCpu)).toContain('By server CPU per GET, the bare route costs 0.4 of the API');
  });

  it('judges memory flat when RSS grows at most 10 % from the first step to the last', () => {
    const mib = 2 ** 20;
    const sample = (stored: number, rss: number) => ({
      stored,
      rssBytes: rss * mib,
      heapUsedBytes: 50 * mib,
    });
    const flat = memoryVerdict([sample(1_000, 200), sample(5_000, 205), sample(10_000, 219)]);
    expect(flat).toEqual(expect.objectContaining({ growth: 0.095, flat: true }));
    expect(memoryTable(flat).rows).toEqual([
      ['1000', '200.0', '50.0'],
      ['5000', '205.0', '50.0'],
      ['10000', '219.0', '50.0'],
    ]);
    expect(memoryVerdictLine(flat)).toBe(
      'RSS grew 9.5 % from the first step to the last (flat: within 10 %: yes).',
    );
    const growing = memoryVerdict([sample(1_000, 200), sample(10_000, 253)]);
    expect(growing).toEqual(expect.objectContaining({ growth: 0.265, flat: false }));
    expect(memoryVerdictLine(memoryVerdict([sample(1_000, 200), sample(2_000, 199)]))).toBe(
      'RSS shrank 0.5 % from the first step to the last (flat: within 10 %: yes).',
    );
    expect(memoryVerdict([])).toEqual({ samples: [], growth: undefined, flat: false });
  });
});
