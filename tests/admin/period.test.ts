// Proves the report's period picker: every kind reads back from the query it writes, stepping a
// month, quarter or year lands on whole periods, and a bad query falls back to this month.
import { expect, test } from "bun:test";
import fc from "fast-check";
import {
  daysInMonth,
  periodFromQuery,
  periodOf,
  periodQuery,
  stepPeriod,
  type PeriodKind,
} from "../../admin/logic/period.ts";

const TODAY = "2026-12-04";
const q = (o: Record<string, string>) => new URLSearchParams(o);

test.each([
  [{}, "2026-12-01", "2026-12-31"],
  [{ period: "month", month: "2024-02" }, "2024-02-01", "2024-02-29"],
  [{ period: "quarter", quarter: "2026-Q1" }, "2026-01-01", "2026-03-31"],
  [{ period: "quarter", quarter: "2026-Q4" }, "2026-10-01", "2026-12-31"],
  [{ period: "year", year: "2025" }, "2025-01-01", "2025-12-31"],
  [{ period: "custom", from: "2026-03-05", to: "2026-04-10" }, "2026-03-05", "2026-04-10"],
  [{ period: "custom", from: "2026-04-10", to: "2026-03-05" }, "2026-12-01", "2026-12-31"],
  [{ period: "month", month: "2026-13" }, "2026-12-01", "2026-12-31"],
  [{ period: "year", year: "abc" }, "2026-01-01", "2026-12-31"],
])("the query %j is the days %s to %s", (query, from, to) => {
  const p = periodFromQuery(q(query), TODAY);
  expect([p.from, p.to]).toEqual([from, to]);
});

const kinds: PeriodKind[] = ["month", "quarter", "year", "custom"];

test("every period reads back from the query it writes, and a step there and back is no step", () => {
  const day = fc
    .date({ min: new Date("2001-01-01"), max: new Date("2098-12-31"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  fc.assert(
    fc.property(
      day,
      fc.constantFrom(...kinds),
      fc.constantFrom(-1 as const, 1 as const),
      (today, kind, step) => {
        const p = periodOf(kind, today);
        expect(periodFromQuery(q(periodQuery(p)), today)).toEqual(p);
        const back = stepPeriod(stepPeriod(p, step), step === 1 ? -1 : 1);
        expect([back.from, back.to]).toEqual([p.from, p.to]);
        // Whole periods: a month ends on its last day, a step is the next one with no gap.
        if (kind !== "custom") {
          const next = stepPeriod(p, 1);
          const after = new Date(Date.parse(`${p.to}T00:00:00Z`) + 86_400_000)
            .toISOString()
            .slice(0, 10);
          expect(next.from).toBe(after);
        }
      },
    ),
  );
});

test("knows the length of February", () => {
  expect([
    daysInMonth(2024, 2),
    daysInMonth(2026, 2),
    daysInMonth(2000, 2),
    daysInMonth(2100, 2),
  ]).toEqual([29, 28, 29, 28]);
});
