import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONTROLS } from '../../../src/verify/controls';
import { withControlsTable } from '../../../src/verify/controls-table';

describe('README controls table', () => {
  it('is the one generated from the verifier controls (run `npm run docs:readme` after changing them)', () => {
    const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toBe(withControlsTable(readme, CONTROLS));
  });

  it('has every control documented with its seeds and how it is enforced', () => {
    for (const control of CONTROLS) {
      expect(control.seeds?.length).toBeGreaterThan(0);
      expect(control.enforcedBy).toBeTruthy();
    }
  });

  it('lists each control id once', () => {
    const ids = CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
