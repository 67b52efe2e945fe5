import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One AWS SDK line: AWS publishes a client only when that client changes, so the clients' own
 * version numbers differ, but every client must be the release package.json names and share one
 * copy of the SDK's core (`@aws-sdk/*`, `@smithy/*`, `@aws-crypto/*`) — no nested second copy.
 */
const REPO = join(__dirname, '../../..');
const read = <T>(file: string): T => JSON.parse(readFileSync(join(REPO, file), 'utf8')) as T;
const manifest = read<{ dependencies: Record<string, string>; devDependencies: Record<string, string> }>(
  'package.json',
);
const lock = read<{ packages: Record<string, { version?: string }> }>('package-lock.json');
const SDK = /^@(aws-sdk|smithy|aws-crypto)\//;

describe('the AWS SDK in package.json and package-lock.json', () => {
  it('resolves every SDK package to exactly one version', () => {
    const versions = new Map<string, Set<string>>();
    for (const [path, entry] of Object.entries(lock.packages)) {
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      if (!path.includes('node_modules/') || !SDK.test(name) || entry.version === undefined) continue;
      versions.set(name, (versions.get(name) ?? new Set()).add(entry.version));
    }
    const repeated = [...versions]
      .filter(([, v]) => v.size > 1)
      .map(([n, v]) => `${n}: ${[...v].join(', ')}`);
    expect(versions.size).toBeGreaterThan(20);
    expect(repeated).toEqual([]);
  });

  it('locks each @aws-sdk client at the release package.json asks for', () => {
    const declared = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(([n]) =>
      n.startsWith('@aws-sdk/'),
    );
    const mismatched = declared
      .filter(([name, range]) => `^${lock.packages[`node_modules/${name}`]?.version}` !== range)
      .map(([name, range]) => `${name} ${range} locked ${lock.packages[`node_modules/${name}`]?.version}`);
    expect(declared.length).toBeGreaterThan(15);
    expect(mismatched).toEqual([]);
  });
});
