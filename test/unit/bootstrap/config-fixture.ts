import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadConfig, parseConfig, type LoadedConfig } from '../../../src/config/load';

export const REPO = resolve(__dirname, '../../..');
export const EXAMPLE_CONFIG = join(REPO, 'factory.config.yaml');

export const example = (): LoadedConfig => loadConfig(EXAMPLE_CONFIG);

type Yaml = Record<string, unknown> & {
  policies: Record<string, Record<string, unknown>>;
  organizationalUnits: Array<Record<string, unknown>>;
};

/**
 * The example config copied to a temporary folder (with stacksets/), changed by `edit`, with
 * extra files written next to it; loaded like the CLI loads it.
 */
export function variant(edit: (config: Yaml) => void, files: Record<string, string> = {}): LoadedConfig {
  const dir = mkdtempSync(join(tmpdir(), 'avf-bootstrap-'));
  cpSync(join(REPO, 'stacksets'), join(dir, 'stacksets'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const config = parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as Yaml;
  edit(config);
  const file = join(dir, 'factory.config.yaml');
  writeFileSync(file, stringify(config));
  return parseConfig(readFileSync(file, 'utf8'), file);
}
