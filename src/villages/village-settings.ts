/**
 * Which changes of a village's settings switch off a check (issue 20): approval off, a shorter
 * public notice, a longer reach into the past, the PIN for typed card numbers off. A village's
 * own administrator may tighten these but not loosen them: the checks are there to hold that
 * same committee to account, so only the township switches them off. Pure.
 */
import type { VillagePatch, VillageRow } from "./village-store.ts";

export const BACKDATE_DAYS_LIMIT = 3650;

/** The fields of `patch` that would loosen a check of `before`, in a fixed order. */
export function looseningFields(before: VillageRow, patch: VillagePatch): (keyof VillagePatch)[] {
  const fields: (keyof VillagePatch)[] = [];
  if (patch.requireApproval === false && before.require_approval === 1)
    fields.push("requireApproval");
  if (patch.noticeDays !== undefined && patch.noticeDays < before.notice_days)
    fields.push("noticeDays");
  if (patch.backdateDaysMax !== undefined && patch.backdateDaysMax > before.backdate_days_max)
    fields.push("backdateDaysMax");
  if (patch.requirePinForNumber === false && before.require_pin_for_number === 1)
    fields.push("requirePinForNumber");
  return fields;
}

/** The settings as they were and are, for the fields a change named: the audit row's detail. */
export function settingsChange(
  before: VillageRow,
  after: VillageRow,
  patch: VillagePatch,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const was: Record<string, unknown> = {};
  const is: Record<string, unknown> = {};
  const asOut = (row: VillageRow): Record<string, unknown> => ({
    name: row.name,
    noticeDays: row.notice_days,
    requireApproval: row.require_approval === 1,
    pointsExpire: row.points_expire === 1,
    dailyRedeemLimitPoints: row.daily_redeem_limit_points,
    showBottomList: row.show_bottom_list === 1,
    starThresholds: JSON.parse(row.star_thresholds) as unknown,
    defaultLanguage: row.default_language,
    backdateDaysMax: row.backdate_days_max,
    requirePinForNumber: row.require_pin_for_number === 1,
    openingHours: row.opening_hours === null ? null : (JSON.parse(row.opening_hours) as unknown),
  });
  const a = asOut(before);
  const b = asOut(after);
  for (const key of Object.keys(patch)) {
    was[key] = a[key];
    is[key] = b[key];
  }
  return { before: was, after: is };
}
