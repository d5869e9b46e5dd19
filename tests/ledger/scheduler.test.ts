/**
 * Proves posting when due survives a restart and never posts twice: entries go on notice, the
 * database file is closed and opened again (a restart: all the state is in the file), and the
 * scheduler started on the new connection with a manual clock posts each due entry exactly once,
 * at start and on its timer, while a second "server" on the same file posts nothing again.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemAudit } from "../../src/audit/audit.ts";
import { openDatabase } from "../../src/db/open.ts";
import { recordEntry } from "../../src/ledger/entry.ts";
import { postDueEntries } from "../../src/ledger/posting.ts";
import { startNoticeScheduler } from "../../src/ledger/scheduler.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";
import { DAY_MS, ManualClock } from "../../src/shared/clock.ts";
import { openLedgerDb } from "../support/ledger-db.ts";

const T0_MS = Date.UTC(2026, 2, 2, 2);

test("due entries are posted once after a restart, by the scheduler at start and on its timer", async () => {
  const dir = mkdtempSync(join(tmpdir(), "jifen-sched-"));
  try {
    const path = join(dir, "ledger.db");
    const l = openLedgerDb(path, {
      households: 2,
      noticeDays: 3,
      requireApproval: false,
      pointsExpire: false,
      nowMs: T0_MS,
    });
    recordEntry(
      l.db,
      systemAudit(T0_MS),
      { username: "clerk" },
      { householdId: l.householdIds[0]!, ruleId: l.rules.plus },
    );
    recordEntry(
      l.db,
      systemAudit(T0_MS + DAY_MS),
      { username: "clerk" },
      { householdId: l.householdIds[1]!, ruleId: l.rules.plus },
    );
    l.db.close();

    // Restart: a new connection, the clock past the first notice only.
    const db = openDatabase(path);
    const other = openDatabase(path);
    const clock = new ManualClock(T0_MS + 3 * DAY_MS);
    const scheduler = startNoticeScheduler(db, clock, 20);
    const statuses = () =>
      db
        .query<{ status: string }, []>("SELECT status FROM entries ORDER BY id")
        .all()
        .map((r) => r.status);
    expect(statuses()).toEqual(["posted", "in_notice"]);
    expect(postDueEntries(other, clock.nowMs())).toBe(0);

    clock.advance(DAY_MS);
    await Bun.sleep(120);
    expect(statuses()).toEqual(["posted", "posted"]);
    expect(postDueEntries(other, clock.nowMs())).toBe(0);
    scheduler.stop();

    expect(
      db
        .query<{ n: number }, []>("SELECT count(*) AS n FROM entries WHERE status = 'posted'")
        .get()!.n,
    ).toBe(2);
    expect(verifyLedger(db)).toMatchObject({ ok: true, entries: 2 });
    other.close();
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
