import type Database from 'better-sqlite3';

/**
 * Makes `db.prepare` return one compiled statement per SQL text instead of compiling it on every
 * call (a measurable share of a GET's time). better-sqlite3 runs statements synchronously, so a
 * statement is never in use twice at once. The SQL texts are the store's own, so the cache is
 * bounded by the code, not by the data.
 */
export function cacheStatements(db: Database.Database): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    let statement = cache.get(source);
    if (!statement) cache.set(source, (statement = compile(source)));
    return statement;
  };
  db.prepare = prepare as typeof db.prepare;
}
