import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../src/config/load';
import {
  describeCase,
  evaluateTable,
  loadCaseTable,
  orgScps,
  scpSyntaxProblems,
  type CaseResult,
} from './evaluator';

/**
 * `npx tsx scripts/scp-cases/main.ts [--ref GIT_REF]`: runs the SCP case table
 * (test/guardrails/scp-cases.yaml) through the outside evaluator against the example config's
 * SCPs — the working tree's, or with --ref the stacksets/scp/ documents of that git ref (rendered
 * with today's config) — prints the cases that do not behave as expected and the totals, and
 * writes every result to data/scp-cases-<label>.json (git-ignored).
 */
const REPO = resolve(__dirname, '../..');

function configDir(ref: string | undefined): string {
  if (ref === undefined) return REPO;
  const dir = mkdtempSync(join(tmpdir(), 'avf-scp-cases-'));
  cpSync(join(REPO, 'stacksets'), join(dir, 'stacksets'), { recursive: true });
  cpSync(join(REPO, 'factory.config.yaml'), join(dir, 'factory.config.yaml'));
  const files = execFileSync('git', ['ls-tree', '--name-only', `${ref}:stacksets/scp`], {
    cwd: REPO,
    encoding: 'utf8',
  });
  for (const file of files.split('\n').filter(Boolean)) {
    const text = execFileSync('git', ['show', `${ref}:stacksets/scp/${file}`], {
      cwd: REPO,
      encoding: 'utf8',
    });
    writeFileSync(join(dir, 'stacksets/scp', file), text);
  }
  return dir;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--ref');
  const ref = i >= 0 ? process.argv[i + 1] : undefined;
  const dir = configDir(ref);
  const file = join(dir, 'factory.config.yaml');
  const loaded = parseConfig(readFileSync(file, 'utf8'), file);
  const scps = orgScps(loaded);
  const table = loadCaseTable(join(REPO, 'test/guardrails/scp-cases.yaml'));
  const results: CaseResult[] = await evaluateTable(table, scps, loaded.config.organization.quarantinePolicy);
  const wrong = results.filter((r) => !r.ok);
  const label = ref ?? 'worktree';
  for (const r of wrong) console.log(describeCase(r));
  for (const p of scpSyntaxProblems(scps)) console.log(`iam-policy: ${p}`);
  console.log(
    `${label}: ${results.length} cases, ${results.length - wrong.length} as intended, ${wrong.length} not ` +
      `(allowed but should be denied: ${wrong.filter((r) => r.got === 'Allow').length})`,
  );
  mkdirSync(join(REPO, 'data'), { recursive: true });
  const out = join(REPO, 'data', `scp-cases-${label.replace(/[^\w.-]/g, '_')}.json`);
  writeFileSync(
    out,
    JSON.stringify(
      results.map((r) => ({ ...r.case, got: r.got, ok: r.ok })),
      null,
      2,
    ),
  );
  console.log(`results: ${out}`);
}

void main();
