/**
 * Proves the reports, the public board and year-end expiry over real HTTP: figures by category
 * and month with reversals counted against what they reverse, the honour board ranked by points
 * earned (not by balance), the bottom list only where the village shows it, stars by the
 * village's thresholds, CSV with a BOM and an XLSX workbook carrying the same figures, masked
 * names on the board, and an expiry that takes only unspent points of the year, once.
 */
import { afterEach, expect, test, setDefaultTimeout } from "bun:test";
import ExcelJS from "exceljs";
import { createHarness, type Harness } from "../support/harness.ts";
import { DAY_MS } from "../../src/shared/clock.ts";
import { insertEntry, postEntry } from "../../src/ledger/entry-store.ts";
import { pointsToExpire } from "../../src/ledger/expiry.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";
import { STAR_LIST_JSON } from "../../src/reports/routes.ts";

// Each test signs six staff in with argon2id; on a loaded two-core machine that alone can pass 5 s.
setDefaultTimeout(30_000);

let h: Harness;
afterEach(() => h.close());

/** A redemption written as the supermarket writes it (posted at once). */
function redeem(s: LedgerSeed, householdId: string, points: number): number {
  return h.db
    .transaction(() => {
      const id = insertEntry(h.db, {
        villageId: Number(s.villageA.id),
        householdId: Number(householdId),
        memberId: null,
        ruleId: null,
        kind: "redemption",
        status: "proposed",
        points: -points,
        quantity: 1,
        ruleCode: null,
        ruleTitle: null,
        category: null,
        note: null,
        occurredOn: new Date(h.clock.nowMs() + 8 * 3600e3).toISOString().slice(0, 10),
        reversesId: null,
        redemptionId: 1,
        batchId: null,
        createdAtMs: h.clock.nowMs(),
        createdBy: "a_clerk",
        approvedBy: null,
        approvedAtMs: null,
        noticeEndsAtMs: null,
      });
      postEntry(h.db, id, h.clock.nowMs());
      return id;
    })
    .immediate();
}

async function seeded(): Promise<LedgerSeed> {
  h = createHarness();
  const s = await seedLedger(h);
  const rec = (body: Record<string, unknown>) =>
    h.json("POST", "/api/entries", { cookie: s.aClerk, body });
  await rec({ householdId: s.h1.id, ruleId: s.clean.id, quantity: 4, occurredOn: "2026-02-20" }); // +20 Feb
  await rec({ householdId: s.h1.id, ruleId: s.clean.id, quantity: 2 }); // +10 Mar
  await rec({ householdId: s.h2.id, ruleId: s.capped.id, quantity: 2 }); // +20 Mar volunteer
  await rec({ householdId: s.h2.id, ruleId: s.litter.id }); // -3 Mar
  const wrong = (await rec({ householdId: s.h2.id, ruleId: s.clean.id, quantity: 10 })).body.entry; // +50, reversed
  await h.json("POST", `/api/entries/${wrong.id}/reverse`, {
    cookie: s.aAdmin,
    body: { reason: "录错" },
  });
  redeem(s, s.h1.id, 25); // h1 spends most of it: the board must still rank by earned
  await h.json("POST", "/api/entries", {
    cookie: s.bClerk,
    body: { householdId: s.hB.id, ruleId: s.ruleB.id, quantity: 1 },
  });
  return s;
}

test("a village report sums by category and month, counts reversals against what they reverse, and ranks by earned", async () => {
  const s = await seeded();
  const r = await h.json(
    "GET",
    `/api/villages/${s.villageA.id}/report?from=2026-02-01&to=2026-03-31`,
    { cookie: s.aAdmin },
  );
  expect(r.status).toBe(200);
  expect(r.body.totals).toEqual({ awarded: 50, deducted: 3, redeemed: 25, expired: 0, net: 22 });
  expect(r.body.byMonth).toEqual([
    { month: "2026-02", awarded: 20, deducted: 0, redeemed: 0, expired: 0, net: 20 },
    { month: "2026-03", awarded: 30, deducted: 3, redeemed: 25, expired: 0, net: 2 },
  ]);
  expect(
    r.body.byCategory.find((c: { category: string }) => c.category === "environment"),
  ).toMatchObject({ awarded: 30, deducted: 3 });
  expect(
    r.body.byCategory.find((c: { category: string }) => c.category === "volunteer"),
  ).toMatchObject({ awarded: 20 });
  expect(r.body.householdsActive).toBe(2);
  // h1 earned 30 and holds 5; h2 earned 17 and holds 17: earned decides.
  expect(
    r.body.honourBoard.top.map((x: { headName: string; earned: number }) => [x.headName, x.earned]),
  ).toEqual([
    ["张建华", 30],
    ["李秀英", 17],
  ]);
  expect(r.body.honourBoard.bottom).toBeNull();
  expect(r.body.goodsRedeemed.points).toBe(25);
  // Default thresholds [50,100,...]: nobody has a star yet.
  expect(r.body.starHouseholds).toEqual([]);
  const march = await h.json(
    "GET",
    `/api/villages/${s.villageA.id}/report?from=2026-03-01&to=2026-03-31`,
    { cookie: s.aAdmin },
  );
  expect(march.body.totals.awarded).toBe(30);
});

