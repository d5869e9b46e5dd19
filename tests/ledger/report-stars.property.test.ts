/**
 * The report's star list when it is cut short (the JSON answer lists the first STAR_LIST_JSON; the
 * downloads list all): for any honour scores, ties included, and any thresholds, the first N kept
 * as the households stream by are exactly the first N of the whole list sorted, and the total
 * counts every starred household. Honour scores are written straight onto the households: this
 * property is about choosing and ordering, not about how scores are earned.
 */
import { expect, test } from "bun:test";
import fc from "fast-check";
import { buildReport } from "../../src/ledger/report.ts";
import { findVillage } from "../../src/villages/village-store.ts";
import { openLedgerDb } from "../support/ledger-db.ts";

const NOW = Date.parse("2026-03-15T04:00:00Z");

test("a star list cut at N is the whole sorted list's first N, and the total counts them all", () => {
  // One migrated database; each run writes a village of its own (households are never deleted).
  const l = openLedgerDb(":memory:", {
    households: 0,
    noticeDays: 0,
    requireApproval: false,
    pointsExpire: false,
    nowMs: NOW,
  });
  let runs = 0;
  const add = l.db.query(
    "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, honour, created_at_ms) VALUES (?, ?, '', '', ?, ?)",
  );
  try {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 120 }), { minLength: 0, maxLength: 60 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 0, maxLength: 4 }),
        fc.integer({ min: 0, max: 70 }),
        (honours, thresholds, limit) => {
          const villageId = l.db
            .query<{ id: number }, [string, string, number]>(
              "INSERT INTO villages (name, code, star_thresholds, created_at_ms) VALUES ('村', ?, ?, ?) RETURNING id",
            )
            .get(`V${++runs}`, JSON.stringify([...thresholds].sort((a, b) => a - b)), NOW)!.id;
          honours.forEach((score, i) => add.run(villageId, `户主${i}`, score, NOW));
          {
            const village = findVillage(l.db, villageId)!;
            const all = buildReport(l.db, [village], "2026-03-01", "2026-03-31", {
              bottomList: false,
              starList: "all",
            });
            const cut = buildReport(l.db, [village], "2026-03-01", "2026-03-31", {
              bottomList: false,
              starList: limit,
            });
            const starred = honours.filter((score) => thresholds.some((t) => score >= t)).length;
            expect(all.starHouseholds.length).toBe(starred);
            expect(all.starHouseholdsTotal).toBe(starred);
            expect(cut.starHouseholdsTotal).toBe(starred);
            expect(cut.starHouseholds).toEqual(all.starHouseholds.slice(0, limit));
            // The whole list is in order: most stars, then the highest score, then the oldest household.
            for (let i = 1; i < all.starHouseholds.length; i++) {
              const [a, b] = [all.starHouseholds[i - 1]!, all.starHouseholds[i]!];
              expect(
                a.stars > b.stars ||
                  (a.stars === b.stars &&
                    (a.honourScore > b.honourScore ||
                      (a.honourScore === b.honourScore && a.householdId < b.householdId))),
              ).toBe(true);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  } finally {
    l.db.close();
  }
});
