/**
 * Proves the village settings page's API (PATCH /api/villages/:id) over real HTTP on a real
 * database: each setting the page shows round-trips through GET, a village admin changes their
 * own village's (audited), the edges of each range are taken and one past them refused with a
 * code naming the field and its limit, and a clerk or another village changes nothing.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { freshTownship, type Township } from "../support/township-fixture.ts";

let h: Harness;
let s: Township;
beforeEach(async () => {
  ({ h, s } = await freshTownship());
});
afterEach(() => h.close());

const patch = (body: unknown, cookie = s.aAdmin, id = s.villageA.id) =>
  h.json("PATCH", `/api/villages/${id}`, { cookie, body });
const read = async () =>
  (await h.json("GET", `/api/villages/${s.villageA.id}`, { cookie: s.aClerk })).body.village;

test("a village admin changes every setting of their village, and each reads back as written", async () => {
  const settings = {
    noticeDays: 7,
    requireApproval: true,
    pointsExpire: true,
    starThresholds: [10, 20, 30],
    dailyRedeemLimitPoints: 300,
    showBottomList: true,
  };
  const res = await patch(settings);
  expect(res.status).toBe(200);
  expect(res.body.village).toMatchObject(settings);
  expect(await read()).toMatchObject(settings);
  const audit = h.db
    .query<{ action: string; entity: string; detail: string }, []>(
      "SELECT action, entity, detail FROM audit_log ORDER BY id DESC LIMIT 1",
    )
    .get()!;
  expect([audit.action, audit.entity, JSON.parse(audit.detail)]).toEqual([
    "update",
    "village",
    {
      ...settings,
      before: {
        noticeDays: 0,
        requireApproval: false,
        pointsExpire: false,
        starThresholds: [50, 100, 200, 300, 500],
        dailyRedeemLimitPoints: null,
        showBottomList: false,
      },
    },
  ]);
  // Switching approval off and shortening the notice is the township's (tests/villages/roles.test.ts).
  const back = {
    noticeDays: 0,
    requireApproval: false,
    pointsExpire: false,
    starThresholds: [50],
    dailyRedeemLimitPoints: null,
    showBottomList: false,
  };
  expect((await patch(back)).status).toBe(403);
  expect((await patch(back, s.admin)).status).toBe(200);
  expect(await read()).toMatchObject(back);
});

test.each([
  ["noticeDays", 0],
  ["noticeDays", 30],
  ["dailyRedeemLimitPoints", 1],
  ["dailyRedeemLimitPoints", 1_000_000],
  ["starThresholds", [1]],
  ["starThresholds", [1, 2, 3, 4, 5, 6, 7, 8, 9, 1_000_000]],
])("takes %s = %p, at the edge of its range", async (field, value) => {
  expect((await patch({ [field]: value })).status).toBe(200);
  expect((await read())[field]).toEqual(value);
});

test.each([
  ["noticeDays", 31, "invalid-field", { field: "body.noticeDays", rule: "too_big", max: 30 }],
  ["noticeDays", -1, "invalid-field", { field: "body.noticeDays", rule: "too_small", min: 0 }],
  ["noticeDays", 1.5, "invalid-field", { field: "body.noticeDays", rule: "invalid_type" }],
  [
    "requireApproval",
    "yes",
    "invalid-field",
    { field: "body.requireApproval", rule: "invalid_type" },
  ],
  [
    "dailyRedeemLimitPoints",
    0,
    "invalid-field",
    { field: "body.dailyRedeemLimitPoints", rule: "too_small", min: 1 },
  ],
  [
    "dailyRedeemLimitPoints",
    1_000_001,
    "invalid-field",
    { field: "body.dailyRedeemLimitPoints", rule: "too_big", max: 1_000_000 },
  ],
  [
    "starThresholds",
    [],
    "invalid-field",
    { field: "body.starThresholds", rule: "too_small", min: 1 },
  ],
  [
    "starThresholds",
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    "invalid-field",
    { field: "body.starThresholds", rule: "too_big", max: 10 },
  ],
  ["starThresholds", [50, 50], "stars-not-increasing", {}],
  ["starThresholds", [100, 50], "stars-not-increasing", {}],
  ["showBottomList", null, "invalid-field", { field: "body.showBottomList", rule: "invalid_type" }],
  ["colour", "red", "invalid-field", { field: "body", rule: "unrecognized_keys" }],
])(
  "refuses %s = %p with a 400 and the code %s, changing nothing",
  async (field, value, code, params) => {
    const before = await read();
    const res = await patch({ [field]: value });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect(res.body.params).toEqual(params);
    expect(res.body.errors[0].path).toStartWith("body");
    expect(await read()).toEqual(before);
  },
);

test("an empty change is refused with its code", async () => {
  const res = await patch({});
  expect(res.status).toBe(400);
  expect(res.body.code).toBe("nothing-to-change");
});

test("a clerk may not change settings (403 with a code); another village's admin gets 404; the township admin may", async () => {
  const clerk = await patch({ noticeDays: 3 }, s.aClerk);
  expect(clerk.status).toBe(403);
  expect(clerk.body.code).toBe("role-may-not");
  expect((await patch({ noticeDays: 3 }, s.bAdmin)).status).toBe(404);
  expect((await read()).noticeDays).toBe(0);
  expect((await patch({ noticeDays: 3 }, s.admin)).status).toBe(200);
  expect((await read()).noticeDays).toBe(3);
});
