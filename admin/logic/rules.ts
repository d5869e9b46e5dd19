// Rules grouped by category in the order the village rules are written (村规民约): the built-in
// categories first, then a village's own, each sorted by code.
import type { Rule } from "../types.ts";

/** The longest suspension a rule may carry (src/ledger/suspension.ts: SUSPEND_MONTHS_MAX). */
export const SUSPEND_MONTHS_MAX = 24;

/**
 * The months typed into the suspension field (一票否决) of a rule or a template: none for an award
 * or an empty field, else the number, `valid` only for a whole number from 1 to the maximum. Pure.
 */
export function suspendMonthsOf(
  text: string,
  deduction: boolean,
): { months: number | null; valid: boolean } {
  const months = deduction && text.trim() !== "" ? Number(text) : null;
  return {
    months,
    valid:
      months === null || (Number.isInteger(months) && months >= 1 && months <= SUSPEND_MONTHS_MAX),
  };
}

export const CATEGORY_ORDER = [
  "law",
  "volunteer",
  "environment",
  "family",
  "civility",
  "other",
] as const;

export function groupRules<T extends Pick<Rule, "category" | "code">>(
  rules: readonly T[],
): { category: string; rules: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const r of rules) groups.set(r.category, [...(groups.get(r.category) ?? []), r]);
  const rank = (c: string) => {
    const i = (CATEGORY_ORDER as readonly string[]).indexOf(c);
    return i === -1 ? CATEGORY_ORDER.length : i;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([category, list]) => ({
      category,
      rules: list.sort((x, y) => x.code.localeCompare(y.code, undefined, { numeric: true })),
    }));
}
