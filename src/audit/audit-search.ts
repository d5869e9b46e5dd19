/**
 * Searching the audit log, newest first by (at_ms, id), one page at a time.
 *
 * Each filter reads its own index, village first (migrations/0013): a village's rows, or a
 * village's rows of one actor, one action or one kind of record; one record's rows (by entity
 * and id, e.g. a redemption found by its receipt number) read audit_log_entity. A search over
 * several villages (the township's "all villages") asks each village's index for its newest
 * page and merges them: each village's query stops at the page's end and, once a full page of
 * candidates is held, also at the oldest candidate, so later villages read only rows that could
 * still make the page. So no index is kept twice (with and without the village), which would cost
 * every write another five index entries, and every query plan is a bounded index range
 * (tests/audit/query-plans.test.ts proves each).
 */
import type { Database } from "bun:sqlite";

export type AuditRow = {
  id: number;
  at_ms: number;
  actor_kind: "user" | "kiosk" | "public" | "system";
  actor_id: string | null;
  village_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  address: string | null;
  request_id: string | null;
  detail: string | null;
};

/** A position in the log: rows strictly older than it come next. */
export type AuditKey = { atMs: number; id: number };

export type AuditFilter = {
  /** One village, or every village and the township's own rows (null: no village), as allAuditScopes lists them. */
  villages: readonly (number | null)[];
  actor?: { kind: "user" | "kiosk"; id: string };
  action?: string;
  entity?: string;
  /** One or more records of `entity` (a receipt number can name one redemption per village). */
  entityIds?: readonly string[];
  /** Epoch milliseconds, from inclusive, to exclusive. */
  fromMs?: number;
  toMs?: number;
};

type Term = { sql: string; params: (string | number | null)[] };

/** The index a search reads, and the condition on its leading columns after the village. */
function leading(f: AuditFilter): { index: string; term: Term | null } {
  if (f.action !== undefined)
    return { index: "audit_log_village_action", term: { sql: "action = ?", params: [f.action] } };
  if (f.actor !== undefined)
    return {
      index: "audit_log_village_actor",
      term: { sql: "actor_kind = ? AND actor_id = ?", params: [f.actor.kind, f.actor.id] },
    };
  if (f.entity !== undefined)
    return { index: "audit_log_village_entity", term: { sql: "entity = ?", params: [f.entity] } };
  return { index: "audit_log_village", term: null };
}

/** The filters the chosen index does not cover, checked on the rows it yields. */
function remaining(f: AuditFilter, index: string): Term[] {
  const terms: Term[] = [];
  if (f.actor !== undefined && index !== "audit_log_village_actor")
    terms.push({ sql: "actor_kind = ? AND actor_id = ?", params: [f.actor.kind, f.actor.id] });
  if (f.action !== undefined && index !== "audit_log_village_action")
    terms.push({ sql: "action = ?", params: [f.action] });
  if (
    f.entity !== undefined &&
    index !== "audit_log_village_entity" &&
    index !== "audit_log_entity"
  )
    terms.push({ sql: "entity = ?", params: [f.entity] });
  if (f.fromMs !== undefined) terms.push({ sql: "at_ms >= ?", params: [f.fromMs] });
  return terms;
}

/**
 * The newest end of the range: the cursor, or the end of the last day, whichever comes first.
 * One bound, not two, so the index range starts there (SQLite uses one upper bound of a column).
 */
function upperBound(f: AuditFilter, before: AuditKey | null): Term | null {
  if (before !== null && (f.toMs === undefined || before.atMs < f.toMs))
    return { sql: "(at_ms, id) < (?, ?)", params: [before.atMs, before.id] };
  if (f.toMs !== undefined) return { sql: "at_ms < ?", params: [f.toMs] };
  return null;
}

function keysQuery(db: Database, sql: string, params: (string | number | null)[]): AuditKey[] {
  return db
    .query<{ at_ms: number; id: number }, (string | number | null)[]>(sql)
    .all(...params)
    .map((r) => ({ atMs: r.at_ms, id: r.id }));
}

function newerFirst(a: AuditKey, b: AuditKey): number {
  return b.atMs - a.atMs || b.id - a.id;
}

