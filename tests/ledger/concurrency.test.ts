/**
 * Real concurrency: two OS processes record awards on one database file at the same time, on the
 * same households, through the use case (one IMMEDIATE transaction each, WAL, busy timeout).
 * Nothing may be lost or doubled: every acknowledged award is posted exactly once, the sequence
 * numbers have no gap or repeat, each balance equals its awards, and the chain verifies.
 */
import { expect, test, setDefaultTimeout } from "bun:test";

// Generous: these run hundreds of operations or child processes on a shared two-core machine.
setDefaultTimeout(60_000);
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyLedger } from "../../src/ledger/verify.ts";
import { openLedgerDb } from "../support/ledger-db.ts";

const PER_PROCESS = 400;

test("two processes awarding in parallel on one file lose nothing and double nothing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "jifen-conc-"));
  try {
    const path = join(dir, "ledger.db");
    const l = openLedgerDb(path, {
      households: 3,
      noticeDays: 0,
      requireApproval: false,
      pointsExpire: false,
      nowMs: Date.now(),
    });
    const households = l.householdIds.map(String);
    const startAtMs = Date.now() + 700;
    const spawn = () =>
      Bun.spawn(
        [
          process.execPath,
          join(import.meta.dir, "award-process.ts"),
          path,
          String(l.rules.plus),
          String(PER_PROCESS),
          String(startAtMs),
          ...households,
        ],
        { stdout: "pipe", stderr: "pipe" },
      );
    const procs = [spawn(), spawn()];
    const outputs = await Promise.all(
      procs.map(async (p) => ({
        code: await p.exited,
        out: await new Response(p.stdout).text(),
        err: await new Response(p.stderr).text(),
      })),
    );
    for (const o of outputs) expect(o.code, o.err).toBe(0);
    const recorded = outputs
      .map((o) => JSON.parse(o.out).recorded as number)
      .reduce((a, b) => a + b, 0);
    expect(recorded).toBe(2 * PER_PROCESS);

    const db = l.db;
    const stats = db
      .query<{ n: number; minSeq: number; maxSeq: number; distinctSeq: number }, []>(
        "SELECT count(*) AS n, min(seq) AS minSeq, max(seq) AS maxSeq, count(DISTINCT seq) AS distinctSeq FROM entries WHERE status = 'posted'",
      )
      .get()!;
    expect(stats).toEqual({
      n: 2 * PER_PROCESS,
      minSeq: 1,
      maxSeq: 2 * PER_PROCESS,
      distinctSeq: 2 * PER_PROCESS,
    });
    const writers = db
      .query<{ created_by: string; n: number }, []>(
        "SELECT created_by, count(*) AS n FROM entries GROUP BY created_by",
      )
      .all();
    expect(writers.map((w) => w.n)).toEqual([PER_PROCESS, PER_PROCESS]);
    // The two really overlapped in time (each started before the other finished), so their
    // transactions contended for the write lock. SQLite's busy handler sleeps with back-off, so
    // one writer often runs ahead in bursts; the commits still interleave at least once.
    const runs = outputs.map((o) => JSON.parse(o.out) as { startedMs: number; finishedMs: number });
    expect(Math.max(...runs.map((r) => r.startedMs))).toBeLessThan(
      Math.min(...runs.map((r) => r.finishedMs)),
    );
    const order = db
      .query<{ created_by: string }, []>("SELECT created_by FROM entries ORDER BY seq")
      .all()
      .map((r) => r.created_by);
    expect(order.filter((w, i) => i > 0 && w !== order[i - 1]).length).toBeGreaterThan(0);
    const total = db
      .query<{ total: number }, []>("SELECT sum(balance) AS total FROM households")
      .get()!.total;
    expect(total).toBe(2 * PER_PROCESS * 5);
    expect(verifyLedger(db)).toMatchObject({ ok: true, entries: 2 * PER_PROCESS });
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
