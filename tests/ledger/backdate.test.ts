/**
 * Proves the lower bound on an entry's day (issue 20, finding 5): an occurredOn more than the
 * village's backdateDaysMax days ago (default 90, 0..3650) is refused with 400 too-far-back on the
 * field, for one entry and a batch; the bound moves with the setting; and the monthly cap counts
 * by the entry's own month, so a backdated award counts against the month it is dated in.
 * T0 is 2026-03-02 in Asia/Shanghai.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { createHarness, type Harness } from "../support/harness.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";

let h: Harness;
let s: LedgerSeed;
beforeEach(async () => {
  h = createHarness();
  s = await seedLedger(h);
});
afterEach(() => h.close());

const award = (body: Record<string, unknown>) =>
  h.json("POST", "/api/entries", {
    cookie: s.aClerk,
    body: { householdId: s.h1.id, ruleId: s.clean.id, ...body },
  });
const entryCount = () =>
  h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM entries").get()!.n;

test("a village's entries go back 90 days unless it says otherwise", async () => {
  const village = (await h.json("GET", `/api/villages/${s.villageA.id}`, { cookie: s.aAdmin })).body
    .village;
  expect(village.backdateDaysMax).toBe(90);
});

test.each(["1900-01-15", "2025-06-30", "2025-12-01"])(
  "an award dated %s (more than 90 days before 2026-03-02) is refused with too-far-back and records nothing",
  async (day) => {
    const before = entryCount();
    const res = await award({ occurredOn: day });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("too-far-back");
    expect(res.body.params).toEqual({ days: 90, earliest: "2025-12-02" });
    expect(res.body.errors).toEqual([
      { path: "body.occurredOn", message: expect.stringContaining("more than 90 days ago") },
    ]);
    expect(entryCount()).toBe(before);
  },
);

test("an award dated exactly 90 days back is taken", async () => {
  expect((await award({ occurredOn: "2025-12-02" })).status).toBe(201);
});

test("a batch with a day too far back records none of its entries", async () => {
  const before = entryCount();
  const res = await h.json("POST", "/api/entries/batch", {
    cookie: s.aClerk,
    body: { ruleId: s.clean.id, householdIds: [s.h1.id, s.h2.id], occurredOn: "1900-01-15" },
  });
  expect(res.status).toBe(400);
  expect(res.body.code).toBe("too-far-back");
  expect(entryCount()).toBe(before);
});

test("the township may reach further back for a village; 0 allows today only", async () => {
  expect(
    (
      await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
        cookie: s.admin,
        body: { backdateDaysMax: 3650 },
      })
    ).status,
  ).toBe(200);
  expect((await award({ occurredOn: "2017-01-15" })).status).toBe(201);
  expect(
    (
      await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
        cookie: s.aAdmin,
        body: { backdateDaysMax: 0 },
      })
    ).status,
  ).toBe(200);
  expect((await award({ occurredOn: "2026-03-01" })).body.code).toBe("too-far-back");
  expect((await award({ occurredOn: "2026-03-02" })).status).toBe(201);
});

test.each([-1, 3651, 1.5])("backdateDaysMax %p is refused with 400", async (days) => {
  expect(
    (
      await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
        cookie: s.admin,
        body: { backdateDaysMax: days },
      })
    ).status,
  ).toBe(400);
});

test("the monthly cap counts by the entry's month: a backdated award counts against the month it is dated in", async () => {
  // The capped rule gives 10 points with a cap of 20 a household a month.
  const capped = (occurredOn: string) => award({ ruleId: s.capped.id, occurredOn });
  expect((await capped("2026-02-10")).status).toBe(201);
  expect((await capped("2026-02-20")).status).toBe(201);
  const third = await capped("2026-02-27");
  expect(third.status).toBe(409);
  expect(third.body.code).toBe("monthly-cap");
  expect(third.body.params.month).toBe("2026-02");
  // March is its own month, and January its own.
  expect((await capped("2026-03-01")).status).toBe(201);
  expect((await capped("2026-01-05")).status).toBe(201);
  expect((await capped("2026-03-02")).status).toBe(201);
  expect((await capped("2026-03-02")).body.code).toBe("monthly-cap");
});
