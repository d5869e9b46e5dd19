import type { Database } from "bun:sqlite";
import { assert } from "../shared/assert.ts";
import { pinyinKeys } from "./names.ts";
import { doorKeysOf, doorSearchOf, halfWidth } from "./door.ts";
import type { RelationCode } from "./relations.ts";
import { findActiveCardByCode } from "./card-store.ts";

export type HouseholdRow = {
  id: number;
  village_id: number;
  head_name: string;
  address: string;
  external_id: string | null;
  balance: number;
  /** The honour score (issue 18): posted awards and deductions and their reversals, kept as entries post (migrations/0019). */
  honour: number;
  created_at_ms: number;
  /** 1 when the household has a PIN (its hash is never read out with the row). */
  has_pin: number;
};
export type MemberRow = {
  id: number;
  household_id: number;
  name: string;
  relation: RelationCode | null;
  is_head: number;
};

/** Members other than the head (never of relation "head"); the head is the member named by `headName`. */
export type NewHousehold = {
  headName: string;
  address: string;
  externalId: string | null;
  members: { name: string; relation: RelationCode | null }[];
};

const HOUSEHOLD_COLUMNS =
  "id, village_id, head_name, address, external_id, balance, honour, created_at_ms, pin_hash IS NOT NULL AS has_pin";

/** Inserts a household and its members; the head is always a member. Call inside a transaction. */
export function insertHousehold(
  db: Database,
  villageId: number,
  h: NewHousehold,
  nowMs: number,
): number {
  const keys = pinyinKeys(h.headName);
  const door = doorKeysOf(h.address);
  const row = db
    .query<
      { id: number },
      [number, string, string, string, string, string | null, string, string, number]
    >(
      "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, address, external_id, door_no, door_key, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .get(
      villageId,
      h.headName,
      keys.initials,
      keys.full,
      h.address,
      h.externalId,
      door.doorNo,
      door.doorKey,
      nowMs,
    )!;
  const insertMember = db.query(
    "INSERT INTO members (household_id, name, relation, is_head) VALUES (?, ?, ?, ?)",
  );
  insertMember.run(row.id, h.headName, "head", 1);
  for (const m of h.members) {
    if (m.name === h.headName) continue;
    assert(m.relation !== "head", "a household has one head, named by headName");
    insertMember.run(row.id, m.name, m.relation, 0);
  }
  return row.id;
}

export function findHousehold(db: Database, id: number): HouseholdRow | null {
  return db
    .query<HouseholdRow, [number]>(`SELECT ${HOUSEHOLD_COLUMNS} FROM households WHERE id = ?`)
    .get(id);
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
  const villageId =
    db
      .query<{ village_id: number }, [number]>("SELECT village_id FROM households WHERE id = ?")
      .get(id)?.village_id ?? null;
  if (villageId !== null) {
    if (known === undefined || known.size >= VILLAGE_OF_HOUSEHOLD_CACHE_MAX)
      villageOfHouseholdCache.set(db, (known = new Map()));
    known.set(id, villageId);
  }
  return villageId;
}

export function membersOf(db: Database, householdId: number): MemberRow[] {
  return db
    .query<MemberRow, [number]>(
      "SELECT * FROM members WHERE household_id = ? ORDER BY is_head DESC, id",
    )
    .all(householdId);
}

