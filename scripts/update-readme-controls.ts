import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONTROLS } from '../src/verify/controls';
import { withControlsTable } from '../src/verify/controls-table';

/** Rewrites the README's controls table from the code's control list. */
const file = resolve(__dirname, '../README.md');
writeFileSync(file, withControlsTable(readFileSync(file, 'utf8'), CONTROLS));
console.log(`README.md: controls table updated (${CONTROLS.length} controls)`);
