import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, type Problem } from '../domain/errors';
import { zodProblems } from '../domain/zod-problems';
import { ConfigSchema, type FactoryConfig } from './schema';
import { configRuleProblems } from './rules';

/** A validated config plus where it came from, so relative file paths can be resolved. */
export interface LoadedConfig {
  file: string;
  baseDir: string;
  config: FactoryConfig;
}

export const DEFAULT_CONFIG_FILE = './factory.config.yaml';

/** Reads, parses and validates the config; throws ConfigError naming every problem with its field. */
export function loadConfig(file = process.env.AVF_CONFIG ?? DEFAULT_CONFIG_FILE): LoadedConfig {
  const path = resolve(file);
  if (!existsSync(path)) throw new ConfigError(path, [{ path: '', message: 'the file does not exist' }]);
  return parseConfig(readFileSync(path, 'utf8'), path);
}

export function parseConfig(text: string, file: string): LoadedConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message}` })),
    );
  }
  const parsed = ConfigSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new ConfigError(file, zodProblems(parsed.error));
  const baseDir = dirname(file);
  const problems: Problem[] = configRuleProblems(parsed.data, baseDir);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { file, baseDir, config: parsed.data };
}

/** Resolves a path written in the config relative to the config file. */
export function configPath(loaded: LoadedConfig, relative: string): string {
  return resolve(loaded.baseDir, relative);
}
