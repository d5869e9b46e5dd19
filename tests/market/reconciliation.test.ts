/**
 * Proves the supermarket's month-end statement (对账) over real HTTP on a real database file with a
 * manual clock: a month of intakes from each source (a donation with its donor), sales, a void, a
 * write-off and a count gives lines that balance; the clerk and a village administrator (or the
 * township's) each sign once, a month that has not ended cannot be signed, the same person never
 * signs twice or in both roles, and the second signature freezes the statement: from then on the
 * stored snapshot is answered with its digest, whatever moves later, and a snapshot changed
 * behind the server's back shows as not intact. The print page and the public list (names masked)
 * carry the same figures.
 */
import { afterEach, beforeEach, expect, setDefaultTimeout, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { freshMarket, type MarketWorld } from "../support/market-fixture.ts";
import { immediate } from "../../src/db/open.ts";
import { insertMovement } from "../../src/market/goods-store.ts";
import { canonicalJson, sha256Hex } from "../../src/shared/canonical.ts";

setDefaultTimeout(30_000);

let h: Harness;
let w: MarketWorld;
beforeEach(async () => {
  ({ h, w } = await freshMarket());
});
afterEach(() => h.close());

/** 2026-04-01 10:00 in Beijing: March is over. */
const APRIL_1_MS = Date.UTC(2026, 3, 1, 2, 0, 0);

const statement = (month: string, cookie = w.aClerk) =>
  h.json("GET", `/api/villages/${w.A}/market/statements/${month}`, { cookie });
const sign = (month: string, cookie: string) =>
  h.json("POST", `/api/villages/${w.A}/market/statements/${month}/sign`, { cookie });
const sell = (goodsId: string, quantity: number, key: string) =>
  h.json("POST", "/api/redemptions", {
    token: w.kioskA,
    headers: { "idempotency-key": key },
    body: { cardToken: w.card.token, items: [{ goodsId, quantity }] },
  });

/** A month of the supermarket in March, then the clock on 1 April with everyone signed in again. */
async function march(): Promise<{ clerk: string; admin: string; township: string }> {
  const stock = (goodsId: string, body: unknown) =>
    h.json("POST", `/api/goods/${goodsId}/stock`, { cookie: w.aClerk, body });
  expect(
    (await stock(w.rice.id, { delta: 5, source: "donation", donor: "县供销社", reason: "捐赠" }))
      .status,
  ).toBe(201);
  expect(
    (await stock(w.soap.id, { delta: 4, source: "government", reason: "专项资金采购" })).status,
  ).toBe(201);
  expect(
    (await stock(w.soap.id, { delta: 2, source: "village", reason: "村集体采购" })).status,
  ).toBe(201);
  expect((await stock(w.rice.id, { delta: -1, reason: "破损" })).status).toBe(201);
  expect(
    (
      await h.json("POST", `/api/goods/${w.soap.id}/count`, {
        cookie: w.aClerk,
        body: { counted: 8, reason: "月末盘点" },
      })
    ).status,
  ).toBe(201);
  expect((await sell(w.rice.id, 2, "s1")).status).toBe(201);
  const soapSale = await sell(w.soap.id, 1, "s2");
  expect(
    (
      await h.json("POST", `/api/redemptions/${soapSale.body.id}/void`, {
        cookie: w.aClerk,
        body: { reason: "拿错了" },
      })
    ).status,
  ).toBe(201);
  // Names as people sign with them.
  const setName = async (username: string, displayName: string) => {
    const id = h.db
      .query<{ id: number }, [string]>("SELECT id FROM users WHERE username = ?")
      .get(username)!.id;
    expect(
      (await h.json("PATCH", `/api/users/${id}`, { cookie: w.admin, body: { displayName } }))
        .status,
    ).toBe(200);
  };
  await setName("a_clerk", "周会计");
  await setName("a_admin", "李主任");
  h.clock.set(APRIL_1_MS);
  return {
    clerk: await h.login("a_clerk"),
    admin: await h.login("a_admin"),
    township: await h.login("admin"),
  };
}

const sources = (donation: number, government: number, village: number, other: number) => ({
  donation,
  government,
  village,
  other,
});

test("a month's lines: goods in by source with their donors, sold, voided, written off, counted; each line balances", async () => {
  const { clerk } = await march();
  const r = await statement("2026-03", clerk);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({
    month: "2026-03",
    villageId: w.A,
    villageName: "东河村",
    sales: 2,
    voids: 1,
    pointsRedeemed: 60,
    pointsVoided: 5,
    signatures: [],
    ended: true,
    frozen: false,
    frozenAt: null,
    digest: null,
    intact: null,
  });
  const byName = Object.fromEntries(r.body.lines.map((l: { name: string }) => [l.name, l]));
  expect(Object.keys(byName).sort()).toEqual(["大米 5kg", "肥皂"].sort());
  expect(byName["大米 5kg"]).toEqual({
    goodsId: w.rice.id,
    name: "大米 5kg",
    opening: 0,
    in: sources(5, 0, 0, 10),
    donors: ["县供销社"],
    sold: 2,
    voided: 0,
    writtenOff: 1,
    countedDifference: 0,
    closing: 12,
  });
  expect(byName["肥皂"]).toEqual({
    goodsId: w.soap.id,
    name: "肥皂",
    opening: 0,
    in: sources(0, 4, 2, 3),
    donors: [],
    sold: 1,
    voided: 1,
    writtenOff: 0,
    countedDifference: -1,
    closing: 8,
  });
  expect(r.body.totals).toEqual({
    opening: 0,
    in: sources(5, 4, 2, 13),
    sold: 3,
    voided: 1,
    writtenOff: 1,
    countedDifference: -1,
    closing: 20,
  });
  // Closing is what the shelf holds: no movement since.
  for (const g of [w.rice, w.soap])
    expect(byName[g.name].closing).toBe(
      h.db
        .query<{ stock: number }, [number]>("SELECT stock FROM goods WHERE id = ?")
        .get(Number(g.id))!.stock,
    );
  // April opens where March closed.
  const april = await statement("2026-04", clerk);
  expect(april.body).toMatchObject({
    ended: false,
    sales: 0,
    lines: [
      { opening: 12, closing: 12 },
      { opening: 8, closing: 8 },
    ],
  });
  // February has nothing.
  expect((await statement("2026-02", clerk)).body).toMatchObject({
    lines: [],
    totals: { opening: 0, closing: 0 },
    sales: 0,
  });
});

test("the clerk and a village admin sign; the second signature freezes the statement with its digest, audited", async () => {
  const { clerk, admin } = await march();
  const first = await sign("2026-03", clerk);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({
    frozen: false,
    signatures: [{ role: "clerk", name: "周会计" }],
  });
  const second = await sign("2026-03", admin);
  expect(second.status).toBe(200);
  expect(second.body).toMatchObject({
    frozen: true,
    frozenAt: new Date(APRIL_1_MS).toISOString(),
    intact: true,
    signatures: [
      { role: "clerk", name: "周会计" },
      { role: "village_admin", name: "李主任" },
    ],
  });
  const stored = h.db
    .query<{ snapshot: string; digest: string }, []>(
      "SELECT snapshot, digest FROM market_statements",
    )
    .get()!;
  expect(second.body.digest).toBe(stored.digest);
  expect(sha256Hex(stored.snapshot)).toBe(stored.digest);
  // The snapshot is the statement as answered, less what describes its state.
  const { ended: _e, frozen: _f, frozenAt: _fa, digest: _d, intact: _i, ...snapshot } = second.body;
  expect(canonicalJson(snapshot)).toBe(stored.snapshot);
  const audit = h.db
    .query<{ action: string }, []>(
      "SELECT action FROM audit_log WHERE entity = 'market_statement' ORDER BY id",
    )
    .all()
    .map((r) => r.action);
  expect(audit).toEqual(["sign", "sign", "freeze"]);
  // The same answer from the GET.
  expect((await statement("2026-03", clerk)).body).toEqual(second.body);
});

test("the same person never signs twice, a role is signed once, and a signature after freezing is refused", async () => {
  const { clerk, admin, township } = await march();
  await sign("2026-03", clerk);
  const twice = await sign("2026-03", clerk);
  expect(twice.status).toBe(409);
  expect(twice.body).toMatchObject({ code: "already-signed", params: { role: "clerk" } });
  // Promoted after signing as the clerk: still one person, so not the committee's signature too.
  const clerkId = h.db
    .query<{ id: number }, []>("SELECT id FROM users WHERE username = 'a_clerk'")
    .get()!.id;
  expect(
    (
      await h.json("PATCH", `/api/users/${clerkId}`, {
        cookie: township,
        body: { role: "village_admin" },
      })
    ).status,
  ).toBe(200);
  const both = await sign("2026-03", await h.login("a_clerk"));
  expect(both.status).toBe(409);
  expect(both.body.code).toBe("already-signed");
  // A second clerk finds the clerk's place taken.
  expect(
    (
      await h.json("POST", "/api/users", {
        cookie: township,
        body: {
          username: "a_clerk2",
          password: "staff-password-for-tests",
          role: "clerk",
          villageId: w.A,
        },
      })
    ).status,
  ).toBe(201);
  const taken = await sign("2026-03", await h.login("a_clerk2"));
  expect(taken.status).toBe(409);
  expect(taken.body).toMatchObject({
    code: "role-signed",
    params: { role: "clerk", name: "周会计" },
  });
  expect((await sign("2026-03", admin)).body.frozen).toBe(true);
  const late = await sign("2026-03", township);
  expect(late.status).toBe(409);
  expect(late.body.code).toBe("statement-frozen");
  expect(
    h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM market_statement_signatures").get()!.n,
  ).toBe(2);
});

test("a township administrator signs as the village's committee", async () => {
  const { clerk, township } = await march();
  await sign("2026-03", clerk);
  const r = await sign("2026-03", township);
  expect(r.body).toMatchObject({
    frozen: true,
    signatures: [{ role: "clerk" }, { role: "village_admin", name: "镇管理员" }],
  });
});

test("a month that has not ended cannot be signed (Asia/Shanghai), nor a month to come", async () => {
  const { clerk } = await march();
  for (const month of ["2026-04", "2026-05"]) {
    const r = await sign(month, clerk);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: "month-not-ended", params: { month } });
  }
  // 31 March 23:59 in Beijing is still March there.
  h.clock.set(Date.UTC(2026, 2, 31, 15, 59, 0));
  expect((await sign("2026-03", await h.login("a_clerk"))).body.code).toBe("month-not-ended");
  expect(
    h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM market_statement_signatures").get()!.n,
  ).toBe(0);
});

