import type { Database } from "bun:sqlite";
import { pinyinKeys } from "./names.ts";

export type HouseholdRow = {
  id: number;
  village_id: number;
  head_name: string;
  address: string;
  external_id: string | null;
  balance: number;
  created_at_ms: number;
};
export type MemberRow = { id: number; household_id: number; name: string; relation: string | null; is_head: number };

export type NewHousehold = { headName: string; address: string; externalId: string | null; members: { name: string; relation: string | null }[] };

const HOUSEHOLD_COLUMNS = "id, village_id, head_name, address, external_id, balance, created_at_ms";

/** Inserts a household and its members; the head is always a member. Call inside a transaction. */
export function insertHousehold(db: Database, villageId: number, h: NewHousehold, nowMs: number): number {
  const keys = pinyinKeys(h.headName);
  const row = db
    .query<{ id: number }, [number, string, string, string, string, string | null, number]>(
      "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, address, external_id, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .get(villageId, h.headName, keys.initials, keys.full, h.address, h.externalId, nowMs)!;
  const insertMember = db.query("INSERT INTO members (household_id, name, relation, is_head) VALUES (?, ?, ?, ?)");
  insertMember.run(row.id, h.headName, "户主", 1);
  for (const m of h.members) {
    if (m.name === h.headName) continue;
    insertMember.run(row.id, m.name, m.relation, 0);
  }
  return row.id;
}

export function findHousehold(db: Database, id: number): HouseholdRow | null {
  return db.query<HouseholdRow, [number]>(`SELECT ${HOUSEHOLD_COLUMNS} FROM households WHERE id = ?`).get(id);
}

export function villageOfHousehold(db: Database, id: number): number | null {
  return db.query<{ village_id: number }, [number]>("SELECT village_id FROM households WHERE id = ?").get(id)?.village_id ?? null;
}

export function membersOf(db: Database, householdId: number): MemberRow[] {
  return db.query<MemberRow, [number]>("SELECT * FROM members WHERE household_id = ? ORDER BY is_head DESC, id").all(householdId);
}

export function membersOfMany(db: Database, householdIds: number[]): Map<number, MemberRow[]> {
  const out = new Map<number, MemberRow[]>();
  if (householdIds.length === 0) return out;
  const rows = db.query<MemberRow, number[]>(`SELECT * FROM members WHERE household_id IN (${householdIds.map(() => "?").join(",")}) ORDER BY is_head DESC, id`).all(...householdIds);
  for (const r of rows) {
    const list = out.get(r.household_id) ?? [];
    list.push(r);
    out.set(r.household_id, list);
  }
  return out;
}

/** The upper bound of a prefix range: every string that starts with `prefix` sorts below it. */
function prefixEnd(prefix: string): string {
  return prefix + "\u{10FFFF}";
}

/**
 * Households of a village, oldest first, after `afterId`. A search matches the start of the head's
 * name, its pinyin initials (`zjh`) or full pinyin (`zhangjianhua`), the start of any member's
 * name, or the external id exactly. Each branch is an index range, so a search stays fast in a
 * village of 100,000 households.
 */
export function searchHouseholds(db: Database, villageId: number, search: string | undefined, afterId: number, limit: number): HouseholdRow[] {
  if (search === undefined || search === "") {
    return db.query<HouseholdRow, [number, number, number]>(`SELECT ${HOUSEHOLD_COLUMNS} FROM households WHERE village_id = ? AND id > ? ORDER BY id LIMIT ?`).all(villageId, afterId, limit);
  }
  if (/^[A-Za-z]+$/.test(search)) {
    const s = search.toLowerCase();
    return db
      .query<HouseholdRow, [number, string, string, number, string, string, number, number]>(
        `SELECT ${HOUSEHOLD_COLUMNS} FROM households WHERE id IN (
           SELECT id FROM households WHERE village_id = ? AND head_initials >= ? AND head_initials < ?
           UNION SELECT id FROM households WHERE village_id = ? AND head_pinyin >= ? AND head_pinyin < ?)
         AND id > ? ORDER BY id LIMIT ?`,
      )
      .all(villageId, s, prefixEnd(s), villageId, s, prefixEnd(s), afterId, limit);
  }
  return db
    .query<HouseholdRow, [number, string, string, number, string, string, number, string, number, number]>(
      `SELECT ${HOUSEHOLD_COLUMNS} FROM households WHERE id IN (
         SELECT id FROM households WHERE village_id = ? AND head_name >= ? AND head_name < ?
         UNION SELECT m.household_id FROM members m JOIN households h ON h.id = m.household_id
               WHERE h.village_id = ? AND m.name >= ? AND m.name < ?
         UNION SELECT id FROM households WHERE village_id = ? AND external_id = ?)
       AND id > ? ORDER BY id LIMIT ?`,
    )
    .all(villageId, search, prefixEnd(search), villageId, search, prefixEnd(search), villageId, search, afterId, limit);
}