test("stars follow the village's thresholds and the bottom list shows only where the village wants it", async () => {
  const s = await seeded();
  await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
    cookie: s.admin,
    body: { starThresholds: [10, 25], showBottomList: true },
  });
  const r = await h.json(
    "GET",
    `/api/villages/${s.villageA.id}/report?from=2026-02-01&to=2026-03-31`,
    { cookie: s.aAdmin },
  );
  expect(
    r.body.starHouseholds.map((x: { headName: string; stars: number }) => [x.headName, x.stars]),
  ).toEqual([
    ["张建华", 2],
    ["李秀英", 1],
  ]);
  expect(r.body.starHouseholdsTotal).toBe(2);
  expect(r.body.byVillage[0].starCounts).toEqual([0, 1, 1]);
  expect(r.body.honourBoard.bottom.map((x: { headName: string }) => x.headName)).toEqual([
    "李秀英",
    "张建华",
  ]);
});

test("the township report covers every village; village staff may not read it", async () => {
  const s = await seeded();
  const r = await h.json("GET", "/api/township/report?from=2026-01-01&to=2026-03-31", {
    cookie: s.admin,
  });
  expect(r.status).toBe(200);
  expect(
    r.body.byVillage.map((v: { villageName: string; awarded: number }) => [
      v.villageName,
      v.awarded,
    ]),
  ).toEqual([
    ["东河村", 50],
    ["柳湾村", 5],
  ]);
  expect(r.body.totals.awarded).toBe(55);
  expect((await h.json("GET", "/api/township/report", { cookie: s.aAdmin })).status).toBe(403);
  expect(
    (await h.json("GET", `/api/villages/${s.villageA.id}/report`, { cookie: s.bAdmin })).status,
  ).toBe(404);
  expect(
    (await h.json("GET", `/api/villages/${s.villageA.id}/report`, { cookie: s.aClerk })).status,
  ).toBe(403);
});

test.each([
  ["to before from", "from=2026-03-02&to=2026-03-01"],
  ["a malformed day", "from=2026-3-1"],
  ["an unknown format", "format=pdf"],
  ["an unknown parameter", "month=3"],
])("refuses a report with %s (400)", async (_n, q) => {
  const s = await seeded();
  expect(
    (await h.json("GET", `/api/villages/${s.villageA.id}/report?${q}`, { cookie: s.aAdmin }))
      .status,
  ).toBe(400);
});

test(`the JSON lists the first ${STAR_LIST_JSON} star households and counts them all; the CSV lists every one`, async () => {
  const s = await seeded();
  await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
    cookie: s.admin,
    body: { starThresholds: [10, 25] },
  });
  // More starred households than the JSON lists, written straight in (the list's cut is what is tried here).
  const extra = STAR_LIST_JSON + 3;
  const add = h.db.query(
    "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, honour, created_at_ms) VALUES (?, ?, '', '', ?, 0)",
  );
  h.db.transaction(() => {
    for (let i = 0; i < extra; i++) add.run(Number(s.villageA.id), `户${i}`, 10 + (i % 15)); // 10 to 24: one star each
  })();
  const r = await h.json(
    "GET",
    `/api/villages/${s.villageA.id}/report?from=2026-02-01&to=2026-03-31`,
    { cookie: s.aAdmin },
  );
  expect(r.body.starHouseholdsTotal).toBe(extra + 2);
  expect(r.body.starHouseholds).toHaveLength(STAR_LIST_JSON);
  expect(
    r.body.starHouseholds
      .slice(0, 2)
      .map((x: { headName: string; stars: number }) => [x.headName, x.stars]),
  ).toEqual([
    ["张建华", 2],
    ["户14", 1],
  ]);
  expect(r.body.byVillage[0].starCounts).toEqual([0, extra + 1, 1]);
  const csv = await (
    await h.request(
      "GET",
      `/api/villages/${s.villageA.id}/report?from=2026-02-01&to=2026-03-31&format=csv`,
      { cookie: s.aAdmin },
    )
  ).text();
  for (const name of ["张建华", "李秀英", "户0", `户${extra - 1}`])
    expect(csv).toMatch(new RegExp(`,${name},[12],`));
});

