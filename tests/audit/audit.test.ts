/**
 * Proves the audit log's search (GET /api/audit, GET /api/audit/actions) over real HTTP on a real
 * database: who may read which village's rows; each filter (actor, action, entity, record,
 * receipt number, Asia/Shanghai days) alone and together; pages newest first that, walked to the
 * end, give exactly the rows a plain scan of the table finds in that order, for one village and
 * merged over all of them; and bad filters answer 400 with the field (and a code for the rules
 * between fields).
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { HOUR_MS, MINUTE_MS } from "../../src/shared/clock.ts";
import { freshMarket, type MarketWorld } from "../support/market-fixture.ts";

let h: Harness;
let w: MarketWorld;
let keySeq = 0;
beforeEach(async () => {
  ({ h, w } = await freshMarket());
});
afterEach(() => h.close());

type Item = {
  id: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  villageId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  detail: unknown;
  address: string | null;
};
type Page = { items: Item[]; nextCursor: string | null };

const audit = (query: string, cookie = w.aAdmin) =>
  h.json<Page>("GET", `/api/audit${query}`, { cookie });
const sell = async (goodsId: string, token = w.kioskA, cardToken = w.card.token) => {
  const res = await h.json("POST", "/api/redemptions", {
    token,
    headers: { "idempotency-key": `a${++keySeq}` },
    body: { cardToken, items: [{ goodsId, quantity: 1 }] },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; receiptNo: number };
};
const kioskIdOf = (name: string) =>
  h.db.query<{ id: number }, [string]>("SELECT id FROM kiosks WHERE name = ?").get(name)!.id;

/** Walks every page of a search and answers the ids in the order served. */
async function walk(query: string, cookie = w.admin, limit = 3): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const sep = query.includes("?") ? "&" : "?";
    const res: { status: number; body: Page } = await audit(
      `${query}${sep}limit=${limit}${cursor === null ? "" : `&cursor=${cursor}`}`,
      cookie,
    );
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((r) => r.id));
    cursor = res.body.nextCursor;
    if (cursor === null) return ids;
  }
  throw new Error("too many pages");
}

/** The same search as a plain scan of the table: what every page, walked to the end, must give. */
function scan(where: string, ...params: (string | number | null)[]): string[] {
  return h.db
    .query<{ id: number }, (string | number | null)[]>(
      `SELECT id FROM audit_log NOT INDEXED WHERE ${where} ORDER BY at_ms DESC, id DESC`,
    )
    .all(...params)
    .map((r) => String(r.id));
}

