/**
 * Proves the rules routes over real HTTP on a real database: creating, listing, changing and
 * retiring a village's rules, township templates copied into a village, and that a change to a
 * rule never reaches an entry already recorded under it. Bad inputs answer 400/403/404/409, never 500.
 */
import { afterEach, beforeEach, expect, test, setDefaultTimeout } from "bun:test";
import { createHarness, type Harness } from "../support/harness.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";

// Each test signs six staff in with argon2id; on a loaded two-core machine that alone can pass 5 s.
setDefaultTimeout(30_000);

let h: Harness;
let s: LedgerSeed;
beforeEach(async () => {
  h = createHarness();
  s = await seedLedger(h);
});
afterEach(() => h.close());

test("a village admin adds a rule and staff of the village list it", async () => {
  const created = await h.json("POST", `/api/villages/${s.villageA.id}/rules`, {
    cookie: s.aAdmin,
    body: { code: "FAM-1", title: "孝老爱亲", category: "family", points: 8 },
  });
  expect(created.status).toBe(201);
  expect(created.body.rule).toMatchObject({
    code: "FAM-1",
    points: 8,
    monthlyCap: null,
    active: true,
    villageId: s.villageA.id,
  });
  const list = await h.json("GET", `/api/villages/${s.villageA.id}/rules`, { cookie: s.aClerk });
  expect(list.body.items.map((r: { code: string }) => r.code)).toEqual([
    "ENV-1",
    "ENV-9",
    "FAM-1",
    "VOL-1",
  ]);
});

test.each([
  ["zero points", { code: "X", title: "t", category: "law", points: 0 }],
  ["fractional points", { code: "X", title: "t", category: "law", points: 1.5 }],
  ["points as a string", { code: "X", title: "t", category: "law", points: "5" }],
  ["an empty title", { code: "X", title: "", category: "law", points: 5 }],
  ["a code too long", { code: "X".repeat(21), title: "t", category: "law", points: 5 }],
  ["a zero monthly cap", { code: "X", title: "t", category: "law", points: 5, monthlyCap: 0 }],
  ["an unknown field", { code: "X", title: "t", category: "law", points: 5, color: "red" }],
  ["a missing category", { code: "X", title: "t", points: 5 }],
])("refuses a rule with %s (400)", async (_name, body) => {
  const r = await h.json("POST", `/api/villages/${s.villageA.id}/rules`, {
    cookie: s.aAdmin,
    body,
  });
  expect(r.status).toBe(400);
  expect(r.body.type).toEndWith("validation");
  expect(r.body.errors.length).toBeGreaterThan(0);
});

test("refuses a second rule with the same code in one village (409) but allows it in another", async () => {
  const again = await h.json("POST", `/api/villages/${s.villageA.id}/rules`, {
    cookie: s.aAdmin,
    body: { code: "ENV-1", title: "x", category: "law", points: 1 },
  });
  expect(again.status).toBe(409);
});

test("a clerk may not add a rule, and another village's staff do not see the village", async () => {
  expect(
    (
      await h.json("POST", `/api/villages/${s.villageA.id}/rules`, {
        cookie: s.aClerk,
        body: { code: "Q", title: "t", category: "law", points: 1 },
      })
    ).status,
  ).toBe(403);
  expect(
    (await h.json("GET", `/api/villages/${s.villageA.id}/rules`, { cookie: s.bClerk })).status,
  ).toBe(404);
  expect(
    (await h.json("PATCH", `/api/rules/${s.clean.id}`, { cookie: s.bAdmin, body: { title: "x" } }))
      .status,
  ).toBe(404);
});

test("changing and retiring a rule leaves past entries as they were recorded", async () => {
  const entry = (
    await h.json("POST", "/api/entries", {
      cookie: s.aClerk,
      body: { householdId: s.h1.id, ruleId: s.clean.id },
    })
  ).body.entry;
  const patched = await h.json("PATCH", `/api/rules/${s.clean.id}`, {
    cookie: s.aAdmin,
    body: { title: "新标题", points: 50, category: "other", active: false },
  });
  expect(patched.status).toBe(200);
  expect(patched.body.rule).toMatchObject({ title: "新标题", points: 50, active: false });
  const after = (await h.json("GET", `/api/entries/${entry.id}`, { cookie: s.aClerk })).body.entry;
  expect(after).toMatchObject({
    ruleTitle: "庭院整洁",
    points: 5,
    category: "environment",
    hash: entry.hash,
  });
  const retired = await h.json("POST", "/api/entries", {
    cookie: s.aClerk,
    body: { householdId: s.h1.id, ruleId: s.clean.id },
  });
  expect(retired.status).toBe(409);
  expect(
    (
      await h.json("GET", `/api/villages/${s.villageA.id}/rules`, { cookie: s.aClerk })
    ).body.items.some((r: { id: string }) => r.id === s.clean.id),
  ).toBe(false);
  expect(
    (
      await h.json("GET", `/api/villages/${s.villageA.id}/rules?includeRetired=true`, {
        cookie: s.aClerk,
      })
    ).body.items.some((r: { id: string }) => r.id === s.clean.id),
  ).toBe(true);
  expect((await h.json("GET", "/api/ledger/verify", { cookie: s.admin })).body.ok).toBe(true);
});

test("the township's templates are copied into a village, all or none", async () => {
  const t1 = await h.json("POST", "/api/rule-templates", {
    cookie: s.admin,
    body: { code: "LAW-1", title: "遵纪守法", category: "law", points: 10, monthlyCap: 30 },
  });
  const t2 = await h.json("POST", "/api/rule-templates", {
    cookie: s.admin,
    body: { code: "ENV-1", title: "庭院整洁", category: "environment", points: 5 },
  });
  expect(t1.status).toBe(201);
  expect(
    (
      await h.json("POST", "/api/rule-templates", {
        cookie: s.aAdmin,
        body: { code: "Z", title: "z", category: "law", points: 1 },
      })
    ).status,
  ).toBe(403);
  expect(
    (await h.json("GET", "/api/rule-templates", { cookie: s.aClerk })).body.items,
  ).toHaveLength(2);

  // ENV-1 exists in village A already: the whole copy is refused and nothing is created.
  const clash = await h.json("POST", `/api/villages/${s.villageA.id}/rules/from-templates`, {
    cookie: s.aAdmin,
    body: { templateIds: [t1.body.template.id, t2.body.template.id] },
  });
  expect(clash.status).toBe(409);
  expect(
    (
      await h.json("GET", `/api/villages/${s.villageA.id}/rules`, { cookie: s.aAdmin })
    ).body.items.some((r: { code: string }) => r.code === "LAW-1"),
  ).toBe(false);

  const copied = await h.json("POST", `/api/villages/${s.villageA.id}/rules/from-templates`, {
    cookie: s.aAdmin,
    body: { templateIds: [t1.body.template.id] },
  });
  expect(copied.status).toBe(201);
  expect(copied.body.items[0]).toMatchObject({
    code: "LAW-1",
    monthlyCap: 30,
    villageId: s.villageA.id,
  });
  expect(
    (
      await h.json("POST", `/api/villages/${s.villageA.id}/rules/from-templates`, {
        cookie: s.aAdmin,
        body: { templateIds: ["999"] },
      })
    ).status,
  ).toBe(404);
});
