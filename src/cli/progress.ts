import type { RequestView, StepView } from './api-client';

const MARK: Record<string, string> = { RUNNING: '…', SUCCEEDED: '✔', FAILED: '✘' };

/** Longest detail a step line shows; `--json` has it whole. */
export const DETAIL_WIDTH = 160;

/** A long text cut to `width` characters, saying how much was left out. */
export function summarise(text: string, width = DETAIL_WIDTH): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= width
    ? flat
    : `${flat.slice(0, width - 1)}… (+${flat.length - width + 1} chars, --json for all)`;
}

/** One line per step transition, with its timestamp: what a person watching wants to see. */
export function formatStep(step: StepView): string {
  const at = step.status === 'RUNNING' ? step.startedAt : (step.finishedAt ?? step.startedAt);
  const took =
    step.startedAt && step.finishedAt
      ? ` (${((Date.parse(step.finishedAt) - Date.parse(step.startedAt)) / 1000).toFixed(2)} s)`
      : '';
  return `  ${at ?? ''}  ${MARK[step.status] ?? ' '} ${step.name.padEnd(19)} ${step.status}${took}${step.detail ? `  ${summarise(step.detail)}` : ''}`;
}

/**
 * A verification's counts; `notCounted` of its FAIL and ERROR results did not block (controls with a
 * declared emulator gap, under AVF_EMULATOR=1: the only ones the READY gate lets pass).
 */
export function controlsCounts(
  counts: { passed: number; failed: number; error: number },
  notCounted = 0,
): string {
  return (
    `${counts.passed} passed, ${counts.failed} failed, ${counts.error} error` +
    (notCounted > 0 ? ` (${notCounted} on controls the emulator cannot evaluate, not counted)` : '')
  );
}

export function formatOutcome(view: RequestView): string[] {
  const lines = [`request ${view.id}: ${view.status}`];
  if (view.accountId) lines.push(`  account        ${view.accountId} (${view.request.accountName})`);
  lines.push(`  OU             ${view.request.organizationalUnit}`);
  if (view.controls) {
    // a READY request's FAIL and ERROR results are the ones its gate did not count
    const notCounted = view.status === 'READY' ? view.controls.failed + view.controls.error : 0;
    lines.push(`  controls       ${controlsCounts(view.controls, notCounted)}`);
  }
  lines.push(
    `  budget         ${view.request.budget.monthlyLimitUsd} USD a month, alerts at ${view.request.budget.thresholdsPercent.join('/')} %`,
  );
  lines.push(
    `  access         ${view.request.access.map((a) => `${a.group} → ${a.permissionSet}`).join(', ') || 'none'}`,
  );
  if (view.error) lines.push(`  error          ${view.error.code}: ${summarise(view.error.message)}`);
  if (view.status === 'PENDING_APPROVAL')
    lines.push(
      `  waiting for    approval by a platform token: avf approve ${view.id} (or avf reject ${view.id} --reason …)`,
    );
  return lines;
}