export function membersOfMany(db: Database, householdIds: number[]): Map<number, MemberRow[]> {
  const out = new Map<number, MemberRow[]>();
  if (householdIds.length === 0) return out;
  const rows = db
    .query<MemberRow, number[]>(
      `SELECT * FROM members WHERE household_id IN (${householdIds.map(() => "?").join(",")}) ORDER BY is_head DESC, id`,
    )
    .all(...householdIds);
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
export function listHouseholds(
  db: Database,
  villageId: number,
  afterId: number,
  limit: number,
): HouseholdRow[] {
  return db
    .query<HouseholdRow, [number, number, number]>(
      `SELECT ${HOUSEHOLD_COLUMNS} FROM households WHERE village_id = ? AND id > ? ORDER BY id LIMIT ?`,
    )
    .all(villageId, afterId, limit);
}

/**
 * Searches a village's households. A search matches, in this order of rank: a card (its printed
 * number, typed with spaces or a dash, or what a scanner types: the card's URL or bare token),
 * the external id exactly, the door plate (`3组27号`, `3-27` by group and door; `27`, `27号` by
 * door number), the start of the head's name, the start of any member's name; or, for Latin
 * letters, the head's pinyin initials (`zjh`) or full pinyin (`zhangjianhua`). Full-width
 * characters count as their ASCII twins. Each branch walks its own index in order and stops after
 * `offset + limit` rows, so a search costs the size of the page, not the number of matches, even
 * for a common surname in a village of 100,000 households.
 */
export function searchHouseholds(
  db: Database,
  villageId: number,
  search: string,
  offset: number,
  limit: number,
): HouseholdRow[] {
  const want = offset + limit;
  const ranked = rankedIds(searchBranches(db, villageId, halfWidth(search).trim(), want));
  const page = ranked.slice(offset, offset + limit);
  return householdsInOrder(db, villageId, page);
}

/** The ids each branch of a search finds, best branch first; each capped at `want` rows. */
function searchBranches(db: Database, villageId: number, term: string, want: number): number[][] {
  const branches: number[][] = [];
  const ids = (sql: string, ...args: (string | number)[]) =>
    db
      .query<{ id: number }, (string | number)[]>(sql)
      .all(...args)
      .map((r) => r.id);
  if (term === "") return branches;
  branches.push(householdOfCard(db, villageId, term));
  branches.push(
    ids("SELECT id FROM households WHERE village_id = ? AND external_id = ?", villageId, term),
  );
  if (/^[A-Za-z]+$/.test(term)) {
    const s = term.toLowerCase();
    branches.push(
      ids(
        "SELECT id FROM households WHERE village_id = ? AND head_initials >= ? AND head_initials < ? ORDER BY head_initials, id LIMIT ?",
        villageId,
        s,
        prefixEnd(s),
        want,
      ),
    );
    branches.push(
      ids(
        "SELECT id FROM households WHERE village_id = ? AND head_pinyin >= ? AND head_pinyin < ? ORDER BY head_pinyin, id LIMIT ?",
        villageId,
        s,
        prefixEnd(s),
        want,
      ),
    );
    return branches;
  }
  branches.push(householdsByDoor(db, villageId, term, want));
  branches.push(
    ids(
      "SELECT id FROM households WHERE village_id = ? AND head_name >= ? AND head_name < ? ORDER BY head_name, id LIMIT ?",
      villageId,
      term,
      prefixEnd(term),
      want,
    ),
  );
  // CROSS JOIN keeps members as the outer loop: left to itself, SQLite's planner walks every
  // household of the village instead of the member-name range (85 ms against 0.2 ms at 30,000).
  // Over-fetch so that heads already found above do not starve the page.
  branches.push(
    ids(
      "SELECT m.household_id AS id FROM members m CROSS JOIN households h ON h.id = m.household_id WHERE m.name >= ? AND m.name < ? AND h.village_id = ? ORDER BY m.name, m.id LIMIT ?",
      term,
      prefixEnd(term),
      villageId,
      want * 2,
    ),
  );
  return branches;
}

function rankedIds(branches: readonly number[][]): number[] {
  const ranked: number[] = [];
  const seen = new Set<number>();
  for (const branch of branches) {
    for (const id of branch) {
      if (seen.has(id)) continue;
      seen.add(id);
      ranked.push(id);
    }
  }
  return ranked;
}

/** The households of these ids that are in the village, in the order of the ids. */
export function householdsInOrder(
  db: Database,
  villageId: number,
  ids: readonly number[],
): HouseholdRow[] {
  if (ids.length === 0) return [];
  const rows = db
    .query<HouseholdRow, number[]>(
      `SELECT ${HOUSEHOLD_COLUMNS} FROM households WHERE id IN (${ids.map(() => "?").join(",")})`,
    )
    .all(...ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r): r is HouseholdRow => r !== undefined && r.village_id === villageId);
}

/**
 * The household of the active card a term names, in this village: the printed number (spaces
 * and dashes as printed are ignored), a card URL or a bare token. Through the cards' unique
 * indexes on number and token.
 */
