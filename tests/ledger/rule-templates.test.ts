/**
 * Proves the township's rule templates as its staff page keeps them, over real HTTP on a real
 * database: a township admin changes a template's title, category, points and cap, and retires
 * it; a retired template is listed only with ?includeRetired=true and is no longer copied (409
 * with its code), while rules copied from it earlier stay as they were. Only a township admin
 * changes templates; every change is audited.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { freshTownship, type Township } from "../support/township-fixture.ts";

let h: Harness;
let s: Township;
let template: { id: string; code: string };
beforeEach(async () => {
  ({ h, s } = await freshTownship());
  template = (
    await h.json("POST", "/api/rule-templates", {
      cookie: s.admin,
      body: { code: "ENV-1", title: "庭院整洁", category: "environment", points: 5 },
    })
  ).body.template;
});
afterEach(() => h.close());

const patch = (body: unknown, cookie = s.admin, id = template.id) =>
  h.json("PATCH", `/api/rule-templates/${id}`, { cookie, body });
const listed = async (query = "") =>
  (await h.json("GET", `/api/rule-templates${query}`, { cookie: s.aClerk })).body.items as {
    code: string;
    active: boolean;
  }[];

test("a township admin changes a template's title, category, points and monthly cap", async () => {
  const res = await patch({
    title: "庭院整洁美观",
    category: "civility",
    points: 8,
    monthlyCap: 24,
  });
  expect(res.status).toBe(200);
  expect(res.body.template).toMatchObject({
    id: template.id,
    code: "ENV-1",
    title: "庭院整洁美观",
    category: "civility",
    points: 8,
    monthlyCap: 24,
    active: true,
  });
  expect((await patch({ monthlyCap: null })).body.template.monthlyCap).toBeNull();
  const audit = h.db
    .query<{ action: string; entity: string; detail: string }, []>(
      "SELECT action, entity, detail FROM audit_log ORDER BY id DESC LIMIT 1",
    )
    .get()!;
  expect([audit.action, audit.entity]).toEqual(["update", "rule_template"]);
  expect(JSON.parse(audit.detail)).toEqual({ code: "ENV-1", monthlyCap: null });
});

test("a retired template is listed only on request and no longer copied; rules copied before stay", async () => {
  const copied = await h.json("POST", `/api/villages/${s.villageA.id}/rules/from-templates`, {
    cookie: s.aAdmin,
    body: { templateIds: [template.id] },
  });
  expect(copied.status).toBe(201);
  const retired = await patch({ active: false, points: 1 });
  expect(retired.body.template.active).toBe(false);
  expect(
    h.db
      .query<{ action: string }, []>("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")
      .get()!.action,
  ).toBe("retire");
  expect(await listed()).toEqual([]);
  expect((await listed("?includeRetired=true")).map((t) => [t.code, t.active])).toEqual([
    ["ENV-1", false],
  ]);
  const again = await h.json("POST", `/api/villages/${s.villageB.id}/rules/from-templates`, {
    cookie: s.bAdmin,
    body: { templateIds: [template.id] },
  });
  expect(again.status).toBe(409);
  expect(again.body.code).toBe("template-retired");
  const rules = (await h.json("GET", `/api/villages/${s.villageA.id}/rules`, { cookie: s.aAdmin }))
    .body.items;
  expect(rules).toEqual([expect.objectContaining({ code: "ENV-1", points: 5, active: true })]);
  expect((await patch({ active: true })).body.template.active).toBe(true);
  expect(await listed()).toHaveLength(1);
});

test("only a township admin changes templates: village staff 403 with a code, an unknown one 404", async () => {
  const res = await patch({ title: "x" }, s.aAdmin);
  expect(res.status).toBe(403);
  expect(res.body.code).toBe("township-admin-only");
  expect((await patch({ title: "x" }, s.aClerk)).status).toBe(403);
  expect((await patch({ title: "x" }, s.admin, "99999")).status).toBe(404);
});

test.each([
  ["nothing", {}, "body"],
  ["zero points", { points: 0 }, "body.points"],
  ["points past 10,000", { points: 10_001 }, "body.points"],
  ["a cap of 0", { monthlyCap: 0 }, "body.monthlyCap"],
  ["an empty title", { title: " " }, "body.title"],
  ["a new code", { code: "ENV-2" }, "body"],
  ["active as text", { active: "false" }, "body.active"],
])("refuses %s with a 400 naming the field", async (_, body, path) => {
  const res = await patch(body);
  expect(res.status).toBe(400);
  expect(res.body.errors[0].path).toBe(path);
});

test("points at the edges (-10,000 and 10,000) are taken", async () => {
  expect((await patch({ points: -10_000 })).body.template.points).toBe(-10_000);
  expect((await patch({ points: 10_000 })).body.template.points).toBe(10_000);
});

test.each([["includeRetired=yes"], ["retired=true"]])(
  "refuses the list query %s with 400",
  async (q) => {
    expect((await h.json("GET", `/api/rule-templates?${q}`, { cookie: s.aClerk })).status).toBe(
      400,
    );
  },
);

test("a template may suspend redemptions (一票否决) like a village rule, and a village's copy keeps it", async () => {
  const created = await h.json("POST", "/api/rule-templates", {
    cookie: s.admin,
    body: { code: "LAW-9", title: "参与赌博", category: "law", points: -20, suspendMonths: 6 },
  });
  expect(created.status).toBe(201);
  expect(created.body.template).toMatchObject({ code: "LAW-9", points: -20, suspendMonths: 6 });
  expect(
    (await listed()).find((t) => t.code === "LAW-9") as unknown as { suspendMonths: number },
  ).toMatchObject({ suspendMonths: 6 });
  const copied = await h.json("POST", `/api/villages/${s.villageA.id}/rules/from-templates`, {
    cookie: s.aAdmin,
    body: { templateIds: [created.body.template.id, template.id] },
  });
  expect(copied.status).toBe(201);
  const rules = copied.body.items as { code: string; suspendMonths: number | null }[];
  expect(rules.map((r) => [r.code, r.suspendMonths]).sort()).toEqual([
    ["ENV-1", null],
    ["LAW-9", 6],
  ]);
  // Changed and cleared like any field; the village's copy stays as it was.
  const id = created.body.template.id;
  expect((await patch({ suspendMonths: 12 }, s.admin, id)).body.template.suspendMonths).toBe(12);
  expect(
    (await patch({ suspendMonths: null }, s.admin, id)).body.template.suspendMonths,
  ).toBeNull();
  const villageRules = (
    await h.json("GET", `/api/villages/${s.villageA.id}/rules`, { cookie: s.aAdmin })
  ).body.items as { code: string; suspendMonths: number | null }[];
  expect(villageRules.find((r) => r.code === "LAW-9")!.suspendMonths).toBe(6);
});

test("only a deduction template suspends: an award with suspendMonths, or points made positive, is 400", async () => {
  const award = await h.json("POST", "/api/rule-templates", {
    cookie: s.admin,
    body: {
      code: "ENV-2",
      title: "门前三包",
      category: "environment",
      points: 5,
      suspendMonths: 3,
    },
  });
  expect(award.status).toBe(400);
  expect(award.body.code).toBe("suspend-needs-deduction");
  expect((await patch({ suspendMonths: 3 })).body.code).toBe("suspend-needs-deduction");
  const law = await h.json("POST", "/api/rule-templates", {
    cookie: s.admin,
    body: { code: "LAW-8", title: "邪教活动", category: "law", points: -30, suspendMonths: 24 },
  });
  expect(law.status).toBe(201);
  const flipped = await patch({ points: 30 }, s.admin, law.body.template.id);
  expect([flipped.status, flipped.body.code]).toEqual([400, "suspend-needs-deduction"]);
  for (const months of [0, 25, 1.5])
    expect((await patch({ suspendMonths: months }, s.admin, law.body.template.id)).status).toBe(
      400,
    );
});
