import type { RequestView, StepView } from './api-client';

const MARK: Record<string, string> = { RUNNING: '…', SUCCEEDED: '✔', FAILED: '✘' };

/** One line per step transition, with its timestamp: what a person watching wants to see. */
export function formatStep(step: StepView): string {
  const at = step.status === 'RUNNING' ? step.startedAt : (step.finishedAt ?? step.startedAt);
  const took =
    step.startedAt && step.finishedAt
      ? ` (${((Date.parse(step.finishedAt) - Date.parse(step.startedAt)) / 1000).toFixed(2)} s)`
      : '';
  return `  ${at ?? ''}  ${MARK[step.status] ?? ' '} ${step.name.padEnd(19)} ${step.status}${took}${step.detail ? `  ${step.detail}` : ''}`;
}

export function formatOutcome(view: RequestView): string[] {
  const lines = [`request ${view.id}: ${view.status}`];
  if (view.accountId) lines.push(`  account        ${view.accountId} (${view.request.accountName})`);
  lines.push(`  OU             ${view.request.organizationalUnit}`);
  if (view.controls) {
    lines.push(
      `  controls       ${view.controls.passed} passed, ${view.controls.failed} failed, ${view.controls.error} not evaluable`,
    );
  }
  lines.push(
    `  budget         ${view.request.budget.monthlyLimitUsd} USD a month, alerts at ${view.request.budget.thresholdsPercent.join('/')} %`,
  );
  lines.push(
    `  access         ${view.request.access.map((a) => `${a.group} → ${a.permissionSet}`).join(', ') || 'none'}`,
  );
  if (view.error) lines.push(`  error          ${view.error.code}: ${view.error.message}`);
  return lines;
}