test("CSV has a BOM and XLSX is a real workbook, both with the report's figures", async () => {
  const s = await seeded();
  const csv = await h.request(
    "GET",
    `/api/villages/${s.villageA.id}/report?from=2026-02-01&to=2026-03-31&format=csv`,
    { cookie: s.aAdmin },
  );
  expect(csv.headers.get("content-type")).toContain("text/csv");
  const bytes = new Uint8Array(await csv.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  expect(text).toContain("50,3,25,0,22,2,25");
  expect(text).toContain("2026-03,30,3,25,0,2");
  expect(text).toContain("张建华,30");

  const xlsx = await h.request(
    "GET",
    `/api/villages/${s.villageA.id}/report?from=2026-02-01&to=2026-03-31&format=xlsx`,
    { cookie: s.aAdmin },
  );
  expect(xlsx.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await xlsx.arrayBuffer());
  const summary = wb.getWorksheet("Summary")!;
  expect(summary.getRow(3).values).toEqual([undefined, 50, 3, 25, 0, 22, 2, 25, 2]);
  expect(wb.getWorksheet("By month")!.getRow(4).values).toEqual([
    undefined,
    "2026-03",
    30,
    3,
    25,
    0,
    2,
  ]);
});

test("the public board shows entries on notice and the honour board by honour score with masked names and the chain head", async () => {
  const s = await seeded();
  await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
    cookie: s.admin,
    body: { noticeDays: 3 },
  });
  await h.json("POST", "/api/entries", {
    cookie: s.aClerk,
    body: { householdId: s.h2.id, ruleId: s.clean.id },
  });
  const board = await h.json("GET", `/api/public/villages/${s.villageA.id}/board`);
  expect(board.status).toBe(200);
  expect(board.body.inNotice).toHaveLength(1);
  expect(board.body.inNotice[0]).toMatchObject({
    householdName: "李*英",
    points: 5,
    status: "in_notice",
  });
  // Ranked by the honour score: h1 30 (20 in February, 10 this month) above h2 17; each with this month's points.
  expect(
    board.body.honourBoard.top.map(
      (x: { householdName: string; honourScore: number; earned: number }) => [
        x.householdName,
        x.honourScore,
        x.earned,
      ],
    ),
  ).toEqual([
    ["张*华", 30, 10],
    ["李*英", 17, 17],
  ]);
  expect(JSON.stringify(board.body)).not.toContain("张建华");
  const verify = await h.json("GET", "/api/ledger/verify", { cookie: s.admin });
  expect(board.body.chainHead.hash).toBe(verify.body.head);
  expect((await h.json("GET", "/api/public/villages/999/board")).status).toBe(404);
});

test.each([
  [30, 100, 100, 30],
  [30, 10, 100, 10],
  [30, 100, 5, 5],
  [-10, 100, 100, 0],
  [30, -5, 100, 0],
])("pointsToExpire(earned %i, at year end %i, now %i) is %i", (earned, atEnd, now, expected) => {
  expect(pointsToExpire(earned, atEnd, now)).toBe(expected);
});

test("year-end expiry takes only the year's unspent points, never below zero, and runs once", async () => {
  h = createHarness();
  const s = await seedLedger(h);
  await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
    cookie: s.admin,
    body: { pointsExpire: true },
  });
  const rec = (householdId: string, quantity: number) =>
    h.json("POST", "/api/entries", {
      cookie: s.aClerk,
      body: { householdId, ruleId: s.clean.id, quantity },
    });
  await rec(s.h1.id, 10); // h1 earns 50 in 2026
  redeem(s, s.h1.id, 30); // spends 30: 20 left to expire
  await rec(s.h2.id, 4); // h2 earns 20 and spends nothing
  expect(
    (
      await h.json("POST", `/api/villages/${s.villageA.id}/expiry`, {
        cookie: s.aAdmin,
        body: { year: 2026 },
      })
    ).status,
  ).toBe(409);

  h.clock.set(Date.UTC(2026, 11, 31, 16, 0, 0) + 10 * DAY_MS); // 2027-01-11 in Beijing
  const admin = await h.login("a_admin");
  await h.json("POST", "/api/entries", {
    cookie: admin,
    body: { householdId: s.h1.id, ruleId: s.clean.id, quantity: 1 },
  }); // +5 in 2027: not expired
  redeem(s, s.h2.id, 15); // h2 spent 15 in January before the run: only 5 of its 20 can still expire

  const run = await h.json("POST", `/api/villages/${s.villageA.id}/expiry`, {
    cookie: admin,
    body: { year: 2026 },
  });
  expect(run.status).toBe(201);
  expect(run.body).toMatchObject({ entries: 2, expiredPoints: 25, alreadyRan: false });
  const bal = (id: string) =>
    h.db
      .query<{ balance: number }, [number]>("SELECT balance FROM households WHERE id = ?")
      .get(Number(id))!.balance;
  expect(bal(s.h1.id)).toBe(5);
  expect(bal(s.h2.id)).toBe(0);
  const again = await h.json("POST", `/api/villages/${s.villageA.id}/expiry`, {
    cookie: admin,
    body: { year: 2026 },
  });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ entries: 2, expiredPoints: 25, alreadyRan: true });
  expect(bal(s.h1.id)).toBe(5);
  const report = await h.json(
    "GET",
    `/api/villages/${s.villageA.id}/report?from=2026-01-01&to=2026-12-31`,
    { cookie: admin },
  );
  expect(report.body.totals.expired).toBe(25);
  // Village B does not expire points.
  expect(
    (
      await h.json("POST", `/api/villages/${s.villageB.id}/expiry`, {
        cookie: await h.login("b_admin"),
        body: { year: 2026 },
      })
    ).status,
  ).toBe(409);
  expect(
    (
      await h.json("POST", `/api/villages/${s.villageA.id}/expiry`, {
        cookie: admin,
        body: { year: "2026" },
      })
    ).status,
  ).toBe(400);
});