export function householdOfCard(db: Database, villageId: number, term: string): number[] {
  const text = halfWidth(term).trim();
  const code = /^[0-9][0-9\s-]*$/.test(text) ? text.replace(/[\s-]/g, "") : text;
  if (code.length > 300) return [];
  const card = findActiveCardByCode(db, code);
  return card !== null && card.village_id === villageId ? [card.household_id] : [];
}

/** Households by door plate: by group and door (door_key) or by door number (door_no). */
export function householdsByDoor(
  db: Database,
  villageId: number,
  term: string,
  want: number,
): number[] {
  const door = doorSearchOf(term);
  if (door === null) return [];
  const [column, value] =
    "doorKey" in door ? (["door_key", door.doorKey] as const) : (["door_no", door.doorNo] as const);
  return db
    .query<{ id: number }, [number, string, number]>(
      `SELECT id FROM households WHERE village_id = ? AND ${column} = ? ORDER BY id LIMIT ?`,
    )
    .all(villageId, value, want)
    .map((r) => r.id);
}

/**
 * Households whose head, or failing that a member, has exactly this name: what a name pasted
 * from a group chat means. Through the head-name and member-name indexes; at most `want`.
 */
export function householdsByExactName(
  db: Database,
  villageId: number,
  name: string,
  want: number,
): number[] {
  const heads = db
    .query<{ id: number }, [number, string, number]>(
      "SELECT id FROM households WHERE village_id = ? AND head_name = ? ORDER BY id LIMIT ?",
    )
    .all(villageId, name, want);
  if (heads.length > 0) return heads.map((r) => r.id);
  // As in the search: members first, or the planner walks the whole village.
  const members = db
    .query<{ id: number }, [string, number, number]>(
      "SELECT DISTINCT m.household_id AS id FROM members m CROSS JOIN households h ON h.id = m.household_id WHERE m.name = ? AND h.village_id = ? AND m.is_head = 0 LIMIT ?",
    )
    .all(name, villageId, want);
  return members.map((r) => r.id);
}

export type HouseholdPatch = { headName?: string; address?: string; externalId?: string | null };

/**
 * Changes a household's own fields, keeping what is derived from them in step: the head
 * member's name and the pinyin keys follow the head's name, the door keys follow the address.
 * Call inside a transaction.
 */
export function updateHouseholdRow(db: Database, id: number, patch: HouseholdPatch): void {
  if (patch.headName !== undefined) {
    const keys = pinyinKeys(patch.headName);
    db.query(
      "UPDATE households SET head_name = ?, head_initials = ?, head_pinyin = ? WHERE id = ?",
    ).run(patch.headName, keys.initials, keys.full, id);
    db.query("UPDATE members SET name = ? WHERE household_id = ? AND is_head = 1").run(
      patch.headName,
      id,
    );
  }
  if (patch.address !== undefined) {
    const door = doorKeysOf(patch.address);
    db.query("UPDATE households SET address = ?, door_no = ?, door_key = ? WHERE id = ?").run(
      patch.address,
      door.doorNo,
      door.doorKey,
      id,
    );
  }
  if (patch.externalId !== undefined)
    db.query("UPDATE households SET external_id = ? WHERE id = ?").run(patch.externalId, id);
}

/** Sets the household's PIN hash, or removes it with null. Call inside a transaction. */
export function setHouseholdPinHash(db: Database, id: number, pinHash: string | null): void {
  db.query("UPDATE households SET pin_hash = ? WHERE id = ?").run(pinHash, id);
}

/** Whether any entry names this member (entries_member, migrations/0012). */
export function memberNamedByEntry(db: Database, memberId: number): boolean {
  return db.query("SELECT 1 FROM entries WHERE member_id = ? LIMIT 1").get(memberId) !== null;
}

export function householdIdByExternalId(
  db: Database,
  villageId: number,
  externalId: string,
): number | null {
  return (
    db
      .query<{ id: number }, [number, string]>(
        "SELECT id FROM households WHERE village_id = ? AND external_id = ?",
      )
      .get(villageId, externalId)?.id ?? null
  );
}
