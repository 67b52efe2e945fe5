import {
  httpTable,
  httpVerdict,
  largestRuns,
  memoryTable,
  memoryVerdictLine,
  notReadyLines,
  phaseTable,
  renderMarkdown,
  speedupTable,
  topCallsLine,
  vendTable,
  type BenchResults,
} from './report';

export const START =
  '<!-- bench:start (written by `npm run bench`; edits from here to bench:end are overwritten) -->';
export const END = '<!-- bench:end -->';

/** The hand-written top of a new BENCHMARKS.md; once the file exists, its own top is kept. */
export const DEFAULT_INTRO = `# Benchmarks

\`npm run bench\` (never part of \`npm test\`) vends N accounts through the factory against moto behind
the AWS behaviour layer, with AWS's durations at one tenth (profile \`bench\`), and compares the
makespan with the lower bound the same durations and quotas allow; in the same run it vends the
same N the naive way (one StackSet operation per account), measures the HTTP API against a bare
fastify route with autocannon, and the API process's resident memory as stored requests grow.
Targets: makespan ≤ 1.1 × the lower bound at every N; GET throughput ≥ 50 % of the bare route's;
memory flat as stored requests grow. Options: \`npm run bench -- --help\`; figures also in
\`bench-results/bench.json\` (git-ignored).
`;

const LOWER_BOUND = `The lower bound (\`scripts/bench/lower-bound.ts\`), for N accounts submitted at once, with C
CreateAccount in progress at a time, T_create, T_op (one StackSet operation; the StackSets run side
by side), R regions per StackSet, I stack instances a StackSet deploys at once, T_assign, k
assignments per account and M outstanding assignments:

    LB(N) = max( ceil(N / C) × T_create + max(T_op, T_assign),
                 T_create + max(ceil(N × R / I) × T_op, T_assign),
                 T_create + ceil(N × k / M) × T_assign )

The last account exists at ceil(N / C) × T_create at the earliest; each StackSet then needs an
operation including it, and its access an assignment, granted while the StackSets deploy (the
account is quarantined until verified). A StackSet runs one operation at a time and deploys at most
I instances at once, none before the first account exists. No assignment starts before the first
account exists, and they go M at a time. Without a quarantine policy the access waits for the
baseline: each max becomes a sum, and the third term gains a T_op. The phases the behaviour layer
does not delay (placing, hardening, budget, verification) count as no time, so the bound cannot be
reached exactly. The naive projection is T_create + max(N × T_op, T_assign): one operation per
account, one at a time per StackSet.`;

function vendSection(r: BenchResults): string[] {
  if (r.vend.length === 0) return [];
  const b = r.bound;
  const naive = [...new Set(r.vend.filter((v) => v.mode === 'naive').map((v) => v.accounts))];
  const projected = r.naiveProjections.map((p) => p.accounts);
  const notReady = notReadyLines(r);
  const speedup = speedupTable(r);
  const largest = largestRuns(r);
  return [
    `Profile \`bench\`: CreateAccount ${b.createAccountMs / 1000} s (${b.createAccountsInProgress} in progress), ` +
      `StackSet operation ${b.stackSetOperationMs / 1000} s (${b.stackSets} StackSets), assignment ${b.assignmentMs / 1000} s ` +
      `(${b.assignmentsOutstanding} outstanding, ${b.assignmentsPerAccount} per account). Factory: \`worker.timeScale: 0.1\`, ` +
      '`worker.batchSize` ≥ N, SQLite store, `avf serve` in its own process; all N POSTed at once. ' +
      '`avf` mode: `worker.baselineBatching.enabled: true`; `naive`: `false`. A fresh organisation per run.',
    '',
    renderMarkdown(vendTable(r)),
    '',
    `Run naive: N = ${naive.join(', ') || 'none'}.` +
      (projected.length > 0
        ? ` Projected (not measured) naive figures for N = ${projected.join(', ')}.`
        : ''),
    "Time to READY: a request's `createdAt` to the end of its last step. AWS calls: every call the " +
      "behaviour layer saw during the run (reads, polls, refusals and the POSTs' email checks included), per account.",
    '',
    ...(speedup.rows.length > 0 ? [renderMarkdown(speedup), ''] : []),
    'The most frequent AWS calls, per account, of the largest run of each mode:',
    '',
    ...largest.map((v) => `- ${topCallsLine(v)}`),
    '',
    ...largest.flatMap((v) => [
      `Where the time went, ${v.mode} N=${v.accounts} (phase steps as the factory recorded them):`,
      '',
      renderMarkdown(phaseTable(v)),
      '',
    ]),
    ...(notReady.length > 0 ? ['Requests not READY:', '', ...notReady.map((l) => `- ${l}`), ''] : []),
    LOWER_BOUND,
    '',
  ];
}

