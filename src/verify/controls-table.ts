import type { Control } from './verifier';

export const TABLE_START =
  '<!-- controls-table:start (generated from src/verify/controls; npm run docs:readme) -->';
export const TABLE_END = '<!-- controls-table:end -->';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The README's controls table, made from the controls the verifier runs, so the two cannot drift. */
export function controlsTable(controls: Control[]): string {
  const rows = controls.map(
    (c) =>
      `| ${c.id} | ${cell(c.title)} | ${(c.seeds ?? []).join(', ')} | ${cell(c.enforcedBy ?? '')} | ${cell(c.emulatorGap ? `not evaluable: ${c.emulatorGap}` : 'verified')} |`,
  );
  return [
    '| id | control | seeds | enforced by | on the local emulator (moto) |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Replaces the table between the markers of a README. */
export function withControlsTable(readme: string, controls: Control[]): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('the README has no controls-table markers');
  return `${readme.slice(0, start + TABLE_START.length)}\n${controlsTable(controls)}\n${readme.slice(end)}`;
}
