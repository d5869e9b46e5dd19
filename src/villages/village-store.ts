import type { Database } from "bun:sqlite";
import type { OpeningHours } from "../shared/opening-hours.ts";

export type VillageRow = {
  id: number;
  name: string;
  code: string;
  notice_days: number;
  require_approval: number;
  points_expire: number;
  daily_redeem_limit_points: number | null;
  show_bottom_list: number;
  star_thresholds: string;
  default_language: ResidentLanguage;
  backdate_days_max: number;
  require_pin_for_number: number;
  created_at_ms: number;
  /** JSON of OpeningHours (src/shared/opening-hours.ts); null: always open. */
  opening_hours: string | null;
};

/** The languages a village's resident pages may default to (migrations/0015). */
export const RESIDENT_LANGUAGES = ["zh-CN", "ug"] as const;
export type ResidentLanguage = (typeof RESIDENT_LANGUAGES)[number];

export type VillageOut = {
  id: string;
  name: string;
  code: string;
  noticeDays: number;
  requireApproval: boolean;
  pointsExpire: boolean;
  dailyRedeemLimitPoints: number | null;
  showBottomList: boolean;
  starThresholds: number[];
  defaultLanguage: ResidentLanguage;
  backdateDaysMax: number;
  requirePinForNumber: boolean;
  createdAt: string;
  openingHours: OpeningHours | null;
};

export function villageOut(row: VillageRow): VillageOut {
  return {
    id: String(row.id),
    name: row.name,
    code: row.code,
    noticeDays: row.notice_days,
    requireApproval: row.require_approval === 1,
    pointsExpire: row.points_expire === 1,
    dailyRedeemLimitPoints: row.daily_redeem_limit_points,
    showBottomList: row.show_bottom_list === 1,
    starThresholds: JSON.parse(row.star_thresholds) as number[],
    defaultLanguage: row.default_language,
    backdateDaysMax: row.backdate_days_max,
    requirePinForNumber: row.require_pin_for_number === 1,
    createdAt: new Date(row.created_at_ms).toISOString(),
    openingHours: openingHoursOf(row),
  };
}

/** The village's opening days and hours as stored, or null for always open. */
export function openingHoursOf(row: { opening_hours: string | null }): OpeningHours | null {
  return row.opening_hours === null ? null : (JSON.parse(row.opening_hours) as OpeningHours);
}

export function findVillage(db: Database, id: number): VillageRow | null {
  return db.query<VillageRow, [number]>("SELECT * FROM villages WHERE id = ?").get(id);
}

/**
 * Whether `count` villages are more than a quarter of them all: then a read over them is better
 * one pass over the whole table (a township's, a county's report) than a lookup per village.
 */
export function mostVillages(db: Database, count: number): boolean {
  return count * 4 > db.query<{ n: number }, []>("SELECT count(*) AS n FROM villages").get()!.n;
}

/** The village's id when it exists, else null: the scope resolver of routes under a village. */
export function villageExists(db: Database, villageId: number): number | null {
  return db.query("SELECT 1 FROM villages WHERE id = ?").get(villageId) ? villageId : null;
}

export function listVillages(db: Database, onlyId: number | null): VillageRow[] {
  return onlyId === null
    ? db.query<VillageRow, []>("SELECT * FROM villages ORDER BY id").all()
    : db.query<VillageRow, [number]>("SELECT * FROM villages WHERE id = ?").all(onlyId);
}

export function villageCodeTaken(db: Database, code: string): boolean {
  return db.query("SELECT 1 FROM villages WHERE code = ?").get(code) !== null;
}

export function insertVillage(
  db: Database,
  v: { name: string; code: string; nowMs: number },
): VillageRow {
  return db
    .query<VillageRow, [string, string, number]>(
      "INSERT INTO villages (name, code, created_at_ms) VALUES (?, ?, ?) RETURNING *",
    )
    .get(v.name, v.code, v.nowMs)!;
}

export type VillagePatch = Partial<{
  name: string;
  noticeDays: number;
  requireApproval: boolean;
  pointsExpire: boolean;
  dailyRedeemLimitPoints: number | null;
  showBottomList: boolean;
  starThresholds: number[];
  defaultLanguage: ResidentLanguage;
  backdateDaysMax: number;
  requirePinForNumber: boolean;
  openingHours: OpeningHours | null;
}>;

const PATCH_COLUMNS: Record<keyof VillagePatch, (v: never) => [string, string | number | null]> = {
  name: (v: string) => ["name", v],
  noticeDays: (v: number) => ["notice_days", v],
  requireApproval: (v: boolean) => ["require_approval", v ? 1 : 0],
  pointsExpire: (v: boolean) => ["points_expire", v ? 1 : 0],
  dailyRedeemLimitPoints: (v: number | null) => ["daily_redeem_limit_points", v],
  showBottomList: (v: boolean) => ["show_bottom_list", v ? 1 : 0],
  starThresholds: (v: number[]) => ["star_thresholds", JSON.stringify(v)],
  defaultLanguage: (v: ResidentLanguage) => ["default_language", v],
  backdateDaysMax: (v: number) => ["backdate_days_max", v],
  requirePinForNumber: (v: boolean) => ["require_pin_for_number", v ? 1 : 0],
  openingHours: (v: OpeningHours | null) => [
    "opening_hours",
    v === null ? null : JSON.stringify(v),
  ],
};

export function updateVillage(db: Database, id: number, patch: VillagePatch): void {
  const sets: string[] = [];
  const values: (string | number | null)[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const [column, stored] = PATCH_COLUMNS[key as keyof VillagePatch](value as never);
    sets.push(`${column} = ?`);
    values.push(stored);
  }
  if (sets.length === 0) return;
  db.query(`UPDATE villages SET ${sets.join(", ")} WHERE id = ?`).run(...values, id);
}
