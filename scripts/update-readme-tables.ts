import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withIamActionsTable } from '../src/infra/iam-actions-table';
import { CONTROLS } from '../src/verify/controls';
import { withControlsTable } from '../src/verify/controls-table';

/** Rewrites the README's generated tables (controls, IAM actions) from the code; tests check them. */
const file = resolve(__dirname, '../README.md');
writeFileSync(file, withIamActionsTable(withControlsTable(readFileSync(file, 'utf8'), CONTROLS)));
console.log(`README.md: tables updated (${CONTROLS.length} controls, IAM actions)`);
