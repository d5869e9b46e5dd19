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

/**
 * Which village a household is in: asked by the tenancy check of every award, so it is remembered
 * per connection. That is safe without any invalidation because a household never moves and is
 * never deleted (triggers in migrations/0006), and only households that exist are remembered.
 */
const villageOfHouseholdCache = new WeakMap<Database, Map<number, number>>();
const VILLAGE_OF_HOUSEHOLD_CACHE_MAX = 200_000;

export function villageOfHousehold(db: Database, id: number): number | null {
  let known = villageOfHouseholdCache.get(db);
  const cached = known?.get(id);
  if (cached !== undefined) return cached;
  const villageId = db.query<{ village_id: number }, [number]>("SELECT village_id FROM households WHERE id = ?").get(id)?.village_id ?? null;
  if (villageId !== null) {
    if (known === undefined || known.size >= VILLAGE_OF_HOUSEHOLD_CACHE_MAX) villageOfHouseholdCache.set(db, (known = new Map()));
    known.set(id, villageId);
  }
  return villageId;
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

/** Search pages are offsets into a ranked list; deeper than this, narrow the search instead. */
export const SEARCH_OFFSET_MAX = 5_000;

/** Households of a village in registration order, after `afterId`. */
export function listHouseholds(db: Database, villageId: number, afterId: number, limit: number): HouseholdRow[] {
  return db.query<HouseholdRow, [number, number, number]>(`SELECT ${HOUSEHOLD_COLUMNS} FROM households WHERE village_id = ? AND id > ? ORDER BY id LIMIT ?`).all(villageId, afterId, limit);
}

/**
 * Searches a village's households. A search matches, in this order of rank: the external id
 * exactly, the start of the head's name, the start of any member's name; or, for Latin letters,
 * the head's pinyin initials (`zjh`) or full pinyin (`zhangjianhua`). Each branch walks its own
 * index in order and stops after `offset + limit` rows, so a search costs the size of the page,
 * not the number of matches, even for a common surname in a village of 100,000 households.
 */
export function searchHouseholds(db: Database, villageId: number, search: string, offset: number, limit: number): HouseholdRow[] {
  const want = offset + limit;
  const branches: number[][] = [];
  const ids = (sql: string, ...args: (string | number)[]) => db.query<{ id: number }, (string | number)[]>(sql).all(...args).map((r) => r.id);
  if (/^[A-Za-z]+$/.test(search)) {
    const s = search.toLowerCase();
    branches.push(ids("SELECT id FROM households WHERE village_id = ? AND head_initials >= ? AND head_initials < ? ORDER BY head_initials, id LIMIT ?", villageId, s, prefixEnd(s), want));
    branches.push(ids("SELECT id FROM households WHERE village_id = ? AND head_pinyin >= ? AND head_pinyin < ? ORDER BY head_pinyin, id LIMIT ?", villageId, s, prefixEnd(s), want));
  } else {
    branches.push(ids("SELECT id FROM households WHERE village_id = ? AND external_id = ?", villageId, search));
    branches.push(ids("SELECT id FROM households WHERE village_id = ? AND head_name >= ? AND head_name < ? ORDER BY head_name, id LIMIT ?", villageId, search, prefixEnd(search), want));
    // CROSS JOIN keeps members as the outer loop: left to itself, SQLite's planner walks every
    // household of the village instead of the member-name range (85 ms against 0.2 ms at 30,000).
    // Over-fetch so that heads already found above do not starve the page.
    branches.push(
      ids(
        "SELECT m.household_id AS id FROM members m CROSS JOIN households h ON h.id = m.household_id WHERE m.name >= ? AND m.name < ? AND h.village_id = ? ORDER BY m.name, m.id LIMIT ?",
        search,
        prefixEnd(search),
        villageId,
        want * 2,
      ),
    );
  }
  const ranked: number[] = [];
  const seen = new Set<number>();
  for (const branch of branches) {
    for (const id of branch) {
      if (seen.has(id)) continue;
      seen.add(id);
      ranked.push(id);
    }
  }
  const page = ranked.slice(offset, offset + limit);
  if (page.length === 0) return [];
  const rows = db.query<HouseholdRow, number[]>(`SELECT ${HOUSEHOLD_COLUMNS} FROM households WHERE id IN (${page.map(() => "?").join(",")})`).all(...page);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return page.map((id) => byId.get(id)).filter((r): r is HouseholdRow => r !== undefined && r.village_id === villageId);
}
