/**
 * Proves the role limits of issue 20, finding 6: repricing a good and revoking or reissuing a
 * card are for a village or township administrator (a clerk gets 403 role-may-not and nothing
 * changes); switching a check off (approval, a shorter notice, a longer reach back, the PIN for
 * typed card numbers) is for the township (a village admin gets 403 township-admin-only), while
 * tightening stays the village admin's. Every change is in the audit log with what it was.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;
let goodsId: string;
let cardId: string;
beforeEach(async () => {
  h = createHarness();
  s = await seedTwoVillages(h);
  goodsId = (
    await h.json("POST", `/api/villages/${s.villageA.id}/goods`, {
      cookie: s.aAdmin,
      body: { name: "大米", pricePoints: 30 },
    })
  ).body.goods.id;
  const household = (
    await h.json("POST", `/api/villages/${s.villageA.id}/households`, {
      cookie: s.aAdmin,
      body: { headName: "张建华" },
    })
  ).body.household;
  cardId = (await h.json("POST", `/api/households/${household.id}/cards`, { cookie: s.aClerk }))
    .body.id;
});
afterEach(() => h.close());

const lastAudit = () =>
  h.db
    .query<{ action: string; entity: string; detail: string }, []>(
      "SELECT action, entity, detail FROM audit_log ORDER BY id DESC LIMIT 1",
    )
    .get()!;
const price = () =>
  h.db
    .query<{ p: number }, [number]>("SELECT price_points AS p FROM goods WHERE id = ?")
    .get(Number(goodsId))!.p;

test("a clerk may not reprice a good: 403 role-may-not, the price stays", async () => {
  const res = await h.json("PATCH", `/api/goods/${goodsId}`, {
    cookie: s.aClerk,
    body: { pricePoints: 1 },
  });
  expect(res.status).toBe(403);
  expect(res.body.code).toBe("role-may-not");
  expect(res.body.params).toEqual({ role: "clerk" });
  expect(price()).toBe(30);
});

test("a clerk still renames a good, and may send its price unchanged", async () => {
  expect(
    (
      await h.json("PATCH", `/api/goods/${goodsId}`, {
        cookie: s.aClerk,
        body: { name: "大米 5kg", pricePoints: 30 },
      })
    ).status,
  ).toBe(200);
});

test("a village admin reprices a good, audited with the price before", async () => {
  expect(
    (
      await h.json("PATCH", `/api/goods/${goodsId}`, {
        cookie: s.aAdmin,
        body: { pricePoints: 35 },
      })
    ).status,
  ).toBe(200);
  expect(price()).toBe(35);
  expect(JSON.parse(lastAudit().detail)).toEqual({ pricePoints: 35, pricePointsBefore: 30 });
});

test.each([
  ["revoke", "DELETE", (id: string) => `/api/cards/${id}`],
  ["reissue", "POST", (id: string) => `/api/cards/${id}/reissue`],
])("a clerk may not %s a card: 403 role-may-not, the card still works", async (_, method, path) => {
  const res = await h.json(method, path(cardId), { cookie: s.aClerk });
  expect(res.status).toBe(403);
  expect(res.body.code).toBe("role-may-not");
  expect(h.db.query("SELECT revoked_at_ms FROM cards WHERE id = ?").get(Number(cardId))).toEqual({
    revoked_at_ms: null,
  });
});

test.each([
  ["revoke", "DELETE", (id: string) => `/api/cards/${id}`, 204, "revoke"],
  ["reissue", "POST", (id: string) => `/api/cards/${id}/reissue`, 201, "reissue"],
])("a village admin may %s a card, audited", async (_, method, path, status, action) => {
  expect((await h.json(method, path(cardId), { cookie: s.aAdmin })).status).toBe(status);
  expect(lastAudit().action).toBe(action);
});

test.each([
  ["approval off", { requireApproval: true }, { requireApproval: false }, "requireApproval"],
  ["a shorter notice", { noticeDays: 7 }, { noticeDays: 3 }, "noticeDays"],
  ["a longer reach back", {}, { backdateDaysMax: 365 }, "backdateDaysMax"],
  [
    "the PIN for typed card numbers off",
    { requirePinForNumber: true },
    { requirePinForNumber: false },
    "requirePinForNumber",
  ],
])(
  "a village admin may not switch a check off (%s): 403 township-admin-only, nothing changes",
  async (_, start, change, field) => {
    if (Object.keys(start).length > 0)
      expect(
        (await h.json("PATCH", `/api/villages/${s.villageA.id}`, { cookie: s.admin, body: start }))
          .status,
      ).toBe(200);
    const before = h.db.query("SELECT * FROM villages WHERE id = ?").get(Number(s.villageA.id));
    const res = await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
      cookie: s.aAdmin,
      body: { ...change, name: "东河村（改）" },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("township-admin-only");
    expect(res.body.params).toEqual({ fields: field });
    expect(h.db.query("SELECT * FROM villages WHERE id = ?").get(Number(s.villageA.id))).toEqual(
      before,
    );
    // The township may, and the audit row says what it was.
    expect(
      (await h.json("PATCH", `/api/villages/${s.villageA.id}`, { cookie: s.admin, body: change }))
        .status,
    ).toBe(200);
    expect(lastAudit()).toMatchObject({ action: "update", entity: "village" });
    const was: Record<string, unknown> = {
      requireApproval: false,
      noticeDays: 0,
      backdateDaysMax: 90,
      requirePinForNumber: false,
      ...start,
    };
    expect(JSON.parse(lastAudit().detail).before).toEqual({ [field]: was[field] });
  },
);

test("a village admin may tighten: approval on, a longer notice, a shorter reach back, the PIN on", async () => {
  const res = await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
    cookie: s.aAdmin,
    body: { requireApproval: true, noticeDays: 5, backdateDaysMax: 30, requirePinForNumber: true },
  });
  expect(res.status).toBe(200);
  expect(res.body.village).toMatchObject({
    requireApproval: true,
    noticeDays: 5,
    backdateDaysMax: 30,
    requirePinForNumber: true,
  });
  // Sending a setting as it already is loosens nothing.
  expect(
    (
      await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
        cookie: s.aAdmin,
        body: { requireApproval: true, noticeDays: 5 },
      })
    ).status,
  ).toBe(200);
});
