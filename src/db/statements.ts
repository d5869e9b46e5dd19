/**
 * Prepared statements kept per connection. bun:sqlite's own `db.query()` cache holds only a few
 * statements (measured: a redemption uses more than it keeps), so on the hot path every query was
 * being prepared again: about 40 % of a redemption's CPU. Keeping our own per-connection map makes
 * each statement prepared once, and leaves bun's small cache to the other domains' queries.
 */
import type { Database, SQLQueryBindings, Statement } from "bun:sqlite";

const cache = new WeakMap<Database, Map<string, Statement>>();

export function statement<Row = unknown, Params extends SQLQueryBindings[] = SQLQueryBindings[]>(db: Database, sql: string): Statement<Row, Params> {
  let byText = cache.get(db);
  if (byText === undefined) {
    byText = new Map();
    cache.set(db, byText);
  }
  let prepared = byText.get(sql);
  if (prepared === undefined) {
    prepared = db.prepare(sql);
    byText.set(sql, prepared);
  }
  return prepared as unknown as Statement<Row, Params>;
}
