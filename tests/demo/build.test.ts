/**
 * Proves the demo database: built from a fixed seed it has the township's villages, households
 * with cards, staff who can sign in and a kiosk per village, and the same seed and day give the
 * same data.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { buildDemoDatabase } from "../../src/demo/build.ts";
import { setPasswordCost } from "../../src/auth/users.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";
import { suspensionOf } from "../../src/ledger/suspension.ts";

setPasswordCost({ memoryCost: 1024, timeCost: 1 });
const TODAY_MS = Date.parse("2026-11-23T00:00:00+08:00");

async function build(dir: string, name: string) {
  const path = join(dir, name);
  const summary = await buildDemoDatabase(path, {
    seed: 7,
    nowMs: TODAY_MS,
    publicUrl: "http://demo.test",
    log: () => {},
    householdsPerVillage: 20,
  });
  return { path, summary };
}

test("builds villages, households with cards, staff and kiosks, the same each time", async () => {
  const dir = mkdtempSync(join(tmpdir(), "jifen-demo-"));
  try {
    const a = await build(dir, "a.db");
    const b = await build(dir, "b.db");
    expect(a.summary.villages.length).toBe(3);
    expect(a.summary.sampleCardUrl).toStartWith("http://demo.test/c/");
    const dump = (path: string) => {
      const db = new Database(path, { readonly: true });
      const out = {
        villages: db
          .query("SELECT name, code, notice_days, require_approval FROM villages ORDER BY id")
          .all(),
        households: db
          .query("SELECT village_id, head_name, address, external_id FROM households ORDER BY id")
          .all(),
        members: db.query("SELECT count(*) AS n FROM members").get(),
        cards: db.query("SELECT count(*) AS n FROM cards WHERE revoked_at_ms IS NULL").get(),
        users: db.query("SELECT username, role FROM users ORDER BY id").all(),
        kiosks: db.query("SELECT count(*) AS n FROM kiosks").get(),
        entries: db
          .query(
            "SELECT status, kind, count(*) AS n, sum(points) AS points FROM entries GROUP BY status, kind ORDER BY status, kind",
          )
          .all(),
        sales: db.query("SELECT count(*) AS n, sum(total_points) AS points FROM redemptions").get(),
        rules: db.query("SELECT count(*) AS n FROM rules").get(),
        goods: db.query("SELECT name, stock, image_url FROM goods ORDER BY id").all(),
        negative: db.query("SELECT count(*) AS n FROM households WHERE balance < 0").get(),
      };
      db.close();
      return out;
    };
    const first = dump(a.path);
    expect(first.households.length).toBe(60);
    expect(first.cards).toEqual({ n: 60 });
    expect(first.kiosks).toEqual({ n: 3 });
    expect(first.users.length).toBeGreaterThanOrEqual(7);
    const statuses = (first.entries as { status: string; kind: string; n: number }[]).map(
      (r) => `${r.status}/${r.kind}`,
    );
    expect(statuses).toContain("posted/award");
    expect(statuses).toContain("posted/redemption");
    // The newest entries of the villages with a notice period are still on notice today.
    expect(statuses.some((x) => x.startsWith("in_notice/") || x.startsWith("proposed/"))).toBe(
      true,
    );
    expect((first.sales as { n: number }).n).toBeGreaterThan(0);
    expect((first.rules as { n: number }).n).toBeGreaterThan(60);
    expect(
      (first.goods as { image_url: string }[]).every(
        (g) => g.image_url.startsWith("/goods/") && g.image_url.endsWith(".svg"),
      ),
    ).toBe(true);
    expect(first.negative).toEqual({ n: 0 });
    expect(dump(b.path)).toEqual(first);
    const db = new Database(a.path, { readonly: true });
    expect(verifyLedger(db).ok).toBe(true);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("has a suspended household, a village with opening days, a home delivery waiting and the township's templates (issue 18)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "jifen-demo-"));
  try {
    const { path } = await build(dir, "market.db");
    const db = new Database(path, { readonly: true });
    const today = new Date(TODAY_MS + 8 * 3600_000).toISOString().slice(0, 10);
    const suspending = db
      .query<{ household_id: number }, []>(
        "SELECT household_id FROM entries WHERE suspend_months IS NOT NULL AND status = 'posted'",
      )
      .all();
    expect(suspending.length).toBe(1);
    expect(suspensionOf(db, suspending[0]!.household_id, today)).toMatchObject({
      months: 6,
      ruleTitle: "参与赌博被公安机关查处",
    });
    expect(
      db.query("SELECT opening_hours FROM villages WHERE opening_hours IS NOT NULL").all(),
    ).toEqual([
      { opening_hours: JSON.stringify({ weekdays: [3, 6], opens: "08:00", closes: "11:30" }) },
    ]);
    expect(
      db.query("SELECT count(*) AS n FROM deliveries WHERE confirmed_at_ms IS NULL").get(),
    ).toEqual({ n: 1 });
    // The township keeps the catalogue as its templates, the two 一票否决 deductions suspending.
    expect(
      db
        .query(
          "SELECT code, suspend_months FROM rule_templates WHERE suspend_months IS NOT NULL ORDER BY code",
        )
        .all(),
    ).toEqual([
      { code: "LAW-06", suspend_months: 6 },
      { code: "LAW-09", suspend_months: 12 },
    ]);
    expect(
      db.query<{ n: number }, []>("SELECT count(*) AS n FROM rule_templates").get()!.n,
    ).toBeGreaterThan(20);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
