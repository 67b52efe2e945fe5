/** A finding as the CLI reads it. */
export interface FindingView {
  accountId: string;
  controlId: string;
  region?: string;
  evidence: string;
  detectedAt: string;
  remediated?: boolean;
  remediationDetail?: string;
}

/** What the CLI reads of a sweep (`GET /v1/drift`, `GET /v1/drift/sweeps/{id}`). */
export interface SweepView {
  id: string;
  startedAt: string;
  startedBy?: string;
  finishedAt?: string;
  accountsChecked: number;
  accountsFailed: number;
  findingsTotal: number;
  findings: FindingView[];
  errors?: Array<{ accountId: string; message: string }>;
  stackSets: Array<{ stackSet: string; status: string; driftedInstances?: number; detail?: string }>;
}

/** What the CLI reads of `GET /v1/drift`. */
export interface DriftView {
  sweep?: SweepView;
  nextSweepAt?: string;
  settings: { remediate: boolean; sweepIntervalMinutes: number; verificationsPerMinute: number };
}

/** A sweep of `GET /v1/drift/sweeps`: in short, with one account's findings when asked. */
export type SweepListItemView = Omit<SweepView, 'findings' | 'errors'> & { findings?: FindingView[] };

const REMEDIATION: Record<string, string> = { true: 'remediated', false: 'NOT remediated' };

const findingLine = (f: FindingView) =>
  `    ${f.accountId} ${f.controlId}${f.region ? `@${f.region}` : ''}: ${f.evidence}${f.remediated === undefined ? '' : ` (${REMEDIATION[String(f.remediated)]}${f.remediationDetail ? `: ${f.remediationDetail}` : ''})`}`;

const when = (sweep: Omit<SweepView, 'findings'>) =>
  `started ${sweep.startedAt}${sweep.startedBy ? ` by ${sweep.startedBy}` : ''}, ${sweep.finishedAt ? `finished ${sweep.finishedAt}` : 'running'}`;

/** One sweep: accounts, findings, accounts that could not be checked, StackSet drift. */
export function formatSweep(sweep: SweepView): string[] {
  return [
    `sweep ${sweep.id}: ${when(sweep)}`,
    `  accounts       ${sweep.accountsChecked} checked, ${sweep.accountsFailed} could not be checked`,
    ...(sweep.errors ?? []).map((e) => `    ${e.accountId}: ${e.message}`),
    `  findings       ${sweep.findingsTotal}${sweep.findings.length < sweep.findingsTotal ? ` (${sweep.findings.length} stored)` : ''}`,
    ...sweep.findings.map(findingLine),
    ...sweep.stackSets.map(
      (c) =>
        `  StackSet       ${c.stackSet}: ${c.status}${c.driftedInstances ? ` (${c.driftedInstances} drifted)` : ''}${c.detail ? ` ${c.detail}` : ''}`,
    ),
  ];
}

export function formatDrift(view: DriftView): string[] {
  const s = view.settings;
  const settings = `every ${s.sweepIntervalMinutes} min, ${s.verificationsPerMinute} accounts/min, remediation ${s.remediate ? 'on' : 'off'}`;
  if (!view.sweep) return [`no drift sweep yet (${settings})`];
  const lines = [...formatSweep(view.sweep), `  settings       ${settings}`];
  if (view.nextSweepAt) lines.push(`  next sweep     ${view.nextSweepAt}`);
  return lines;
}

/** Finished sweeps, one line each (and the asked-for account's findings under each). */
export function formatSweepList(items: SweepListItemView[]): string[] {
  if (items.length === 0) return ['no finished drift sweep'];
  return items.flatMap((sweep) => [
    `${sweep.id}  ${when(sweep)}: ${sweep.accountsChecked} checked, ${sweep.accountsFailed} failed, ${sweep.findingsTotal} finding(s)`,
    ...(sweep.findings ?? []).map(findingLine),
  ]);
}

/** Findings that still need a person: not remediated (or remediation off). */
export const unresolved = (findings: FindingView[]): boolean => findings.some((f) => f.remediated !== true);
