/**
 * A bare ledger database for property and concurrency tests: migrated, with one village, some
 * households with cards and three rules, written straight into the tables (no HTTP, no argon2),
 * so a property can run hundreds of operations per second through the use cases.
 */
import type { Database } from "bun:sqlite";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";

export type LedgerDb = {
  db: Database;
  villageId: number;
  householdIds: number[];
  cardTokens: string[];
  rules: { plus: number; capped: number; minus: number };
};

export function openLedgerDb(
  path: string,
  o: {
    households: number;
    noticeDays: number;
    requireApproval: boolean;
    pointsExpire: boolean;
    nowMs: number;
  },
): LedgerDb {
  const db = openDatabase(path);
  migrate(db, o.nowMs);
  const villageId = db
    .query<{ id: number }, [number, number, number, number]>(
      "INSERT INTO villages (name, code, notice_days, require_approval, points_expire, created_at_ms) VALUES ('东河村', 'DH', ?, ?, ?, ?) RETURNING id",
    )
    .get(o.noticeDays, o.requireApproval ? 1 : 0, o.pointsExpire ? 1 : 0, o.nowMs)!.id;
  const householdIds: number[] = [];
  const cardTokens: string[] = [];
  for (let i = 0; i < o.households; i++) {
    const id = db
      .query<{ id: number }, [number, string, number]>(
        "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, created_at_ms) VALUES (?, ?, '', '', ?) RETURNING id",
      )
      .get(villageId, `户主${i}`, o.nowMs)!.id;
    householdIds.push(id);
    const token = `card-token-for-household-${id}-xxxxxxxx`;
    db.query(
      "INSERT INTO cards (household_id, village_id, token, number, created_at_ms) VALUES (?, ?, ?, ?, ?)",
    ).run(id, villageId, token, String(10_000_000 + id), o.nowMs);
    cardTokens.push(token);
  }
  const rule = (code: string, points: number, cap: number | null): number =>
    db
      .query<{ id: number }, [number, string, number, number | null, number]>(
        "INSERT INTO rules (village_id, code, title, category, points, monthly_cap, created_at_ms) VALUES (?, ?, '规则', 'environment', ?, ?, ?) RETURNING id",
      )
      .get(villageId, code, points, cap, o.nowMs)!.id;
  return {
    db,
    villageId,
    householdIds,
    cardTokens,
    rules: { plus: rule("P", 5, null), capped: rule("C", 10, 30), minus: rule("M", -3, null) },
  };
}
