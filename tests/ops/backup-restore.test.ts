/**
 * Backups and restore (issue 17). The daily jobs write a dated backup into BACKUP_DIR while
 * awards keep being posted, keep BACKUP_KEEP_DAYS days of them and sweep a half-written one;
 * `bun run restore FILE` checks the copy (integrity, chain) before it replaces anything, refuses
 * a broken copy or a database still held by a server, and keeps the file it replaced.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemAudit, type AuditContext } from "../../src/audit/audit.ts";
import { recordEntry } from "../../src/ledger/entry.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";
import { shanghaiDayStartMs } from "../../src/shared/calendar.ts";
import { DAY_MS, HOUR_MS, ManualClock } from "../../src/shared/clock.ts";
import { dailyOptionsFromEnv, startDailyJobs } from "../../src/ops/daily.ts";
import { lastCheckpoint } from "../../src/ops/checkpoint.ts";
import { openLedgerDb, type LedgerDb } from "../support/ledger-db.ts";

setDefaultTimeout(60_000);

const T0 = shanghaiDayStartMs("2026-12-01") + HOUR_MS;
let dir: string;

function award(l: LedgerDb, i: number, nowMs: number): void {
  const audit: AuditContext = { ...systemAudit(nowMs), actorKind: "user" };
  const r = recordEntry(
    l.db,
    audit,
    { username: "clerk" },
    { householdId: l.householdIds[i % l.householdIds.length]!, ruleId: l.rules.plus },
  );
  if (!r.ok) throw new Error(JSON.stringify(r));
}

function restoreCli(file: string, target: string): { code: number; out: string } {
  const p = Bun.spawnSync(
    [process.execPath, join(import.meta.dir, "../../src/ops/restore-cli.ts"), file],
    { env: { ...process.env, DATABASE_PATH: target } },
  );
  return { code: p.exitCode ?? -1, out: p.stdout.toString() + p.stderr.toString() };
}

function fileDigest(path: string): string {
  return new Bun.CryptoHasher("sha256").update(new Uint8Array(readFileSync(path))).digest("hex");
}

function entryCount(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .query<{ n: number }, []>("SELECT count(*) AS n FROM entries WHERE status = 'posted'")
      .get()!.n;
  } finally {
    db.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "jifen-backup-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("BACKUP_DIR and BACKUP_KEEP_DAYS are read, with 14 days by default, and a wrong value is refused", () => {
  expect(dailyOptionsFromEnv({})).toEqual({ backupDir: null, backupKeepDays: 14 });
  expect(dailyOptionsFromEnv({ BACKUP_DIR: "/srv/backups", BACKUP_KEEP_DAYS: "30" })).toEqual({
    backupDir: "/srv/backups",
    backupKeepDays: 30,
  });
  expect(() => dailyOptionsFromEnv({ BACKUP_KEEP_DAYS: "0" })).toThrow("BACKUP_KEEP_DAYS");
  expect(() => dailyOptionsFromEnv({ BACKUP_KEEP_DAYS: "two weeks" })).toThrow("BACKUP_KEEP_DAYS");
});

test("the daily jobs write a dated, whole backup while awards go on, keep BACKUP_KEEP_DAYS days, and sweep a half-written one", async () => {
  const path = join(dir, "village.db");
  const backups = join(dir, "backups");
  const l = openLedgerDb(path, {
    households: 20,
    noticeDays: 0,
    requireApproval: false,
    pointsExpire: false,
    nowMs: T0,
  });
  // Enough rows that the copy takes a while: the awards below run while it is written.
  l.db.run("CREATE TABLE ballast (x BLOB)");
  l.db.transaction(() => {
    for (let i = 0; i < 1500; i++)
      l.db.query("INSERT INTO ballast VALUES (randomblob(4000))").run();
  })();
  for (let i = 0; i < 50; i++) award(l, i, T0 + i);
  const clock = new ManualClock(T0 + HOUR_MS);
  const jobs = startDailyJobs(
    l.db,
    clock,
    { backupDir: backups, backupKeepDays: 3 },
    { firstLookMs: 3_600_000, quiet: true },
  );
  try {
    const before = 50;
    const running = jobs.runNow();
    // The server keeps serving: awards are posted on the main thread while the ops thread copies.
    let during = 0;
    let settled = false;
    void running.finally(() => (settled = true));
    while (!settled) {
      award(l, during, clock.nowMs());
      during++;
      await Bun.sleep(1);
    }
    const run = (await running)!;
    expect(run.checkpoint?.kind).toBe("recorded");
    expect(run.backup?.kind).toBe("written");
    const first = join(backups, "village-2026-12-01.db");
    expect(existsSync(first)).toBe(true);
    // The copy is one snapshot: whole, verifying, with the entries of some moment of the run.
    const copy = new Database(first, { readonly: true });
    expect(
      copy.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()!.integrity_check,
    ).toBe("ok");
    expect(verifyLedger(copy).ok).toBe(true);
    copy.close();
    const copied = entryCount(first);
    expect(copied).toBeGreaterThanOrEqual(before);
    expect(copied).toBeLessThanOrEqual(before + during);
    expect(during).toBeGreaterThan(0);
    // Done for the day: a second look does nothing.
    expect(await jobs.runNow()).toBeNull();

    // A run that died mid-way left a temporary file; the next days' runs sweep it and keep 3 days.
    writeFileSync(join(backups, "village-2026-12-02.db.partial"), "half");
    writeFileSync(join(backups, "notes.txt"), "not ours");
    for (let d = 1; d <= 4; d++) {
      clock.set(T0 + d * DAY_MS);
      award(l, d, clock.nowMs());
      const next = (await jobs.runNow())!;
      expect(next.backup?.kind).toBe("written");
    }
    expect(readdirSync(backups).sort()).toEqual([
      "notes.txt",
      "village-2026-12-03.db",
      "village-2026-12-04.db",
      "village-2026-12-05.db",
    ]);
    expect(lastCheckpoint(l.db)!.day).toBe("2026-12-05");
  } finally {
    jobs.stop();
    l.db.close();
  }
});

test("a broken chain gets no checkpoint, is not walked again that day, and is still backed up", async () => {
  const path = join(dir, "broken.db");
  const l = openLedgerDb(path, {
    households: 3,
    noticeDays: 0,
    requireApproval: false,
    pointsExpire: false,
    nowMs: T0,
  });
  for (let i = 0; i < 6; i++) award(l, i, T0 + i);
  l.db.run("DROP TRIGGER entries_posted_no_update");
  l.db.run("UPDATE entries SET note = 'edited' WHERE seq = 2");
  const backups = join(dir, "broken-backups");
  const jobs = startDailyJobs(
    l.db,
    new ManualClock(T0 + HOUR_MS),
    { backupDir: backups, backupKeepDays: 3 },
    { firstLookMs: 3_600_000, quiet: true },
  );
  try {
    const run = (await jobs.runNow())!;
    expect(run.checkpoint).toMatchObject({ kind: "broken", result: { brokenAt: { seq: 2 } } });
    expect(run.backup?.kind).toBe("written");
    expect(lastCheckpoint(l.db)).toBeNull();
    expect(await jobs.runNow()).toBeNull();
  } finally {
    jobs.stop();
    l.db.close();
  }
});

test("restore checks the copy, replaces the database and keeps the one it replaced", () => {
  const live = join(dir, "live.db");
  const l = openLedgerDb(live, {
    households: 4,
    noticeDays: 0,
    requireApproval: false,
    pointsExpire: false,
    nowMs: T0,
  });
  for (let i = 0; i < 10; i++) award(l, i, T0 + i);
  const backup = join(dir, "live-backup.db");
  l.db.query("VACUUM INTO ?").run(backup);
  for (let i = 0; i < 5; i++) award(l, i, T0 + 100 + i);
  l.db.close();
  expect(entryCount(live)).toBe(15);

  const out = restoreCli(backup, live);
  expect(out.out).toContain("10 posted entries chained");
  expect(out.code).toBe(0);
  expect(entryCount(live)).toBe(10);
  const kept = readdirSync(dir).filter((f) => /^live\.db\.replaced-\d{8}T\d{6}Z$/.test(f));
  expect(kept.length).toBe(1);
  expect(out.out).toContain(kept[0]!);
  // The kept file is whole by itself (its WAL was folded in): the 15 entries are there.
  expect(entryCount(join(dir, kept[0]!))).toBe(15);
});

test("restore refuses a damaged copy, and a copy whose chain is broken, and replaces nothing", () => {
  const live = join(dir, "guarded.db");
  const l = openLedgerDb(live, {
    households: 4,
    noticeDays: 0,
    requireApproval: false,
    pointsExpire: false,
    nowMs: T0,
  });
  for (let i = 0; i < 8; i++) award(l, i, T0 + i);
  const good = join(dir, "guarded-copy.db");
  l.db.query("VACUUM INTO ?").run(good);
  l.db.close();
  const liveDigest = fileDigest(live);

  // Damaged: pages in the middle overwritten (an interrupted copy, a failing disk).
  const damaged = join(dir, "damaged.db");
  const bytes = new Uint8Array(readFileSync(good));
  bytes.fill(0x5a, 4096, bytes.length - 4096);
  writeFileSync(damaged, bytes);
  const d = restoreCli(damaged, live);
  expect(d.out).toContain("refused");
  expect(d.out).toContain("nothing was replaced");
  expect(d.code).toBe(1);

  // Sound as SQLite, but an entry edited behind the server's back.
  const edited = join(dir, "edited.db");
  copyFileSync(good, edited);
  const e = new Database(edited);
  e.run("DROP TRIGGER entries_posted_no_update");
  e.run("UPDATE entries SET points = 50 WHERE seq = 3");
  e.close();
  const b = restoreCli(edited, live);
  expect(b.out).toContain("ledger does not verify: at sequence 3");
  expect(b.code).toBe(1);

  expect(fileDigest(live)).toBe(liveDigest);
  expect(readdirSync(dir).some((f) => f.startsWith("guarded.db.replaced-"))).toBe(false);
});

test("restore refuses while another process holds the database", async () => {
  const live = join(dir, "held.db");
  const l = openLedgerDb(live, {
    households: 2,
    noticeDays: 0,
    requireApproval: false,
    pointsExpire: false,
    nowMs: T0,
  });
  award(l, 0, T0);
  const copy = join(dir, "held-copy.db");
  l.db.query("VACUUM INTO ?").run(copy);
  l.db.close();
  // A server stand-in: another process with the database open in WAL mode, as the server keeps it.
  const holder = Bun.spawn(
    [
      process.execPath,
      "-e",
      `const { Database } = require("bun:sqlite"); const db = new Database(${JSON.stringify(live)}); db.run("PRAGMA journal_mode = WAL"); db.query("SELECT count(*) FROM entries").get(); console.log("open"); setInterval(() => {}, 1000);`,
    ],
    { stdout: "pipe" },
  );
  const reader = holder.stdout.getReader();
  await reader.read();
  try {
    const held = restoreCli(copy, live);
    expect(held.out).toContain("is in use by another process");
    expect(held.code).toBe(1);
  } finally {
    holder.kill();
    await holder.exited;
  }
  const after = restoreCli(copy, live);
  expect(after.code).toBe(0);
});

test("restore reads a copy together with the WAL beside it, and writes one whole file", () => {
  const live = join(dir, "wal-source.db");
  const l = openLedgerDb(live, {
    households: 3,
    noticeDays: 0,
    requireApproval: false,
    pointsExpire: false,
    nowMs: T0,
  });
  l.db.run("PRAGMA wal_autocheckpoint = 0");
  l.db.run("PRAGMA wal_checkpoint(TRUNCATE)");
  for (let i = 0; i < 12; i++) award(l, i, T0 + i);
  // Copied as files while the database is open: the last awards are only in the -wal.
  const copy = join(dir, "wal-copy.db");
  copyFileSync(live, copy);
  copyFileSync(`${live}-wal`, `${copy}-wal`);
  l.db.close();
  const target = join(dir, "wal-target.db");
  const out = restoreCli(copy, target);
  expect(out.out).toContain("12 posted entries chained");
  expect(out.code).toBe(0);
  expect(existsSync(`${target}-wal`)).toBe(false);
  expect(entryCount(target)).toBe(12);
});