/** The keys of the next `limit` rows (newest first) below `before`. */
export function searchAuditKeys(
  db: Database,
  f: AuditFilter,
  before: AuditKey | null,
  limit: number,
): AuditKey[] {
  if (f.villages.length === 0 || (f.entityIds !== undefined && f.entityIds.length === 0)) return [];
  const upper = upperBound(f, before);

  if (f.entityIds !== undefined && f.entity !== undefined) {
    // One record's rows are few: read them by record, check the villages on the rows.
    const terms: Term[] = [
      {
        sql: `entity = ? AND entity_id IN (${f.entityIds.map(() => "?").join(", ")})`,
        params: [f.entity, ...f.entityIds],
      },
      ...remaining(f, "audit_log_entity"),
    ];
    if (upper !== null) terms.push(upper);
    if (f.villages.length === 1) terms.push({ sql: "village_id IS ?", params: [f.villages[0]!] });
    return keysQuery(
      db,
      `SELECT at_ms, id FROM audit_log INDEXED BY audit_log_entity WHERE ${terms.map((t) => t.sql).join(" AND ")} ORDER BY at_ms DESC, id DESC LIMIT ?`,
      [...terms.flatMap((t) => t.params), limit],
    );
  }

  const { index, term } = leading(f);
  const base: Term[] = [{ sql: "village_id IS ?", params: [] }];
  if (term !== null) base.push(term);
  base.push(...remaining(f, index));
  if (upper !== null) base.push(upper);
  const where = base.map((t) => t.sql).join(" AND ");
  const params = (village: number | null) => [village, ...base.slice(1).flatMap((t) => t.params)];
  const openSql = `SELECT at_ms, id FROM audit_log INDEXED BY ${index} WHERE ${where} ORDER BY at_ms DESC, id DESC LIMIT ?`;
  const boundedSql = `SELECT at_ms, id FROM audit_log INDEXED BY ${index} WHERE ${where} AND (at_ms, id) > (?, ?) ORDER BY at_ms DESC, id DESC LIMIT ?`;

  let held: AuditKey[] = [];
  for (const village of f.villages) {
    const oldest = held.length >= limit ? held[limit - 1]! : null;
    const found =
      oldest === null
        ? keysQuery(db, openSql, [...params(village), limit])
        : keysQuery(db, boundedSql, [...params(village), oldest.atMs, oldest.id, limit]);
    if (found.length === 0) continue;
    held = held.concat(found).sort(newerFirst).slice(0, limit);
  }
  return held;
}

/** The rows of these keys, in the keys' order. */
export function auditRows(db: Database, keys: readonly AuditKey[]): AuditRow[] {
  if (keys.length === 0) return [];
  const rows = db
    .query<AuditRow, number[]>(
      `SELECT * FROM audit_log WHERE id IN (${keys.map(() => "?").join(", ")})`,
    )
    .all(...keys.map((k) => k.id));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return keys.map((k) => byId.get(k.id)).filter((r): r is AuditRow => r !== undefined);
}

/**
 * The distinct values of a column in the searched villages, for the filter's pick lists: in each
 * village a walk from one value to the next along the village-first index (one seek each, all in
 * one statement), never a scan.
 */
export function distinctAuditValues(
  db: Database,
  column: "action" | "entity",
  villages: readonly (number | null)[],
): string[] {
  // Over every village (more than one means all), the entities are one walk along the index of
  // records, which no village leads: a few seeks instead of a few for each village.
  if (column === "entity" && villages.length > 1) {
    const sql = `WITH RECURSIVE walk(value) AS (
      SELECT ''
      UNION ALL
      SELECT (SELECT entity FROM audit_log INDEXED BY audit_log_entity WHERE entity > walk.value ORDER BY entity LIMIT 1) FROM walk WHERE walk.value IS NOT NULL
    )
    SELECT value FROM walk WHERE value IS NOT NULL AND value <> ''`;
    return db
      .query<{ value: string }, []>(sql)
      .all()
      .map((r) => r.value);
  }
  const index = column === "action" ? "audit_log_village_action" : "audit_log_village_entity";
  const sql = `WITH RECURSIVE
    scope(village) AS (SELECT value FROM json_each(?)),
    walk(village, value) AS (
      SELECT village, (SELECT ${column} FROM audit_log INDEXED BY ${index} WHERE village_id IS scope.village ORDER BY ${column} LIMIT 1) FROM scope
      UNION ALL
      SELECT village, (SELECT ${column} FROM audit_log INDEXED BY ${index} WHERE village_id IS walk.village AND ${column} > walk.value ORDER BY ${column} LIMIT 1)
      FROM walk WHERE walk.value IS NOT NULL
    )
    SELECT DISTINCT value FROM walk WHERE value IS NOT NULL ORDER BY value`;
  return db
    .query<{ value: string }, [string]>(sql)
    .all(JSON.stringify(villages))
    .map((r) => r.value);
}

/** Every village, and null for the township's own rows: what "all villages" searches. */
export function allAuditScopes(db: Database): (number | null)[] {
  return [
    null,
    ...db
      .query<{ id: number }, []>("SELECT id FROM villages ORDER BY id")
      .all()
      .map((r) => r.id),
  ];
}

/** The redemptions with this receipt number in these villages (receipt numbers count per village). */
export function redemptionIdsByReceipt(
  db: Database,
  villages: readonly (number | null)[],
  receiptNo: number,
): string[] {
  const find = db.query<{ id: number }, [number, number]>(
    "SELECT id FROM redemptions WHERE village_id = ? AND receipt_no = ?",
  );
  return villages
    .flatMap((v) => (v === null ? [] : (find.get(v, receiptNo)?.id ?? [])))
    .map(String);
}