function httpSection(r: BenchResults): string[] {
  if (!r.http) return [];
  const h = r.http;
  return [
    `autocannon, ${h.connections} connections, ${h.seconds} s per run after 1 s of warm-up; each target in its own ` +
      `process, one at a time. avf API: the app \`avf serve --no-worker\` builds (auth with the admin token, rate ` +
      `limits lifted out of reach, audit, validation, request logging at \`info\` to a file as \`avf serve\` logs to ` +
      `stdout), SQLite store holding ${h.storedRequests} requests, no ` +
      'organisation email lookup. Bare fastify: one route answering the same JSON, nothing else.',
    '',
    renderMarkdown(httpTable(h)),
    '',
    httpVerdict(h),
    '',
  ];
}

function memorySection(r: BenchResults): string[] {
  if (!r.memory) return [];
  return [
    'The real API over a SQLite store in a process of its own, filled step by step; at each step it serves ' +
      'the whole list page by page and 200 GETs over HTTP, then collects garbage and reads its RSS.',
    '',
    renderMarkdown(memoryTable(r.memory)),
    '',
    memoryVerdictLine(r.memory),
    '',
  ];
}

/** The generated parts, each under its own heading, in the order they are written. */
const PARTS: ReadonlyArray<{ title: string; body: (r: BenchResults) => string[] }> = [
  { title: '### Vending: makespan against the lower bound', body: vendSection },
  { title: '### HTTP API throughput', body: httpSection },
  { title: '### Memory as stored requests grow', body: memorySection },
];

/** The line naming the run a part comes from: its command, when, and on what machine. */
const RUN_LINE = /^`npm run bench[^`]*` on \S+: /;

function runLine(r: BenchResults): string {
  const m = r.machine;
  return (
    `\`${r.command}\` on ${r.at}: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GiB, Node ${m.node}, ${m.platform}.` +
    (r.quick ? ' A `--quick` smoke run: small sizes and short runs, not figures to judge by.' : '')
  );
}

/**
 * The parts of the generated block of `existing` (a BENCHMARKS.md), by heading, each with the line
 * naming its run. A block written before each part carried its own takes the block's one run line.
 */
function previousParts(existing: string | undefined): Map<string, string> {
  const parts = new Map<string, string>();
  const start = existing?.indexOf(START.slice(0, START.indexOf(' '))) ?? -1;
  const end = existing?.indexOf(END) ?? -1;
  if (!existing || start < 0 || end < start) return parts;
  const lines = existing.slice(start, end).split('\n');
  const firstPart = lines.findIndex((l) => l.startsWith('### '));
  const blockRun = lines.slice(0, firstPart < 0 ? lines.length : firstPart).find((l) => RUN_LINE.test(l));
  let heading = -1;
  const close = (to: number) => {
    if (heading < 0) return;
    const title = lines[heading]!;
    const body = lines.slice(heading + 1, to);
    if (!PARTS.some((p) => p.title === title)) return;
    const ownRun = body.find((l) => l.trim() !== '');
    if (ownRun !== undefined && !RUN_LINE.test(ownRun) && blockRun) body.unshift('', blockRun);
    parts.set(title, [title, ...body].join('\n').trimEnd());
  };
  lines.forEach((line, i) => {
    if (!line.startsWith('### ')) return;
    close(i);
    heading = i;
  });
  close(lines.length);
  return parts;
}

/**
 * The generated part of BENCHMARKS.md, markers included: the parts this run measured, and the
 * others as `existing` had them (a run of some parts, `--only`, leaves the rest in place), each
 * part naming the run it comes from.
 */
export function generatedSection(r: BenchResults, existing?: string): string {
  const previous = previousParts(existing);
  return [
    START,
    '## Last run',
    '',
    'Each part below is from the last run that measured it (`--only` runs some parts and leaves the others).',
    '',
    ...(r.errors.length > 0
      ? [`\`${r.command}\` on ${r.at} broke off with an error:`, '', ...r.errors.map((e) => `- ${e}`), '']
      : []),
    ...PARTS.flatMap(({ title, body }) => {
      const lines = body(r);
      if (lines.length > 0) return [title, '', runLine(r), '', ...lines];
      const kept = previous.get(title);
      return kept ? [kept, ''] : [];
    }),
    END,
  ].join('\n');
}

/** `existing` (or the default intro) with its generated part replaced by, or followed by, `section`. */
export function withGeneratedSection(existing: string | undefined, section: string): string {
  const text = existing ?? DEFAULT_INTRO;
  const start = text.indexOf(START.slice(0, START.indexOf(' ')));
  const end = text.indexOf(END);
  if (start >= 0 && end > start) return `${text.slice(0, start)}${section}${text.slice(end + END.length)}`;
  return `${text.trimEnd()}\n\n${section}\n`;
}
