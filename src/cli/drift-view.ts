/** What the CLI reads of `GET /v1/drift`. */
export interface DriftView {
  sweep?: {
    id: string;
    startedAt: string;
    finishedAt?: string;
    accountsChecked: number;
    accountsFailed: number;
    findingsTotal: number;
    findings: Array<{
      accountId: string;
      controlId: string;
      region?: string;
      evidence: string;
      detectedAt: string;
      remediated?: boolean;
      remediationDetail?: string;
    }>;
    stackSets: Array<{ stackSet: string; status: string; driftedInstances?: number; detail?: string }>;
  };
  nextSweepAt?: string;
  settings: { remediate: boolean; sweepIntervalMinutes: number; verificationsPerMinute: number };
}

const REMEDIATION: Record<string, string> = { true: 'remediated', false: 'NOT remediated' };

export function formatDrift(view: DriftView): string[] {
  const s = view.settings;
  const settings = `every ${s.sweepIntervalMinutes} min, ${s.verificationsPerMinute} accounts/min, remediation ${s.remediate ? 'on' : 'off'}`;
  const sweep = view.sweep;
  if (!sweep) return [`no drift sweep yet (${settings})`];
  const lines = [
    `sweep ${sweep.id}: started ${sweep.startedAt}, ${sweep.finishedAt ? `finished ${sweep.finishedAt}` : 'running'}`,
    `  accounts       ${sweep.accountsChecked} checked, ${sweep.accountsFailed} could not be checked`,
    `  findings       ${sweep.findingsTotal}`,
    ...sweep.findings.map(
      (f) =>
        `    ${f.accountId} ${f.controlId}${f.region ? `@${f.region}` : ''}: ${f.evidence}${f.remediated === undefined ? '' : ` (${REMEDIATION[String(f.remediated)]}${f.remediationDetail ? `: ${f.remediationDetail}` : ''})`}`,
    ),
    ...sweep.stackSets.map(
      (c) =>
        `  StackSet       ${c.stackSet}: ${c.status}${c.driftedInstances ? ` (${c.driftedInstances} drifted)` : ''}${c.detail ? ` ${c.detail}` : ''}`,
    ),
    `  settings       ${settings}`,
  ];
  if (view.nextSweepAt) lines.push(`  next sweep     ${view.nextSweepAt}`);
  return lines;
}
