/**
 * Reading entries: a household's history (newest first, keyset pagination on id) and a village's
 * review queue by status. Reads only.
 */
import type { Database } from "bun:sqlite";
import type { EntryRow, EntryStatus } from "./entry-store.ts";

export type EntryView = EntryRow & { reversed_by_id: number | null; is_claim: number };

const SELECT_VIEW = `SELECT e.*, r.id AS reversed_by_id FROM entries e LEFT JOIN entries r ON r.reverses_id = e.id`;

/** A page of a household's entries with id below `beforeId` (0 = from the newest). */
export function householdEntries(
  db: Database,
  householdId: number,
  beforeId: number,
  limit: number,
): EntryView[] {
  return db
    .query<EntryView, [number, number, number]>(
      `${SELECT_VIEW} WHERE e.household_id = ? AND e.id < ? ORDER BY e.id DESC LIMIT ?`,
    )
    .all(householdId, beforeId === 0 ? Number.MAX_SAFE_INTEGER : beforeId, limit);
}

export function villageEntries(
  db: Database,
  villageId: number,
  status: EntryStatus | undefined,
  beforeId: number,
  limit: number,
): EntryView[] {
  const before = beforeId === 0 ? Number.MAX_SAFE_INTEGER : beforeId;
  if (status === undefined) {
    return db
      .query<EntryView, [number, number, number]>(
        `${SELECT_VIEW} WHERE e.village_id = ? AND e.id < ? ORDER BY e.id DESC LIMIT ?`,
      )
      .all(villageId, before, limit);
  }
  // Entries waiting on the committee come from the queue index (migrations/0005); posted ones are
  // most of the village's entries, so walking back from the newest finds a page at once.
  const queue = status === "posted" ? "" : " AND e.status <> 'posted'";
  return db
    .query<EntryView, [number, string, number, number]>(
      `${SELECT_VIEW} WHERE e.village_id = ? AND e.status = ?${queue} AND e.id < ? ORDER BY e.id DESC LIMIT ?`,
    )
    .all(villageId, status, before, limit);
}

export function entryView(db: Database, id: number): EntryView | null {
  return db.query<EntryView, [number]>(`${SELECT_VIEW} WHERE e.id = ?`).get(id);
}

/** Entries by id, in the order of the ids given (missing ones left out). */
export function entryViews(db: Database, ids: readonly number[]): EntryView[] {
  if (ids.length === 0) return [];
  const rows = db
    .query<EntryView, number[]>(`${SELECT_VIEW} WHERE e.id IN (${ids.map(() => "?").join(",")})`)
    .all(...ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is EntryView => r !== undefined);
}

/**
 * Who recorded or approved, as people read it: staff are stored by username and shown by their
 * display name when they have one; a kiosk is stored as `kiosk:<id>`, shown by the kiosk's name.
 */
export function actorNames(db: Database, stored: readonly (string | null)[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const s of stored) {
    if (s === null || names.has(s)) continue;
    const kiosk = /^kiosk:(\d+)$/.exec(s);
    const row = kiosk
      ? db
          .query<{ name: string }, [number]>("SELECT name FROM kiosks WHERE id = ?")
          .get(Number(kiosk[1]))
      : db
          .query<{ name: string | null }, [string]>(
            "SELECT display_name AS name FROM users WHERE username = ?",
          )
          .get(s);
    names.set(s, row?.name ? row.name : s);
  }
  return names;
}

/** The heads' full names of these households (staff answers only; the public sees masked names). */
export function headNamesOf(db: Database, householdIds: readonly number[]): Map<number, string> {
  const ids = [...new Set(householdIds)];
  const out = new Map<number, string>();
  if (ids.length === 0) return out;
  const rows = db
    .query<{ id: number; head_name: string }, number[]>(
      `SELECT id, head_name FROM households WHERE id IN (${ids.map(() => "?").join(",")})`,
    )
    .all(...ids);
  for (const r of rows) out.set(r.id, r.head_name);
  return out;
}
