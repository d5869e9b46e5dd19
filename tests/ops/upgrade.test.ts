/**
 * Upgrades (issue 17): a database made by the first release (commit c6bc42b, migrations
 * 0001–0011) and filled by its own demo is kept as SQL text in tests/fixtures/first-release.sql
 * (remade only by tests/fixtures/make-first-release.ts). Every later migration is applied to it
 * as the server applies them at start; after that the chain still verifies, every balance is
 * what it was and still equals its entries, and the upgraded database serves and checkpoints.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { migrate, readMigrations } from "../../src/db/migrate.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";
import { verifyLedgerFile } from "../../src/ledger/verify-file.ts";
import { takeCheckpoint } from "../../src/ops/daily.ts";
import { verifySince } from "../../src/ops/verify-since.ts";
import { shanghaiDayStartMs } from "../../src/shared/calendar.ts";
import { createApp } from "../../src/http/app.ts";
import { ManualClock } from "../../src/shared/clock.ts";

setDefaultTimeout(60_000);

const FIXTURE = join(import.meta.dir, "../fixtures/first-release.sql");
const FIRST_RELEASE_LAST_MIGRATION = 11;
const NOW = shanghaiDayStartMs("2026-12-04") + 3_600_000;
let dir: string;

type Balances = Map<number, number>;
function balances(db: Database): Balances {
  return new Map(
    db
      .query<{ id: number; balance: number }, []>("SELECT id, balance FROM households ORDER BY id")
      .all()
      .map((r) => [r.id, r.balance]),
  );
}
function sums(db: Database): Balances {
  return new Map(
    db
      .query<{ id: number; total: number }, []>(
        "SELECT household_id AS id, sum(points) AS total FROM entries WHERE status = 'posted' GROUP BY household_id ORDER BY household_id",
      )
      .all()
      .map((r) => [r.id, r.total]),
  );
}

function loadFixture(path: string): Database {
  const db = new Database(path, { create: true, strict: true });
  db.run(readFileSync(FIXTURE, "utf8"));
  db.close();
  return openDatabase(path);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "jifen-upgrade-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the fixture is the first release's schema, filled by its demo, and small text", () => {
  const text = readFileSync(FIXTURE, "utf8");
  expect(text.length).toBeLessThan(256 * 1024);
  const db = loadFixture(join(dir, "look.db"));
  const applied = db
    .query<{ version: number }, []>("SELECT version FROM schema_migrations ORDER BY version")
    .all()
    .map((r) => r.version);
  expect(applied).toEqual(Array.from({ length: FIRST_RELEASE_LAST_MIGRATION }, (_, i) => i + 1));
  expect(
    db.query<{ n: number }, []>("SELECT count(*) AS n FROM entries WHERE status = 'posted'").get()!
      .n,
  ).toBeGreaterThan(50);
  expect(
    db.query<{ n: number }, []>("SELECT count(*) AS n FROM redemptions").get()!.n,
  ).toBeGreaterThan(0);
  // Before any later migration only what the first release had can be read: the chain and the balances.
  expect(verifySince(db, { full: true }).ok).toBe(true);
  db.close();
});

test("every later migration applies to the first release's database; the chain and every balance still verify", async () => {
  const path = join(dir, "upgraded.db");
  const db = loadFixture(path);
  const before = {
    balances: balances(db),
    head: db.query<{ seq: number; hash: string }, []>("SELECT seq, hash FROM ledger_head").get()!,
  };
  expect(verifySince(db, { full: true })).toMatchObject({
    ok: true,
    entries: before.head.seq,
    head: before.head.hash,
  });

  const later = readMigrations()
    .filter((m) => m.version > FIRST_RELEASE_LAST_MIGRATION)
    .map((m) => m.name);
  expect(later.length).toBeGreaterThan(0);
  // The first release's migrations are unchanged since (migrate refuses an edited one), and every later one applies.
  expect(migrate(db, NOW).applied).toEqual(later);

  expect(balances(db)).toEqual(before.balances);
  for (const [id, balance] of balances(db)) expect(sums(db).get(id) ?? 0).toBe(balance);
  expect(verifyLedger(db)).toMatchObject({
    ok: true,
    entries: before.head.seq,
    head: before.head.hash,
  });
  expect(db.query<{ c: string }, []>("PRAGMA foreign_key_check").all()).toEqual([]);
  expect(
    db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()!.integrity_check,
  ).toBe("ok");

  // The upgraded database takes its first checkpoint, which the since-check then stands on.
  const checkpoint = await takeCheckpoint(db, NOW);
  expect(checkpoint.kind).toBe("recorded");
  expect(verifySince(db)).toMatchObject({ ok: true, walked: 0, entries: before.head.seq });
  db.close();
  expect(await verifyLedgerFile(path)).toMatchObject({ ok: true, entries: before.head.seq });
});

test("the upgraded database serves: its public board and a household's history read as before", async () => {
  const path = join(dir, "serve.db");
  const db = loadFixture(path);
  migrate(db, NOW);
  const village = db
    .query<{ id: number }, []>("SELECT id FROM villages ORDER BY id LIMIT 1")
    .get()!;
  const app = createApp(db, new ManualClock(NOW), {
    publicUrl: "http://localhost",
    trustedProxies: 0,
    log: null,
    demo: null,
  });
  const board = await app.request(`/api/public/villages/${village.id}/board`);
  expect(board.status).toBe(200);
  const json = (await board.json()) as { chainHead: { seq: number; hash: string } };
  expect(json.chainHead.seq).toBe(
    db.query<{ seq: number }, []>("SELECT seq FROM ledger_head").get()!.seq,
  );
  expect(verifyLedger(db).ok).toBe(true);
  db.close();
});

test("a backup made by the first release passes `bun run restore`, and the server's migrations then bring it up to date", async () => {
  const backup = join(dir, "old-backup.db");
  loadFixture(backup).close();
  const target = join(dir, "restored.db");
  const p = Bun.spawnSync(
    [process.execPath, join(import.meta.dir, "../../src/ops/restore-cli.ts"), backup],
    { env: { ...process.env, DATABASE_PATH: target } },
  );
  const out = p.stdout.toString() + p.stderr.toString();
  expect(out).toContain("posted entries chained, every balance verified");
  expect(p.exitCode).toBe(0);
  const db = openDatabase(target);
  expect(migrate(db, NOW).applied.length).toBe(
    readMigrations().filter((m) => m.version > FIRST_RELEASE_LAST_MIGRATION).length,
  );
  expect(verifyLedger(db).ok).toBe(true);
  db.close();
});