test("a frozen statement never changes: later movements, even dated into its month, leave it as signed", async () => {
  const { clerk, admin } = await march();
  await sign("2026-03", clerk);
  const frozen = (await sign("2026-03", admin)).body;
  // An April void of a March sale, an April intake, and a movement written straight into March.
  const sale = h.db
    .query<{ id: number }, []>("SELECT id FROM redemptions WHERE voided_at_ms IS NULL")
    .get()!;
  expect(
    (
      await h.json("POST", `/api/redemptions/${sale.id}/void`, {
        cookie: clerk,
        body: { reason: "退货" },
      })
    ).status,
  ).toBe(201);
  immediate(h.db, () =>
    insertMovement(h.db, {
      goodsId: Number(w.rice.id),
      villageId: Number(w.A),
      kind: "intake",
      delta: 7,
      reason: "补录",
      source: "other",
      redemptionId: null,
      occurredOn: "2026-03-20",
      nowMs: h.clock.nowMs(),
      createdBy: "test",
    }),
  );
  expect((await statement("2026-03", clerk)).body).toEqual(frozen);
  // The database itself refuses to change or drop it.
  expect(() => h.db.run("UPDATE market_statements SET digest = digest")).toThrow(/never changes/);
  expect(() => h.db.run("DELETE FROM market_statements")).toThrow(/never deleted/);
  // April counts the void in April.
  expect((await statement("2026-04", clerk)).body).toMatchObject({ voids: 1, pointsRedeemed: -60 });
});

