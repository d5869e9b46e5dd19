/**
 * One valid request for every signed-in API route, keyed by "METHOD /path", used by the tenancy
 * matrix (tests/http/tenancy.test.ts). A new route needs a fixture here or the matrix fails.
 * Path parameters are filled from the target village's ids (see `paramFor` and `extra`).
 */
import { ADMIN_PASSWORD, type Harness } from "./harness.ts";
import { immediate } from "../../src/db/open.ts";
import { insertEntry, postEntry } from "../../src/ledger/entry-store.ts";
import { PNG_6X4 } from "./images.ts";
import { redeem } from "../../src/market/redeem.ts";
import { systemAudit } from "../../src/audit/audit.ts";

/** A whole picture: the photo check reads a file to its end marker. */
const PNG = PNG_6X4;

/** Gives a household points without a rule, for routes that need a balance to spend. */
function grantPoints(h: Harness, householdId: string, villageId: string, points: number): void {
  immediate(h.db, () => {
    const id = insertEntry(h.db, {
      villageId: Number(villageId),
      householdId: Number(householdId),
      memberId: null,
      ruleId: null,
      kind: "award",
      status: "proposed",
      points,
      quantity: 1,
      ruleCode: null,
      ruleTitle: "fixture",
      category: "other",
      note: null,
      occurredOn: "2026-03-01",
      reversesId: null,
      redemptionId: null,
      batchId: null,
      createdAtMs: h.clock.nowMs(),
      createdBy: "fixture",
      approvedBy: null,
      approvedAtMs: null,
      noticeEndsAtMs: null,
    });
    postEntry(h.db, id, h.clock.nowMs());
  });
}

let keySeq = 0;
let codeSeq = 0;

