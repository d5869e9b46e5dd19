/**
 * Proves what the report pages chart, over real HTTP on a real database: every month of the
 * period (empty ones too), households total and active (an expiry alone is not activity) and
 * active by month, the honour board with full and masked names, and the township's villages side
 * by side (participation in whole percent, points per household rounded, a village without
 * households at zero). The CSV and the XLSX, read back with exceljs, carry the same numbers as
 * the JSON, table by table.
 */
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import ExcelJS from "exceljs";
import { createHarness, type Harness } from "../support/harness.ts";
import { immediate } from "../../src/db/open.ts";
import { insertEntry, postEntry } from "../../src/ledger/entry-store.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";

setDefaultTimeout(30_000);

let h: Harness;
let s: LedgerSeed;
let idle: { id: string };
let empty: { id: string; name: string };

/** An entry posted as the ledger posts it, without a rule (an expiry, a redemption). */
function post(
  householdId: string,
  villageId: string,
  kind: "expiry" | "redemption",
  points: number,
  occurredOn: string,
): void {
  immediate(h.db, () => {
    const id = insertEntry(h.db, {
      villageId: Number(villageId),
      householdId: Number(householdId),
      memberId: null,
      ruleId: null,
      kind,
      status: "proposed",
      points,
      quantity: 1,
      ruleCode: null,
      ruleTitle: null,
      category: null,
      note: null,
      occurredOn,
      reversesId: null,
      redemptionId: kind === "redemption" ? 1 : null,
      batchId: null,
      createdAtMs: h.clock.nowMs(),
      createdBy: "a_clerk",
      approvedBy: null,
      approvedAtMs: null,
      noticeEndsAtMs: null,
    });
    postEntry(h.db, id, h.clock.nowMs());
  });
}