test("a frozen statement changed behind the server's back shows as not intact, on the page too", async () => {
  const { clerk, admin } = await march();
  await sign("2026-03", clerk);
  await sign("2026-03", admin);
  h.db.run("DROP TRIGGER market_statements_no_update");
  h.db.run(
    `UPDATE market_statements SET snapshot = replace(snapshot, '"pointsRedeemed":60', '"pointsRedeemed":6')`,
  );
  const r = await statement("2026-03", clerk);
  expect(r.body).toMatchObject({ frozen: true, intact: false, pointsRedeemed: 6 });
  const page = await (
    await h.request("GET", `/api/villages/${w.A}/market/statements/2026-03/print`, {
      cookie: clerk,
    })
  ).text();
  expect(page).toContain("存档与校验码不符");
});

test("the print page is an A4 statement in Chinese with the figures and both signatures", async () => {
  const { clerk, admin } = await march();
  const open = await h.request("GET", `/api/villages/${w.A}/market/statements/2026-03/print`, {
    cookie: clerk,
  });
  expect(open.status).toBe(200);
  expect(open.headers.get("content-type")).toContain("text/html");
  const draft = await open.text();
  for (const text of [
    "东河村 积分超市月度对账单",
    "2026年3月",
    "size: A4 landscape",
    "县供销社",
    "政府资金",
    "村集体",
    "盘点差额",
    "未签字",
    "尚未封存",
  ])
    expect(draft).toContain(text);
  await sign("2026-03", clerk);
  const frozen = (await sign("2026-03", admin)).body;
  const page = await (
    await h.request("GET", `/api/villages/${w.A}/market/statements/2026-03/print`, {
      cookie: clerk,
    })
  ).text();
  for (const text of [
    "周会计",
    "李主任",
    "超市管理员",
    "村委会负责人",
    frozen.digest.slice(0, 16),
    ">60<",
  ])
    expect(page).toContain(text);
  expect(page).not.toContain("未签字");
});