/** Records an entry as the township admin under the village's current settings; returns its id. */
async function entry(h: Harness, admin: string, t: VillageIds): Promise<string> {
  const res = await h.json("POST", "/api/entries", {
    cookie: admin,
    body: { householdId: t.householdId, ruleId: t.extra["rules"] },
  });
  if (res.status !== 201)
    throw new Error(`fixture entry failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.entry.id;
}

async function settings(
  h: Harness,
  admin: string,
  t: VillageIds,
  body: { noticeDays: number; requireApproval: boolean },
): Promise<void> {
  const res = await h.json("PATCH", `/api/villages/${t.villageId}`, { cookie: admin, body });
  if (res.status !== 200) throw new Error(`fixture settings failed: ${res.status}`);
}

export type VillageIds = {
  villageId: string;
  householdId: string;
  spareHouseholdId: string;
  memberId: string;
  cardId: string;
  cardToken: string;
  cardNumber: string;
  spareCardId: string;
  kioskId: string;
  kioskTokenActive?: string;
  userId: string;
  /** Ids of records made by fixtures' setup, keyed by the path segment before `:id`. */
  extra: Record<string, string>;
  paramFor?: (segment: string, name: string) => string | undefined;
};

export type Fixture = {
  /** Path parameters for this route only, where the default id of the segment does not fit. */
  params?: (t: VillageIds) => Record<string, string | undefined>;
  body?: (t: VillageIds) => unknown;
  query?: (t: VillageIds) => string;
  headers?: (t: VillageIds) => Record<string, string>;
  csv?: string;
  image?: () => Uint8Array;
  /** Who makes the positive control: a kiosk device (skipped here: covered by its own tests) or
   * the target village's own admin, for routes a township administrator may not call. */
  as?: "kiosk" | "village-admin";
  /** Makes records the route needs in both villages (runs once, as the township admin). */
  setup?: (h: Harness, admin: string, a: VillageIds, b: VillageIds) => Promise<void>;
};

let userSeq = 0;

export const fixtures: Record<string, Fixture> = {
  "GET /api/me": {},
  "POST /api/users": {
    body: (t) => ({
      username: `fixture_${++userSeq}`,
      password: "fixture-password",
      role: "clerk",
      villageId: t.villageId,
    }),
  },
  "GET /api/users": {},
  "DELETE /api/users/:id": {},
  "PATCH /api/users/:id": { body: () => ({ displayName: "周会计" }) },
  "POST /api/users/:id/password": { body: () => ({ password: "fixture-password-reset" }) },
  // The township administrator's own password, changed to itself; it ends the session it was
  // made with, so the positive control runs it last (tests/http/tenancy.test.ts).
  "POST /api/me/password": {
    body: () => ({ oldPassword: ADMIN_PASSWORD, newPassword: ADMIN_PASSWORD }),
  },
  "PUT /api/me/pin": { body: () => ({ pin: "2580", password: ADMIN_PASSWORD }) },
  "DELETE /api/me/pin": {},
  "POST /api/villages": { body: () => ({ name: "新村", code: `NEW${++userSeq}` }) },
  "GET /api/villages": {},
  "GET /api/villages/:id": {},
  "PATCH /api/villages/:id": { body: () => ({ noticeDays: 0 }) },
  "POST /api/villages/:villageId/households": { body: () => ({ headName: "赵六" }) },
  "GET /api/households/:id": {},
  "PATCH /api/households/:id": { body: () => ({ address: "2组5号" }) },
  "PUT /api/households/:id/pin": { body: () => ({ pin: "2580" }) },
  "DELETE /api/households/:id/pin": {},
  "GET /api/villages/:villageId/households": { query: () => "?search=zjh" },
  "POST /api/villages/:villageId/households/match": {
    body: () => ({ text: "张建华、李四\n3组27号" }),
  },
  "POST /api/villages/:villageId/households/import": { csv: "户主,住址\n孙七,9组\n" },
  "POST /api/households/:id/cards": {},
  "GET /api/households/:id/cards": {},
  "DELETE /api/cards/:id": {},
  "POST /api/cards/:id/reissue": {},
  "GET /api/villages/:villageId/cards/print": {},
  "POST /api/villages/:villageId/kiosks": { body: () => ({ name: "新设备" }) },
  "GET /api/villages/:villageId/kiosks": {},
  "DELETE /api/kiosks/:id": {},
  "GET /api/kiosk/me": { as: "kiosk" },
  "GET /api/kiosk/staff": { as: "kiosk" },
  "POST /api/kiosk/staff-login": { as: "kiosk", body: (t) => ({ userId: t.userId, pin: "2580" }) },
  "GET /api/kiosk/cards/:token": {},
  "GET /api/ledger/verify": {},
  "GET /api/audit": { query: (t) => `?villageId=${t.villageId}&limit=5` },
  "GET /api/audit/actions": { query: (t) => `?villageId=${t.villageId}` },

  // The ledger.
  "POST /api/villages/:villageId/rules": {
    body: () => ({
      code: `FX-${++codeSeq}`,
      title: "参加义务劳动",
      category: "volunteer",
      points: 5,
    }),
    setup: async (h, admin, a, b) => {
      const template = (
        await h.json("POST", "/api/rule-templates", {
          cookie: admin,
          body: { code: "TPL-1", title: "垃圾分类达标", category: "environment", points: 2 },
        })
      ).body;
      for (const t of [a, b]) {
        t.extra["templateId"] = template.template?.id ?? template.id;
        const rule = (
          await h.json("POST", `/api/villages/${t.villageId}/rules`, {
            cookie: admin,
            body: {
              code: "ENV-01",
              title: "庭院整洁",
              category: "environment",
              points: 10,
              monthlyCap: 1000,
            },
          })
        ).body;
        t.extra["rules"] = rule.rule?.id ?? rule.id;
        // A posted entry (to reverse), two proposed ones (to approve and reject) and a disputed
        // one (to resolve): each needs the village's settings of its moment.
        await settings(h, admin, t, { noticeDays: 0, requireApproval: false });
        t.extra["posted"] = await entry(h, admin, t);
        await settings(h, admin, t, { noticeDays: 0, requireApproval: true });
        t.extra["proposedA"] = await entry(h, admin, t);
        t.extra["proposedB"] = await entry(h, admin, t);
        await settings(h, admin, t, { noticeDays: 3, requireApproval: false });
        const disputed = await entry(h, admin, t);
        const objection = await h.json("POST", `/api/public/cards/${t.cardToken}/objections`, {
          body: { entryId: disputed, reason: "没有参加" },
        });
        if (objection.status !== 201)
          throw new Error(
            `fixture objection failed: ${objection.status} ${JSON.stringify(objection.body)}`,
          );
        t.extra["disputed"] = disputed;
        t.extra["entries"] = t.extra["posted"]!;
        await settings(h, admin, t, { noticeDays: 0, requireApproval: false });
      }
    },
  },
  "GET /api/villages/:villageId/rules": {},
  "PATCH /api/rules/:id": { body: () => ({ title: "庭院整洁（修订）" }) },
  "POST /api/rule-templates": {
    body: () => ({ code: `TPL-${++codeSeq}`, title: "参加法治讲座", category: "law", points: 3 }),
  },
  "GET /api/rule-templates": { query: () => "?includeRetired=true" },
  "PATCH /api/rule-templates/:id": {
    params: (t) => ({ id: t.extra["templateId"] }),
    body: () => ({ title: "垃圾分类达标（修订）" }),
  },
  "POST /api/villages/:villageId/rules/from-templates": {
    body: (t) => ({ templateIds: [t.extra["templateId"]] }),
  },
  "POST /api/entries": { body: (t) => ({ householdId: t.householdId, ruleId: t.extra["rules"] }) },
  "POST /api/entries/batch": {
    body: (t) => ({ ruleId: t.extra["rules"], householdIds: [t.householdId, t.spareHouseholdId] }),
  },
  "POST /api/entries/:id/approve": {
    as: "village-admin",
    params: (t) => ({ id: t.extra["proposedA"] }),
  },
  "POST /api/entries/:id/reject": {
    params: (t) => ({ id: t.extra["proposedB"] }),
    body: () => ({ reason: "证明材料不全" }),
  },
  "POST /api/entries/:id/resolve": {
    params: (t) => ({ id: t.extra["disputed"] }),
    body: () => ({ decision: "uphold", reason: "经核实属实" }),
  },
  "POST /api/entries/:id/reverse": {
    params: (t) => ({ id: t.extra["posted"] }),
    body: () => ({ reason: "录错了" }),
  },
  "POST /api/entries/batches/:batchId/undo": {
    body: () => ({ reason: "录错了" }),
    headers: () => ({ "idempotency-key": `fixture-undo-${++keySeq}` }),
    setup: async (h, admin, a, b) => {
      for (const t of [a, b]) {
        const res = await h.json("POST", "/api/entries/batch", {
          cookie: admin,
          body: { ruleId: t.extra["rules"], householdIds: [t.householdId, t.spareHouseholdId] },
        });
        if (res.status !== 201)
          throw new Error(`fixture batch failed: ${res.status} ${JSON.stringify(res.body)}`);
        t.extra["batches"] = res.body.batchId;
      }
    },
  },
  "POST /api/villages/:villageId/evidence": {
    image: () => PNG,
    setup: async (h, admin, a, b) => {
      for (const t of [a, b]) {
        const res = await h.json("POST", `/api/villages/${t.villageId}/evidence`, {
          cookie: admin,
          raw: PNG,
          contentType: "image/png",
        });
        if (res.status !== 201)
          throw new Error(`fixture evidence failed: ${res.status} ${JSON.stringify(res.body)}`);
        t.extra["evidence"] = res.body.id;
      }
    },
  },
  "GET /api/evidence/:id": {},
  "GET /api/villages/:villageId/objections": { query: () => "?status=all" },
  "GET /api/villages/:villageId/today": {},
  "GET /api/entries/:id": {},
  "GET /api/households/:id/entries": {},
  "GET /api/villages/:villageId/entries": {},
  "GET /api/villages/:villageId/report": {
    query: () => "?from=2026-01-01&to=2026-12-31&format=xlsx",
  },
  "GET /api/township/report": { query: () => "?from=2026-01-01&to=2026-12-31&format=csv" },
  "POST /api/villages/:villageId/expiry": {
    body: () => ({ year: 2025 }),
    setup: async (h, admin, a, b) => {
      for (const t of [a, b]) {
        const res = await h.json("PATCH", `/api/villages/${t.villageId}`, {
          cookie: admin,
          body: { pointsExpire: true },
        });
        if (res.status !== 200) throw new Error(`fixture pointsExpire failed: ${res.status}`);
      }
    },
  },

  // The points supermarket.
  "POST /api/villages/:villageId/goods": {
    body: () => ({ name: "香皂", pricePoints: 4, stock: 5 }),
    setup: async (h, admin, a, b) => {
      for (const t of [a, b]) {
        grantPoints(h, t.householdId, t.villageId, 500);
        const goods = (
          await h.json("POST", `/api/villages/${t.villageId}/goods`, {
            cookie: admin,
            body: { name: `大米 村${t.villageId}`, pricePoints: 35, stock: 20 },
          })
        ).body.goods;
        t.extra["goods"] = goods.id;
        t.extra["goodsId"] = goods.id;
      }
    },
  },
  "GET /api/villages/:villageId/goods": {},
  "GET /api/goods/:id": {},
  "PATCH /api/goods/:id": { body: () => ({ pricePoints: 36 }) },
  "POST /api/goods/:id/stock": { body: () => ({ delta: 5, reason: "进货" }) },
  "GET /api/goods/:id/stock": { query: () => "?limit=5" },
  "POST /api/goods/:id/count": { body: () => ({ counted: 12, reason: "盘点" }) },
  "PUT /api/goods/:id/image": { image: () => PNG },
  "GET /api/kiosk/goods": { as: "village-admin" },
  "POST /api/redemptions": {
    as: "village-admin",
    body: (t) => ({
      cardToken: t.cardToken,
      items: [{ goodsId: t.extra["goodsId"], quantity: 1 }],
    }),
    headers: () => ({ "idempotency-key": `fixture-${++keySeq}-${Date.now()}` }),
    setup: async (h, _admin, a, b) => {
      for (const t of [a, b]) {
        const kiosk = (
          await h.json("POST", `/api/villages/${t.villageId}/kiosks`, {
            cookie: _admin,
            body: { name: "收银台" },
          })
        ).body;
        const sale = await h.json("POST", "/api/redemptions", {
          token: kiosk.token,
          body: { cardToken: t.cardToken, items: [{ goodsId: t.extra["goodsId"], quantity: 1 }] },
          headers: { "idempotency-key": `setup-${t.villageId}` },
        });
        if (sale.status !== 201)
          throw new Error(`fixture sale failed: ${sale.status} ${JSON.stringify(sale.body)}`);
        t.extra["redemptions"] = sale.body.id;
      }
    },
  },
  "GET /api/redemptions/:id": {},
  "GET /api/redemptions/:id/receipt": {},
  "GET /api/villages/:villageId/redemptions": {},
  "GET /api/kiosk/redemptions": { as: "village-admin" },
  "POST /api/redemptions/:id/void": { body: () => ({ reason: "录错了" }) },
  // Home delivery and opening hours (issue 18): a delivery sale in each village to confirm.
  "POST /api/redemptions/:id/delivery": {
    as: "village-admin",
    params: (t) => ({ id: t.extra["deliveries"] }),
    body: () => ({ deliveredBy: "王五", deliveredAt: "2026-03-02T02:00:00.000Z" }),
    setup: async (h, _admin, a, b) => {
      for (const t of [a, b]) {
        grantPoints(h, t.householdId, t.villageId, 50);
        const sold = redeem(h.db, systemAudit(h.clock.nowMs()), {
          cardCode: null,
          householdId: Number(t.householdId),
          delivery: true,
          opener: null,
          items: [{ goodsId: Number(t.extra["goodsId"]), quantity: 1 }],
          sellerVillageId: Number(t.villageId),
          createdBy: "fixture",
          kioskId: null,
          idempotency: null,
        });
        if (!sold.ok) throw new Error(`fixture delivery failed: ${sold.detail}`);
        t.extra["deliveries"] = sold.value.receipt.id;
      }
    },
  },
  "GET /api/villages/:villageId/deliveries": { query: () => "?status=waiting" },
  "GET /api/kiosk/market-hours": { as: "village-admin" },
  "GET /api/households/:id/suspension": {},
  "GET /api/villages/:villageId/market/accounts": { query: () => "?from=2026-01-01&to=2026-12-31" },
  // Inspection rounds (issue 18): a draft to read, copy, score and delete, and a scored one to submit.
  "POST /api/villages/:villageId/rounds": {
    body: (t) => ({ name: "三月人居环境评比", day: "2026-03-01", ruleIds: [t.extra["rules"]] }),
    setup: async (h, admin, a, b) => {
      for (const t of [a, b]) {
        const make = async (): Promise<string> => {
          const res = await h.json("POST", `/api/villages/${t.villageId}/rounds`, {
            cookie: admin,
            body: {
              name: "二月评比",
              day: "2026-03-01",
              ruleIds: [t.extra["rules"]],
              householdIds: [t.householdId, t.spareHouseholdId],
            },
          });
          if (res.status !== 201)
            throw new Error(`fixture round failed: ${res.status} ${JSON.stringify(res.body)}`);
          return res.body.round.id;
        };
        t.extra["rounds"] = await make();
        t.extra["roundToSubmit"] = await make();
        const scored = await h.json(
          "PUT",
          `/api/rounds/${t.extra["roundToSubmit"]}/scores/${t.householdId}/${t.extra["rules"]}`,
          { cookie: admin, body: { quantity: 1 } },
        );
        if (scored.status !== 200)
          throw new Error(`fixture score failed: ${scored.status} ${JSON.stringify(scored.body)}`);
      }
    },
  },
  "POST /api/rounds/:id/copy": { body: () => ({ name: "四月评比", day: "2026-03-02" }) },
  "GET /api/villages/:villageId/rounds": { query: () => "?limit=5" },
  "GET /api/rounds/:id": {},
  "PUT /api/rounds/:id/scores/:householdId/:ruleId": {
    params: (t) => ({ householdId: t.householdId, ruleId: t.extra["rules"] }),
    body: () => ({ quantity: 2, note: "院内整洁" }),
  },
  "POST /api/rounds/:id/submit": {
    params: (t) => ({ id: t.extra["roundToSubmit"] }),
    headers: () => ({ "idempotency-key": `fixture-round-${++keySeq}` }),
  },
  "DELETE /api/rounds/:id": {},

  // The supermarket's month-end statement (issue 18): February 2026 has ended by the harness's clock.
  "GET /api/villages/:villageId/market/statements/:month": { params: () => ({ month: "2026-02" }) },
  "POST /api/villages/:villageId/market/statements/:month/sign": {
    params: () => ({ month: "2026-02" }),
  },
  "GET /api/villages/:villageId/market/statements/:month/print": {
    params: () => ({ month: "2026-02" }),
  },

  // Points statements for the bank (issue 18): one issued in each village, to list and withdraw.
  "POST /api/households/:id/statements": {
    setup: async (h, admin, a, b) => {
      for (const t of [a, b]) {
        const res = await h.json("POST", `/api/households/${t.householdId}/statements`, {
          cookie: admin,
        });
        if (res.status !== 201)
          throw new Error(`fixture statement failed: ${res.status} ${JSON.stringify(res.body)}`);
        t.extra["statements"] = res.body.statement.id;
      }
    },
  },
  "GET /api/households/:id/statements": {},
  "POST /api/statements/:id/withdraw": { body: () => ({ reason: "信息有误，重新出具" }) },
};
