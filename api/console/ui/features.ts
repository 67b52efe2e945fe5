import { api } from './api';

let paths: Promise<Set<string>> | undefined;

/**
 * Whether this factory's API serves a route, read from its own OpenAPI document (public), so the
 * console asks only for what exists: e.g. spend, once the cost API is there.
 */
export async function apiServes(path: string): Promise<boolean> {
  paths ??= api<{ paths: Record<string, unknown> }>('GET', '/openapi.json').then(
    (d) => new Set(Object.keys(d.paths)),
  );
  return (await paths).has(path);
}