beforeAll(async () => {
  h = createHarness();
  s = await seedLedger(h);
  const rec = async (body: Record<string, unknown>, cookie = s.aClerk) => {
    const res = await h.json("POST", "/api/entries", { cookie, body });
    if (res.status !== 201)
      throw new Error(`entry failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.entry;
  };
  await rec({ householdId: s.h1.id, ruleId: s.clean.id, quantity: 4, occurredOn: "2026-02-20" }); // h1 +20 Feb
  await rec({ householdId: s.h1.id, ruleId: s.clean.id, quantity: 2 }); // h1 +10 Mar
  await rec({ householdId: s.h2.id, ruleId: s.capped.id, quantity: 2 }); // h2 +20 Mar
  await rec({ householdId: s.h2.id, ruleId: s.litter.id }); // h2 -3 Mar
  post(s.h1.id, s.villageA.id, "redemption", -25, "2026-03-02"); // h1 spends 25
  await rec({ householdId: s.hB.id, ruleId: s.ruleB.id }, s.bClerk); // hB +5 Mar
  // A third household in A whose only entry is an expiry: counted, never active.
  idle = await s.household(s.villageA.id, "赵六");
  post(idle.id, s.villageA.id, "expiry", -7, "2026-03-02");
  // A village with no households at all.
  empty = (
    await h.json("POST", "/api/villages", { cookie: s.admin, body: { name: "新建村", code: "XJ" } })
  ).body.village;
});
afterAll(() => h.close());

const villageReport = (query: string) =>
  h.json("GET", `/api/villages/${s.villageA.id}/report${query}`, { cookie: s.aAdmin });
const townshipReport = (query: string) =>
  h.json("GET", `/api/township/report${query}`, { cookie: s.admin });

test("every month of the period is listed, empty ones included, with its figures and its active households", async () => {
  const r = (await villageReport("?from=2026-01-01&to=2026-04-30")).body;
  expect(r.byMonth).toEqual([
    { month: "2026-01", awarded: 0, deducted: 0, redeemed: 0, expired: 0, net: 0 },
    { month: "2026-02", awarded: 20, deducted: 0, redeemed: 0, expired: 0, net: 20 },
    { month: "2026-03", awarded: 30, deducted: 3, redeemed: 25, expired: 7, net: -5 },
    { month: "2026-04", awarded: 0, deducted: 0, redeemed: 0, expired: 0, net: 0 },
  ]);
  expect(r.activeByMonth).toEqual([
    { month: "2026-01", active: 0 },
    { month: "2026-02", active: 1 },
    { month: "2026-03", active: 2 },
    { month: "2026-04", active: 0 },
  ]);
  expect(r.totals).toEqual({ awarded: 50, deducted: 3, redeemed: 25, expired: 7, net: 15 });
  expect(
    r.byCategory.map((c: { category: string; awarded: number; deducted: number }) => [
      c.category,
      c.awarded,
      c.deducted,
    ]),
  ).toEqual([
    ["environment", 30, 3],
    ["expiry", 0, 0],
    ["supermarket", 0, 0],
    ["volunteer", 20, 0],
  ]);
  expect(r.goodsRedeemed.points).toBe(25);
});

test("households: all of the village's, and active ones with an award, a deduction or a redemption (an expiry alone is not)", async () => {
  const r = (await villageReport("?from=2026-01-01&to=2026-03-31")).body;
  expect(r.households).toEqual({ total: 3, active: 2 });
  expect(r.householdsActive).toBe(2);
  const quiet = (await villageReport("?from=2025-11-01&to=2025-12-31")).body;
  expect(quiet.households).toEqual({ total: 3, active: 0 });
  expect(quiet.byMonth.map((m: { month: string }) => m.month)).toEqual(["2025-11", "2025-12"]);
});

test("a one-day period is one month; the honour board names each household in full and masked", async () => {
  const r = (await villageReport("?from=2026-02-20&to=2026-02-20")).body;
  expect(r.byMonth.map((m: { month: string; awarded: number }) => [m.month, m.awarded])).toEqual([
    ["2026-02", 20],
  ]);
  const march = (await villageReport("?from=2026-03-01&to=2026-03-31")).body;
  // Ranked by the honour score (h1: 20 in February and 10 in March), each with what it earned in the period.
  expect(
    march.honourBoard.top.map(
      (x: { headName: string; maskedName: string; earned: number; honourScore: number }) => [
        x.headName,
        x.maskedName,
        x.honourScore,
        x.earned,
      ],
    ),
  ).toEqual([
    ["张建华", "张*华", 30, 10],
    ["李秀英", "李*英", 17, 17],
  ]);
});

test("the township compares its villages: participation in whole percent, points per household rounded, an empty village at zero", async () => {
  const r = (await townshipReport("?from=2026-01-01&to=2026-03-31")).body;
  expect(r.villages).toEqual([
    {
      villageId: s.villageA.id,
      name: "东河村",
      households: 3,
      activeHouseholds: 2,
      participation: 67,
      awarded: 50,
      deducted: 3,
      redeemed: 25,
      pointsPerHousehold: 16,
    },
    {
      villageId: s.villageB.id,
      name: "柳湾村",
      households: 1,
      activeHouseholds: 1,
      participation: 100,
      awarded: 5,
      deducted: 0,
      redeemed: 0,
      pointsPerHousehold: 5,
    },
    {
      villageId: empty.id,
      name: "新建村",
      households: 0,
      activeHouseholds: 0,
      participation: 0,
      awarded: 0,
      deducted: 0,
      redeemed: 0,
      pointsPerHousehold: 0,
    },
  ]);
  expect(r.households).toEqual({ total: 4, active: 3 });
  // A village's own report has no comparison.
  expect((await villageReport("?from=2026-01-01&to=2026-03-31")).body.villages).toBeUndefined();
});

/** The JSON's tables as rows, in the order and shape the downloads write them. */
function expectedTables(r: any, township: boolean): Record<string, (string | number)[][]> {
  const fig = (f: any) => [f.awarded, f.deducted, f.redeemed, f.expired, f.net];
  const name = (id: string) => r.byVillage.find((v: any) => v.villageId === id)?.villageName ?? "";
  const tables: Record<string, (string | number)[][]> = {
    Summary: [[...fig(r.totals), r.householdsActive, r.goodsRedeemed.points, r.households.total]],
    "By month": r.byMonth.map((m: any) => [m.month, ...fig(m)]),
    "By category": r.byCategory.map((c: any) => [c.category, ...fig(c)]),
    "Active by month": r.activeByMonth.map((m: any) => [m.month, m.active]),
    "By village": r.byVillage.map((v: any) => [
      v.villageName,
      ...fig(v),
      v.householdsActive,
      v.starCounts.join(" / "),
    ]),
    "Honour board": r.honourBoard.top.map((x: any, i: number) => [
      i + 1,
      name(x.villageId),
      x.headName,
      x.honourScore,
      x.earned,
      x.maskedName,
    ]),
    Stars: r.starHouseholds.map((x: any) => [
      name(x.villageId),
      x.headName,
      x.stars,
      x.honourScore,
      x.earned,
    ]),
    "Goods redeemed": r.goodsRedeemed.items.map((g: any) => [g.name, g.quantity, g.points]),
  };
  if (township)
    tables["Villages compared"] = r.villages.map((v: any) => [
      v.name,
      v.households,
      v.activeHouseholds,
      v.participation,
      v.awarded,
      v.deducted,
      v.redeemed,
      v.pointsPerHousehold,
    ]);
  return tables;
}

test.each([
  ["the village report", false],
  ["the township report", true],
])(
  "%s as XLSX has one sheet per table with the JSON's numbers, and the CSV the same",
  async (_, township) => {
    const path = township ? "/api/township/report" : `/api/villages/${s.villageA.id}/report`;
    const cookie = township ? s.admin : s.aAdmin;
    const query = "?from=2026-01-01&to=2026-04-30";
    const json = (await h.json("GET", `${path}${query}`, { cookie })).body;
    const expected = expectedTables(json, township);

    const xlsx = await h.request("GET", `${path}${query}&format=xlsx`, { cookie });
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.keys(expected));
    for (const [sheet, rows] of Object.entries(expected)) {
      const values = wb
        .getWorksheet(sheet)!
        .getSheetValues()
        .slice(3)
        .map((row) => (row as unknown[]).slice(1));
      expect({ sheet, rows: values }).toEqual({ sheet, rows });
    }

    const csv = new TextDecoder().decode(
      new Uint8Array(
        await (await h.request("GET", `${path}${query}&format=csv`, { cookie })).arrayBuffer(),
      ),
    );
    for (const rows of Object.values(expected)) {
      for (const row of rows) expect(csv).toContain(row.map(String).join(","));
    }
  },
);
