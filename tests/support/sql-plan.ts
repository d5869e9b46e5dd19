/** Helpers for query-plan tests: record the SQL a real function prepares, then explain it. */
import type { Database } from "bun:sqlite";

/** Runs `use` against a connection that records every SQL text it prepares. */
export function recordSql(db: Database, use: (db: Database) => void): string[] {
  const seen: string[] = [];
  const recording = new Proxy(db, {
    get(target, key) {
      if (key === "query" || key === "prepare")
        return (sql: string) => (seen.push(sql), target.query(sql));
      const value = Reflect.get(target, key) as unknown;
      return typeof value === "function"
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  use(recording);
  return seen;
}

/** SQLite's plan of a statement, its steps joined by " | ", with 1 for every parameter. */
export function plan(db: Database, sql: string): string {
  const marks = sql.match(/\?\d*/g) ?? [];
  // Numbered parameters (?1, ?2) may repeat: as many values as the highest number.
  const count = marks.some((m) => m.length > 1)
    ? Math.max(...marks.map((m) => Number(m.slice(1)) || 0))
    : marks.length;
  const params = Array.from({ length: count }, () => 1);
  return db
    .query<{ detail: string }, (number | string)[]>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((r) => r.detail)
    .join(" | ");
}
