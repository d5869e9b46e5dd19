/**
 * Reading objections for the committee's review page: a village's, newest first, with keyset
 * paging on the objection's id. Open objections are those whose entry is still disputed; they are
 * found from the few disputed entries on the review-queue index (entries_queue), all objections
 * from objections_village (migrations/0012). Reads only.
 */
import type { Database } from "bun:sqlite";

export type ObjectionRow = { id: number; entry_id: number; reason: string; created_at_ms: number };
export type ObjectionFilter = { open: boolean; householdId: number | undefined };

const COLUMNS = "o.id, o.entry_id, o.reason, o.created_at_ms";

/** A page of a village's objections with id below `beforeId` (0 = from the newest). */
export function villageObjections(
  db: Database,
  villageId: number,
  filter: ObjectionFilter,
  beforeId: number,
  limit: number,
): ObjectionRow[] {
  const before = beforeId === 0 ? Number.MAX_SAFE_INTEGER : beforeId;
  const household = filter.householdId === undefined ? "" : " AND e.household_id = ?";
  const args =
    filter.householdId === undefined
      ? [villageId, before, limit]
      : [villageId, filter.householdId, before, limit];
  if (filter.open) {
    // CROSS JOIN keeps the disputed entries as the outer loop: they are few, objections many.
    return db
      .query<ObjectionRow, number[]>(
        `SELECT ${COLUMNS} FROM entries e CROSS JOIN objections o ON o.entry_id = e.id
         WHERE e.village_id = ? AND e.status = 'disputed' AND e.status <> 'posted'${household} AND o.id < ? ORDER BY o.id DESC LIMIT ?`,
      )
      .all(...args);
  }
  return db
    .query<ObjectionRow, number[]>(
      `SELECT ${COLUMNS} FROM objections o CROSS JOIN entries e ON e.id = o.entry_id
       WHERE o.village_id = ?${household} AND o.id < ? ORDER BY o.id DESC LIMIT ?`,
    )
    .all(...args);
}