/** A morning's activity in both villages: sales, a void, an intake, a count, at different hours. */
async function activity(): Promise<{
  first: { id: string; receiptNo: number };
  second: { id: string; receiptNo: number };
}> {
  const first = await sell(w.soap.id);
  h.clock.advance(10 * MINUTE_MS);
  const second = await sell(w.rice.id);
  await sell(w.oilB.id, w.kioskB, w.cardB.token);
  h.clock.advance(10 * MINUTE_MS);
  expect(
    (
      await h.json("POST", `/api/redemptions/${second.id}/void`, {
        cookie: w.aAdmin,
        body: { reason: "刷错卡" },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await h.json("POST", `/api/goods/${w.soap.id}/stock`, {
        cookie: w.aClerk,
        body: { delta: 6, source: "donation", donor: "县供销社" },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await h.json("POST", `/api/goods/${w.oilB.id}/count`, {
        cookie: w.bClerk,
        body: { counted: 3, reason: "盘点" },
      })
    ).status,
  ).toBe(201);
  return { first, second };
}

describe("who reads what", () => {
  test("a village admin reads their own village's rows, newest first, each with who, what, where and its detail", async () => {
    await activity();
    const res = await audit("?limit=200");
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(5);
    expect(new Set(res.body.items.map((r) => r.villageId))).toEqual(new Set([w.A]));
    expect(res.body.items.map((r) => r.id)).toEqual(scan("village_id = ?", Number(w.A)));
    const intake = res.body.items[0]!;
    expect(intake).toMatchObject({
      actorKind: "user",
      actorName: "a_clerk",
      action: "intake",
      entity: "goods",
      entityId: w.soap.id,
      address: "local",
    });
    expect(intake.detail).toMatchObject({ delta: 6, source: "donation", donor: "县供销社" });
    const sale = res.body.items.find((r) => r.action === "redeem")!;
    expect(sale).toMatchObject({
      actorKind: "kiosk",
      actorId: String(kioskIdOf("A 超市")),
      actorName: "A 超市",
      entity: "redemption",
    });
  });

  test("a village admin asking for another village gets 404; a clerk or a kiosk 403; no sign-in 401", async () => {
    expect((await audit(`?villageId=${w.B}`)).status).toBe(404);
    expect((await audit(`?villageId=${w.A}`)).status).toBe(200);
    expect((await audit("", w.aClerk)).status).toBe(403);
    expect((await h.json("GET", "/api/audit", { token: w.kioskA })).status).toBe(403);
    expect((await h.json("GET", "/api/audit")).status).toBe(401);
    expect(
      (await h.json("GET", `/api/audit/actions?villageId=${w.B}`, { cookie: w.aAdmin })).status,
    ).toBe(404);
    expect((await h.json("GET", "/api/audit/actions", { cookie: w.aClerk })).status).toBe(403);
  });

  test("a township admin reads one village, or all of them with the township's own rows", async () => {
    await activity();
    expect(await walk(`?villageId=${w.B}`)).toEqual(scan("village_id = ?", Number(w.B)));
    const all = await walk("", w.admin, 4);
    expect(all).toEqual(scan("1"));
    const rows = (await audit("?limit=200", w.admin)).body.items;
    expect(
      rows.some((r) => r.villageId === null && r.action === "login" && r.actorName === "镇管理员"),
    ).toBe(true);
    expect((await audit("?villageId=99999", w.admin)).status).toBe(404);
  });
});

describe("filters", () => {
  test("by actor: a username, a kiosk, or an unknown name that finds nothing", async () => {
    await activity();
    const clerk = h.db
      .query<{ id: number }, []>("SELECT id FROM users WHERE username = 'a_clerk'")
      .get()!.id;
    expect(await walk("?actor=a_clerk")).toEqual(
      scan("actor_kind = 'user' AND actor_id = ?", String(clerk)),
    );
    expect(await walk("?actor=A_CLERK")).toEqual(
      scan("actor_kind = 'user' AND actor_id = ?", String(clerk)),
    );
    const kiosk = kioskIdOf("A 超市");
    const sales = await walk(`?actor=kiosk:${kiosk}&villageId=${w.A}`);
    expect(sales).toEqual(scan("actor_kind = 'kiosk' AND actor_id = ?", String(kiosk)));
    expect(sales.length).toBe(2);
    expect((await audit("?actor=nobody", w.admin)).body.items).toEqual([]);
  });

  test("by action and by entity, in one village and over all", async () => {
    await activity();
    expect(await walk("?action=redeem", w.admin)).toEqual(scan("action = 'redeem'"));
    expect(await walk(`?action=redeem&villageId=${w.A}`)).toEqual(
      scan("action = 'redeem' AND village_id = ?", Number(w.A)),
    );
    expect(await walk("?entity=goods", w.admin)).toEqual(scan("entity = 'goods'"));
    expect(await walk("?entity=goods&action=count", w.admin)).toEqual(
      scan("entity = 'goods' AND action = 'count'"),
    );
    expect(await walk("?entity=redemption&action=void")).toEqual(
      scan("entity = 'redemption' AND action = 'void' AND village_id = ?", Number(w.A)),
    );
  });

  test("by record: an entity and its id", async () => {
    await activity();
    const rows = (await audit(`?entity=goods&entityId=${w.soap.id}`)).body.items;
    expect(rows.map((r) => r.action)).toEqual(["intake", "create"]);
    expect((await audit(`?entity=goods&entityId=${w.oilB.id}`)).body.items).toEqual([]);
    expect(
      (await audit(`?entity=goods&entityId=${w.oilB.id}`, w.admin)).body.items.map((r) => r.action),
    ).toEqual(["count", "create"]);
  });

  test("by receipt number: the sale and its void, within the village", async () => {
    const { second } = await activity();
    const rows = (await audit(`?receiptNo=${second.receiptNo}`)).body.items;
    expect(rows.map((r) => [r.action, r.entityId])).toEqual([
      ["void", second.id],
      ["redeem", second.id],
    ]);
    expect((await audit("?receiptNo=99")).body.items).toEqual([]);
    expect(
      (await audit(`?receiptNo=${second.receiptNo}&action=void`)).body.items.map((r) => r.action),
    ).toEqual(["void"]);
    expect((await audit(`?receiptNo=${second.receiptNo}&entity=goods`)).body.items).toEqual([]);
    // Over all villages a receipt number names one sale in each village that has it.
    const everywhere = (await audit("?receiptNo=1", w.admin)).body.items;
    expect(new Set(everywhere.map((r) => r.villageId))).toEqual(new Set([w.A, w.B]));
  });

  test("by Asia/Shanghai days, both ends included, midnight on the right side", async () => {
    h.clock.set(Date.UTC(2026, 2, 2, 15, 59)); // 23:59 on 03-02 in Shanghai
    const late = await sell(w.soap.id);
    h.clock.advance(2 * MINUTE_MS); // 00:01 on 03-03
    const early = await sell(w.soap.id);
    // The seeded sessions have idled out by now: sign in again (itself a row on 03-03).
    const admin = await h.login("a_admin");
    const township = await h.login("admin");
    const onSecond = (
      await audit("?from=2026-03-02&to=2026-03-02&action=redeem", admin)
    ).body.items.map((r) => r.entityId);
    expect(onSecond).toEqual([late.id]);
    expect(
      (await audit("?from=2026-03-03&action=redeem", admin)).body.items.map((r) => r.entityId),
    ).toEqual([early.id]);
    expect((await audit("?to=2026-03-01", admin)).body.items).toEqual([]);
    const day = Date.UTC(2026, 2, 1, 16, 0); // 00:00 on 03-02 in Shanghai
    expect(await walk(`?from=2026-03-02&to=2026-03-02&villageId=${w.A}`, township)).toEqual(
      scan("village_id = ? AND at_ms >= ? AND at_ms < ?", Number(w.A), day, day + 24 * HOUR_MS),
    );
    expect(await walk("?from=2026-03-03&to=2026-03-03", township)).toEqual(
      scan("at_ms >= ? AND at_ms < ?", day + 24 * HOUR_MS, day + 48 * HOUR_MS),
    );
  });

  test("several filters together", async () => {
    await activity();
    const clerk = h.db
      .query<{ id: number }, []>("SELECT id FROM users WHERE username = 'a_clerk'")
      .get()!.id;
    expect(await walk("?actor=a_clerk&action=intake&from=2026-03-02", w.admin)).toEqual(
      scan("actor_kind = 'user' AND actor_id = ? AND action = 'intake'", String(clerk)),
    );
    expect(await walk("?actor=a_clerk&entity=goods")).toEqual(
      scan("actor_kind = 'user' AND actor_id = ? AND entity = 'goods'", String(clerk)),
    );
  });

  test("the pick lists name the actions and entities present, in the caller's village or all", async () => {
    await activity();
    const mine = await h.json("GET", "/api/audit/actions", { cookie: w.aAdmin });
    expect(mine.status).toBe(200);
    expect(mine.body.actions).toEqual(
      h.db
        .query<{ a: string }, [number]>(
          "SELECT DISTINCT action AS a FROM audit_log WHERE village_id = ? ORDER BY a",
        )
        .all(Number(w.A))
        .map((r) => r.a),
    );
    expect(mine.body.actions).toContain("void");
    expect(mine.body.actions).not.toContain("count");
    expect(mine.body.entities).toEqual(
      h.db
        .query<{ e: string }, [number]>(
          "SELECT DISTINCT entity AS e FROM audit_log WHERE village_id = ? ORDER BY e",
        )
        .all(Number(w.A))
        .map((r) => r.e),
    );
    const all = await h.json("GET", "/api/audit/actions", { cookie: w.admin });
    expect(all.body.actions).toEqual(
      h.db
        .query<{ a: string }, []>("SELECT DISTINCT action AS a FROM audit_log ORDER BY a")
        .all()
        .map((r) => r.a),
    );
  });
});

describe("bad filters", () => {
  test.each([
    ["to before from", "?from=2026-03-03&to=2026-03-02", "query.to", "period-reversed"],
    ["an entityId without its entity", "?entityId=5", "query.entityId", "entity-id-needs-entity"],
    ["an actor of one letter", "?actor=x", "query.actor", undefined],
    ["a kiosk that is not one", "?actor=kiosk:abc", "query.actor", undefined],
    ["an action with spaces", "?action=Bad%20Action", "query.action", undefined],
    ["a receipt number of 0", "?receiptNo=0", "query.receiptNo", undefined],
    ["a day that is not one", "?from=2026-02-30", "query.from", undefined],
    ["a limit of 0", "?limit=0", "query.limit", undefined],
    [
      "a cursor that is not ours",
      `?cursor=${Buffer.from("x.y").toString("base64url")}`,
      "query.cursor",
      undefined,
    ],
    ["an unknown filter", "?user=a_clerk", "query", undefined],
  ])("refuses %s with a 400 naming it", async (_, query, path, code) => {
    const res = await audit(query);
    expect(res.status).toBe(400);
    const body = res.body as unknown as { errors: { path: string }[]; code?: string };
    expect(body.errors[0]!.path).toBe(path);
    if (code !== undefined) expect(body.code).toBe(code);
  });
});
