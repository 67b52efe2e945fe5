import type { BootstrapAction } from './actions';
import type { BootstrapResult } from './apply';

/** The plan as the CLI prints it: one numbered line per action, or a line saying nothing changes. */
export function formatPlan(actions: BootstrapAction[]): string[] {
  if (actions.length === 0) return ['The organisation matches the config: nothing to do.'];
  const width = String(actions.length).length;
  return [
    `${actions.length} change(s):`,
    ...actions.map((a, i) => `  ${String(i + 1).padStart(width)}. ${a.description}`),
  ];
}

/** What a run did, for the last lines of `avf bootstrap`. */
export function formatResult(result: BootstrapResult): string[] {
  const accounts = Object.entries(result.accounts).map(([k, id]) => `  ${k}: ${id}`);
  return [
    ...formatPlan(result.actions),
    result.dryRun ? 'Dry run: nothing was changed.' : `Applied ${result.applied} change(s).`,
    ...(accounts.length > 0 ? ['Foundation accounts:', ...accounts] : []),
    ...(result.emulatorGaps.length > 0
      ? ['Not done on this emulator (done on real AWS):', ...result.emulatorGaps.map((g) => `  ${g}`)]
      : []),
    ...(result.waiting.length > 0
      ? ['Waiting for AWS (run avf bootstrap again later):', ...result.waiting.map((w) => `  ${w}`)]
      : []),
  ];
}
