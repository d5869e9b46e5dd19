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

setPasswordCost({ memoryCost: 1024, timeCost: 1 });
const TODAY_MS = Date.parse("2026-11-23T00:00:00+08:00");

async function build(dir: string, name: string) {
  const path = join(dir, name);
  const summary = await buildDemoDatabase(path, { seed: 7, todayMs: TODAY_MS, publicUrl: "http://demo.test", log: () => {}, householdsPerVillage: 20 });
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
        villages: db.query("SELECT name, code, notice_days, require_approval FROM villages ORDER BY id").all(),
        households: db.query("SELECT village_id, head_name, address, external_id FROM households ORDER BY id").all(),
        members: db.query("SELECT count(*) AS n FROM members").get(),
        cards: db.query("SELECT count(*) AS n FROM cards WHERE revoked_at_ms IS NULL").get(),
        users: db.query("SELECT username, role FROM users ORDER BY id").all(),
        kiosks: db.query("SELECT count(*) AS n FROM kiosks").get(),
      };
      db.close();
      return out;
    };
    const first = dump(a.path);
    expect(first.households.length).toBe(60);
    expect(first.cards).toEqual({ n: 60 });
    expect(first.kiosks).toEqual({ n: 3 });
    expect(first.users.length).toBeGreaterThanOrEqual(7);
    expect(dump(b.path)).toEqual(first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
