/**
 * Shared set-up for the market tests: two villages with staff (from the harness), a household
 * with points and a card in village A, a kiosk in each village, and goods on A's shelf.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../../src/db/open.ts";
import { insertEntry, postEntry } from "../../src/ledger/entry-store.ts";
import { shanghaiDay } from "../../src/shared/calendar.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHarness, seedTwoVillages, type Harness } from "./harness.ts";

/** Gives a household points the way the ledger does (an award entry, posted), without the ledger's routes. */
export function awardPoints(
  db: Database,
  householdId: number,
  points: number,
  nowMs: number,
): void {
  immediate(db, () => {
    const villageId = db
      .query<{ village_id: number }, [number]>("SELECT village_id FROM households WHERE id = ?")
      .get(householdId)!.village_id;
    const id = insertEntry(db, {
      villageId,
      householdId,
      memberId: null,
      ruleId: null,
      kind: "award",
      status: "proposed",
      points,
      quantity: 1,
      ruleCode: "T",
      ruleTitle: "test award",
      category: "other",
      note: null,
      occurredOn: shanghaiDay(nowMs),
      reversesId: null,
      redemptionId: null,
      batchId: null,
      createdAtMs: nowMs,
      createdBy: "system",
      approvedBy: null,
      approvedAtMs: null,
      noticeEndsAtMs: null,
    });
    postEntry(db, id, nowMs);
  });
}

export type MarketWorld = Awaited<ReturnType<typeof seedMarket>>;

export async function seedMarket(h: Harness, options: { balance?: number } = {}) {
  const base = await seedTwoVillages(h);
  const A = base.villageA.id;
  const B = base.villageB.id;
  const household = (
    await h.json("POST", `/api/villages/${A}/households`, {
      cookie: base.aAdmin,
      body: { headName: "张建华" },
    })
  ).body.household;
  const householdB = (
    await h.json("POST", `/api/villages/${B}/households`, {
      cookie: base.bAdmin,
      body: { headName: "李四" },
    })
  ).body.household;
  const card = (
    await h.json("POST", `/api/households/${household.id}/cards`, { cookie: base.aAdmin })
  ).body as { id: string; token: string; url: string; number: string };
  const cardB = (
    await h.json("POST", `/api/households/${householdB.id}/cards`, { cookie: base.bAdmin })
  ).body as { id: string; token: string; url: string; number: string };
  const kioskA = (
    await h.json("POST", `/api/villages/${A}/kiosks`, {
      cookie: base.aAdmin,
      body: { name: "A 超市" },
    })
  ).body.token as string;
  const kioskB = (
    await h.json("POST", `/api/villages/${B}/kiosks`, {
      cookie: base.bAdmin,
      body: { name: "B 超市" },
    })
  ).body.token as string;
  awardPoints(h.db, Number(household.id), options.balance ?? 100, h.clock.nowMs());
  awardPoints(h.db, Number(householdB.id), 100, h.clock.nowMs());
  const rice = (
    await h.json("POST", `/api/villages/${A}/goods`, {
      cookie: base.aAdmin,
      body: {
        name: "大米 5kg",
        pricePoints: 30,
        stock: 10,
        category: "粮油",
        imageUrl: "/goods/rice.svg",
      },
    })
  ).body.goods;
  const soap = (
    await h.json("POST", `/api/villages/${A}/goods`, {
      cookie: base.aAdmin,
      body: { name: "肥皂", pricePoints: 5, stock: 3, category: "日用" },
    })
  ).body.goods;
  const oilB = (
    await h.json("POST", `/api/villages/${B}/goods`, {
      cookie: base.bAdmin,
      body: { name: "食用油", pricePoints: 40, stock: 5 },
    })
  ).body.goods;
  return { ...base, A, B, household, householdB, card, cardB, kioskA, kioskB, rice, soap, oilB };
}

export function balanceOf(db: Database, householdId: string | number): number {
  return db
    .query<{ balance: number }, [number]>("SELECT balance FROM households WHERE id = ?")
    .get(Number(householdId))!.balance;
}

export function stockOf(db: Database, goodsId: string | number): { stock: number; sum: number } {
  const stock = db
    .query<{ stock: number }, [number]>("SELECT stock FROM goods WHERE id = ?")
    .get(Number(goodsId))!.stock;
  const sum = db
    .query<{ s: number }, [number]>(
      "SELECT COALESCE(SUM(delta), 0) AS s FROM stock_movements WHERE goods_id = ?",
    )
    .get(Number(goodsId))!.s;
  return { stock, sum };
}

/** Counts the rows a failed request must not have added. */
export function rowCounts(db: Database): Record<string, number> {
  const tables = [
    "goods",
    "stock_movements",
    "redemptions",
    "redemption_lines",
    "entries",
    "idempotency_keys",
    "audit_log",
  ];
  return Object.fromEntries(
    tables.map((t) => [t, db.query<{ n: number }, []>(`SELECT COUNT(*) AS n FROM ${t}`).get()!.n]),
  );
}

export { createHarness };

/**
 * A fresh copy of a seeded market for each test, fast: signing in hashes passwords with argon2id
 * (slow on purpose), so the world is seeded once per test file into a template database and each
 * test gets its own copy of that file, sessions and tokens included, behind a new app.
 */
let template: { file: string; world: MarketWorld } | null = null;

export async function freshMarket(): Promise<{ h: Harness; w: MarketWorld }> {
  if (template === null) {
    const seeded = createHarness();
    const world = await seedMarket(seeded);
    const file = join(mkdtempSync(join(tmpdir(), "jifen-template-")), "template.db");
    seeded.db.run(`VACUUM INTO '${file}'`);
    seeded.close();
    template = { file, world };
  }
  const h = createHarness({ template: template.file });
  return { h, w: template.world };
}
