/**
 * The county bench's short form (issue 17; the long form is `bun run bench county`): the same
 * builder makes a tiny county — 3 villages, 300 households, 30,000 entries with their audit rows,
 * sales and reversals — and this proves what the bench relies on: `bun run verify` accepts the
 * built chain, every figure the server answers from it is the entries' own (a kiosk's card read,
 * a household's history page, the county's report of a month), and a day appended after the
 * build keeps the chain whole.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { immediate, openDatabase } from "../../src/db/open.ts";
import { createApp } from "../../src/http/app.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { readHead } from "../../src/ledger/verify.ts";
import {
  cardNumber,
  cardToken,
  COUNTY_PASSWORD,
  CountyLedger,
  countyRandom,
  ensureCounty,
  kioskToken,
  type CountyFile,
} from "../bench/county-build.ts";

setDefaultTimeout(120_000);
const REPO = join(import.meta.dir, "../..");
const SIZE = { villages: 3, householdsPerVillage: 100, entries: 30_000 };
let dir: string;
let county: CountyFile;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "jifen-county-smoke-"));
  county = ensureCounty(dir, SIZE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function verifyCli(path: string): { code: number; out: string } {
  const p = Bun.spawnSync([process.execPath, join(REPO, "src/ledger/verify-cli.ts")], {
    cwd: REPO,
    env: { ...process.env, DATABASE_PATH: path },
  });
  return { code: p.exitCode ?? -1, out: p.stdout.toString() + p.stderr.toString() };
}

test("the built county has the shape asked for, and a rerun reuses it", () => {
  const db = new Database(county.path, { readonly: true });
  const count = (sql: string) => db.query<{ n: number }, []>(sql).get()!.n;
  expect(count("SELECT count(*) AS n FROM villages")).toBe(3);
  expect(count("SELECT count(*) AS n FROM households")).toBe(300);
  expect(count("SELECT count(*) AS n FROM cards")).toBe(300);
  expect(count("SELECT count(*) AS n FROM entries WHERE status = 'posted'")).toBe(30_000);
  // One audit row per entry, as the use cases write them (sales are audited as redemptions).
  expect(count("SELECT count(*) AS n FROM audit_log")).toBe(30_000);
  expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'redeem'")).toBe(
    count("SELECT count(*) AS n FROM entries WHERE kind = 'redemption'"),
  );
  expect(count("SELECT count(*) AS n FROM redemptions")).toBe(county.summary.redemptions);
  expect(county.summary.reversals).toBeGreaterThan(0);
  // Most households active, a few never, one far busier than the median.
  const active = count("SELECT count(DISTINCT household_id) AS n FROM entries");
  expect(active).toBeGreaterThan(240);
  expect(active).toBeLessThan(300);
  const perHousehold = db
    .query<{ n: number }, []>("SELECT count(*) AS n FROM entries GROUP BY household_id ORDER BY n")
    .all()
    .map((r) => r.n);
  expect(county.summary.busiestHousehold.entries).toBe(perHousehold.at(-1)!);
  expect(perHousehold.at(-1)!).toBeGreaterThan(
    10 * perHousehold[Math.floor(perHousehold.length / 2)]!,
  );
  // Balances never go below zero by a sale; stock equals its movements.
  expect(count("SELECT count(*) AS n FROM redemptions WHERE balance_after < 0")).toBe(0);
  expect(
    count(
      "SELECT count(*) AS n FROM goods g WHERE g.stock <> (SELECT sum(delta) FROM stock_movements m WHERE m.goods_id = g.id)",
    ),
  ).toBe(0);
  // Entries run from December 2023 to November 2026.
  expect(
    db
      .query<{ a: string; b: string }, []>(
        "SELECT min(occurred_on) AS a, max(occurred_on) AS b FROM entries",
      )
      .get(),
  ).toEqual({ a: "2023-12-01", b: "2026-11-30" });
  db.close();
  expect(ensureCounty(dir, SIZE).reused).toBe(true);
});

test("bun run verify accepts the built chain, and a day appended after it", () => {
  const first = verifyCli(county.path);
  expect(first.out).toContain("verify: OK — 30000 posted entries chained");
  expect(first.code).toBe(0);
  const copy = join(dir, "appended.db");
  const src = new Database(county.path, { readonly: true });
  src.query("VACUUM INTO ?").run(copy);
  src.close();
  const db = openDatabase(copy);
  const head = readHead(db).seq;
  immediate(db, () => {
    const ledger = CountyLedger.resume(db, countyRandom(head));
    ledger.append(head + 1, head + 500, (seq) => Date.UTC(2026, 11, 1) + seq);
    ledger.flush();
  });
  db.close();
  const after = verifyCli(copy);
  expect(after.out).toContain("verify: OK — 30500 posted entries chained");
  expect(after.code).toBe(0);
});

test("the server answers a card read, a history page and the county's report from the built file", async () => {
  const db = openDatabase(county.path);
  const app = createApp(db, systemClock, { publicUrl: "http://127.0.0.1", log: null });
  try {
    const householdId = county.summary.busiestHousehold.id;
    const villageId = Math.floor((householdId - 1) / SIZE.householdsPerVillage) + 1;
    const sum = db
      .query<{ s: number }, [number]>(
        "SELECT sum(points) AS s FROM entries WHERE household_id = ? AND status = 'posted'",
      )
      .get(householdId)!.s;
    for (const code of [cardToken(householdId), cardNumber(householdId)]) {
      const card = await app.request(`/api/kiosk/cards/${code}`, {
        headers: { authorization: `Bearer ${kioskToken(villageId)}` },
      });
      expect(card.status).toBe(200);
      expect(((await card.json()) as { balance: number }).balance).toBe(sum);
    }
    // Another village's kiosk does not find the card.
    const other = await app.request(`/api/kiosk/cards/${cardToken(householdId)}`, {
      headers: { authorization: `Bearer ${kioskToken((villageId % 3) + 1)}` },
    });
    expect(other.status).toBe(404);

    const login = await app.request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "county", password: COUNTY_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const page = await app.request(`/api/households/${householdId}/entries?limit=50`, {
      headers: { cookie },
    });
    expect(page.status).toBe(200);
    const items = ((await page.json()) as { items: { id: string; balanceAfter: number | null }[] })
      .items;
    expect(items).toHaveLength(50);
    expect(items[0]!.balanceAfter).toBe(sum);

    const report = await app.request("/api/township/report?from=2026-11-01&to=2026-11-30", {
      headers: { cookie },
    });
    expect(report.status).toBe(200);
    const body = (await report.json()) as {
      totals: { awarded: number; redeemed: number };
      villages: unknown[];
    };
    expect(body.villages).toHaveLength(3);
    const direct = db
      .query<{ awarded: number; redeemed: number }, []>(
        `SELECT sum(CASE WHEN e.kind = 'award' OR (e.kind = 'reversal' AND o.kind = 'award') THEN e.points ELSE 0 END) AS awarded,
                -sum(CASE WHEN e.kind = 'redemption' THEN e.points ELSE 0 END) AS redeemed
         FROM entries e LEFT JOIN entries o ON o.id = e.reverses_id WHERE e.status = 'posted' AND e.occurred_on BETWEEN '2026-11-01' AND '2026-11-30'`,
      )
      .get()!;
    expect(body.totals.awarded).toBe(direct.awarded);
    expect(body.totals.redeemed).toBe(direct.redeemed);
    expect(direct.awarded).toBeGreaterThan(0);
  } finally {
    db.close();
  }
});