test("the public side lists frozen months only, with the signers' names masked and the digest", async () => {
  const { clerk, admin } = await march();
  const none = await h.json("GET", `/api/public/villages/${w.A}/market/statements`);
  expect(none.body).toEqual({ villageId: w.A, items: [] });
  await sign("2026-03", clerk);
  expect((await h.json("GET", `/api/public/villages/${w.A}/market/statements`)).body.items).toEqual(
    [],
  );
  const frozen = (await sign("2026-03", admin)).body;
  const r = await h.json("GET", `/api/public/villages/${w.A}/market/statements`);
  expect(r.body.items).toEqual([
    {
      month: "2026-03",
      totals: frozen.totals,
      pointsRedeemed: 60,
      sales: 2,
      voids: 1,
      signers: [
        { role: "clerk", name: "周*计" },
        { role: "village_admin", name: "李*任" },
      ],
      frozenAt: frozen.frozenAt,
      digest: frozen.digest,
      intact: true,
    },
  ]);
  expect(JSON.stringify(r.body)).not.toContain("周会计");
  expect((await h.json("GET", `/api/public/villages/${w.B}/market/statements`)).body.items).toEqual(
    [],
  );
  expect((await h.json("GET", "/api/public/villages/99999/market/statements")).status).toBe(404);
});

test.each(["2026-13", "2026-3", "26-03", "2026-00", "march", "2026-03-01"])(
  "the month %s is refused with 400",
  async (month) => {
    expect((await statement(month)).status).toBe(400);
    expect((await sign(month, w.aAdmin)).status).toBe(400);
  },
);

test("staff of another village neither read nor sign a village's statement", async () => {
  const { clerk } = await march();
  await sign("2026-03", clerk);
  const bClerk = await h.login("b_clerk");
  expect(
    (await h.json("GET", `/api/villages/${w.A}/market/statements/2026-03`, { cookie: bClerk }))
      .status,
  ).toBe(404);
  expect(
    (
      await h.json("POST", `/api/villages/${w.A}/market/statements/2026-03/sign`, {
        cookie: bClerk,
      })
    ).status,
  ).toBe(404);
  expect(
    (
      await h.request("GET", `/api/villages/${w.A}/market/statements/2026-03/print`, {
        cookie: bClerk,
      })
    ).status,
  ).toBe(404);
  expect((await h.json("GET", `/api/villages/${w.A}/market/statements/2026-03`)).status).toBe(401);
  expect(
    h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM market_statement_signatures").get()!.n,
  ).toBe(1);
});
