/**
 * Proves the proof: SQLite's json_array encodes rows byte for byte as JSON.stringify (the fast
 * path of verify), `bun run verify` passes a good database and exits 1 naming the first broken
 * entry after edits made with raw SQL behind the server's back (an update, a delete from the
 * middle, a removal from the end, an appended row), and the parallel file verify answers what
 * verifyLedger answers.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";

// Generous: these run hundreds of operations or child processes on a shared two-core machine.
setDefaultTimeout(60_000);
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { buildLedger } from "../bench/ledger-build.ts";
import {
  finishVerify,
  joinRanges,
  readHead,
  verifyLedger,
  verifySeqRange,
} from "../../src/ledger/verify.ts";
import { verifyLedgerFile, walkPieces } from "../../src/ledger/verify-file.ts";
import { CHAINED_COLUMNS, entryHash, type ChainValue } from "../../src/ledger/chain.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

let dir: string;
let good: string;
const ENTRIES = 60_000; // above PARALLEL_MIN_ENTRIES and CHUNK_ENTRIES, so the file verify really splits the chain between threads

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "jifen-verify-"));
  good = join(dir, "good.db");
  buildLedger({ path: good, entries: ENTRIES, villages: 2, householdsPerVillage: 50 }).close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tampered(name: string, sql: string[]): string {
  const path = join(dir, `${name}.db`);
  copyFileSync(good, path);
  const db = new Database(path);
  db.run("DROP TRIGGER entries_posted_no_update");
  db.run("DROP TRIGGER entries_posted_no_delete");
  for (const s of sql) db.run(s);
  db.close();
  return path;
}

function runCli(path: string): { code: number; out: string } {
  const p = Bun.spawnSync(
    [process.execPath, join(import.meta.dir, "../../src/ledger/verify-cli.ts")],
    { env: { ...process.env, DATABASE_PATH: path } },
  );
  return { code: p.exitCode ?? -1, out: p.stdout.toString() + p.stderr.toString() };
}

test("SQLite's json_array encodes every BMP character, null and integers as JSON.stringify does", () => {
  const db = new Database(":memory:");
  let s = "";
  for (let c = 1; c < 0xffff; c++) if (c < 0xd800 || c > 0xdfff) s += String.fromCharCode(c);
  s += '😀𠀀\u2028"\\';
  const values = [s, null, 0, -5, 9007199254740991, ""];
  expect(
    db
      .query<{ j: string }, [string]>(
        "SELECT json_array(?, NULL, 0, -5, 9007199254740991, '') AS j",
      )
      .get(s)!.j,
  ).toBe(JSON.stringify(values));
});

test("verify passes a good database and exits 0", async () => {
  expect(runCli(good).code).toBe(0);
  const file = await verifyLedgerFile(good, 2);
  const db = new Database(good, { readonly: true });
  expect(file).toEqual(verifyLedger(db));
  expect(file.ok).toBe(true);
  db.close();
});

test("threads sharing the chain take each piece exactly once, and the pieces join into the whole walk", () => {
  const db = new Database(good, { readonly: true });
  const last = readHead(db).seq;
  const job = { last, chunk: 7_000, next: new Int32Array(new SharedArrayBuffer(4)) };
  // Two walkers taking turns: the first takes three pieces, the second the rest.
  const first: ReturnType<typeof walkPieces> = [];
  for (let i = 0; i < 3; i++)
    first.push(
      verifySeqRange(
        db,
        Atomics.add(job.next, 0, 1) * job.chunk + 1,
        Math.min(last, Atomics.load(job.next, 0) * job.chunk),
      ),
    );
  const second = walkPieces(db, job);
  const pieces = [...first, ...second].sort((a, b) => a.fromSeq - b.fromSeq);
  expect(pieces.map((p) => [p.fromSeq, p.toSeq])).toEqual(
    Array.from({ length: Math.ceil(last / 7_000) }, (_, i) => [
      i * 7_000 + 1,
      Math.min(last, (i + 1) * 7_000),
    ]),
  );
  expect(walkPieces(db, job)).toEqual([]);
  expect(finishVerify(db, joinRanges(pieces))).toEqual(verifyLedger(db));
  db.close();
});

test.each([
  ["a changed points value", ["UPDATE entries SET points = points + 1 WHERE seq = 40000"], 40000],
  ["a changed note", ["UPDATE entries SET note = 'x' WHERE seq = 123"], 123],
  [
    "a changed household",
    ["UPDATE entries SET household_id = household_id % 100 + 1 WHERE seq = 59999"],
    59999,
  ],
  ["an entry deleted from the middle", ["DELETE FROM entries WHERE seq = 30001"], 30001],
  [
    "an entry removed from the end with the head left alone",
    ["DELETE FROM entries WHERE seq = 60000"],
    60000,
  ],
  [
    "a chained entry marked revoked",
    [
      "PRAGMA ignore_check_constraints = ON",
      "UPDATE entries SET status = 'revoked' WHERE seq = 777",
    ],
    777,
  ],
  [
    "a posted entry slipped in outside the chain",
    [
      "PRAGMA ignore_check_constraints = ON",
      `INSERT INTO entries (village_id, household_id, kind, status, points, occurred_on, created_at_ms, created_by, posted_at_ms, balance_after, prev_hash, hash)
       VALUES (1, 1, 'award', 'posted', 100, '2026-06-01', 0, 'x', 0, 0, 'x', 'x')`,
    ],
    60000,
  ],
])("verify exits 1 naming the first broken entry after %s", async (name, sql, seq) => {
  const path = tampered(name.replace(/\W+/g, "-"), sql);
  const cli = runCli(path);
  expect(cli.code).toBe(1);
  expect(cli.out).toContain(`BROKEN at sequence ${seq}`);
  const file = await verifyLedgerFile(path, 2);
  expect(file.ok).toBe(false);
  if (!file.ok) expect(file.brokenAt.seq).toBe(seq);
});

test("an entry rehashed with a previous hash that only ends with the right one is broken there, not at the next", async () => {
  // Verify reads an entry's link from the end of its encoding. A previous hash with one character
  // put in front ends with the same 64 digits; with the entry's hash recomputed to match, only
  // the check that the field opens right there tells it from the real link.
  const path = join(dir, "prefixed-link.db");
  copyFileSync(good, path);
  const db = new Database(path);
  db.run("DROP TRIGGER entries_posted_no_update");
  const row = db
    .query<Record<string, ChainValue>, []>(
      `SELECT ${CHAINED_COLUMNS.join(", ")} FROM entries WHERE seq = 20000`,
    )
    .get()!;
  row.prev_hash = `f${row.prev_hash}`;
  db.query("UPDATE entries SET prev_hash = ?, hash = ? WHERE seq = 20000").run(
    row.prev_hash,
    entryHash(CHAINED_COLUMNS.map((c) => row[c] ?? null)),
  );
  db.close();
  expect(runCli(path).out).toContain("BROKEN at sequence 20000");
  const file = await verifyLedgerFile(path, 2);
  expect(file.ok ? null : file.brokenAt).toMatchObject({
    seq: 20000,
    reason: "its previous hash does not match the entry before it",
  });
});

test("verify finds an entry appended behind the server's back and a balance moved without an entry", async () => {
  const appended = tampered("appended", [
    `INSERT INTO entries (id, village_id, household_id, kind, status, points, occurred_on, created_at_ms, created_by, posted_at_ms, seq, balance_after, prev_hash, hash)
     SELECT 999999, 1, 1, 'award', 'posted', 100, '2026-01-01', 0, 'x', 0, 60001, 0, hash, hash FROM ledger_head`,
  ]);
  expect(runCli(appended).code).toBe(1);
  const balance = tampered("balance", [
    "UPDATE households SET balance = balance + 50 WHERE id = 7",
  ]);
  const cli = runCli(balance);
  expect(cli.code).toBe(1);
  expect(cli.out).toContain("household 7");
});

test("verify finds an honour score moved without an entry, and one that counted a sale", async () => {
  // The good ledger holds awards and deductions only, so each household's honour is its balance.
  const good_ = new Database(good, { readonly: true });
  expect(
    good_
      .query<{ n: number }, []>("SELECT count(*) AS n FROM households WHERE honour <> balance")
      .get()!.n,
  ).toBe(0);
  good_.close();
  const moved = tampered("honour", ["UPDATE households SET honour = honour + 5 WHERE id = 9"]);
  const cli = runCli(moved);
  expect(cli.code).toBe(1);
  expect(cli.out).toContain("household 9 has honour");
  const file = await verifyLedgerFile(moved, 2);
  expect(file.ok ? null : file.brokenAt.reason).toContain("household 9 has honour");
});

test("verify finds the reports' monthly sums moved without an entry, by village and by household", async () => {
  const village = tampered("village-months", [
    `UPDATE report_village_months SET points = points + 3 WHERE (month, village_id, kind, category) IN
       (SELECT month, village_id, kind, category FROM report_village_months LIMIT 1)`,
  ]);
  const villageCli = runCli(village);
  expect(villageCli.code).toBe(1);
  expect(villageCli.out).toContain("the reports' monthly sums of village");
  // Moving points from one category to another keeps the village's total: the property test, not
  // verify, proves each row; an award recounted as a redemption changes what counts as honour.
  const kind = tampered("village-months-kind", [
    `UPDATE report_village_months SET kind = 'redemption' WHERE kind = 'award' AND (month, village_id, category) IN
       (SELECT month, village_id, category FROM report_village_months WHERE kind = 'award' LIMIT 1)`,
  ]);
  expect(runCli(kind).out).toContain("monthly awards and deductions of village");
  const household = tampered("household-months", [
    "UPDATE report_household_months SET earned = earned - 2 WHERE household_id = 4",
  ]);
  const file = await verifyLedgerFile(household, 2);
  expect(file.ok ? null : file.brokenAt.reason).toContain("the reports' household months earned");
});

test("verify exits 2 when there is no database file", () => {
  expect(runCli(join(dir, "missing.db")).code).toBe(2);
});

test("verify of a file stays ok while another connection keeps posting", async () => {
  const { openDatabase } = await import("../../src/db/open.ts");
  const { recordEntry } = await import("../../src/ledger/entry.ts");
  const { systemAudit } = await import("../../src/audit/audit.ts");
  const path = join(dir, "live.db");
  copyFileSync(good, path);
  const db = openDatabase(path);
  let stop = false;
  let written = 0;
  const writer = (async () => {
    while (!stop) {
      for (let i = 0; i < 20; i++) {
        // Village 1's first rule (+5) and its households, as buildLedger made them.
        if (
          recordEntry(
            db,
            systemAudit(Date.now()),
            { username: "clerk" },
            { householdId: 1 + (i % 50), ruleId: 1 },
          ).ok
        )
          written++;
      }
      await Bun.sleep(1);
    }
  })();
  const results = [];
  for (let k = 0; k < 3; k++) results.push(await verifyLedgerFile(path, 2));
  stop = true;
  await writer;
  expect(written).toBeGreaterThan(0);
  expect(results.every((r) => r.ok)).toBe(true);
  db.close();
});

test("GET /api/ledger/verify walks a long chain in worker threads: the server keeps answering meanwhile", async () => {
  const { createHarness } = await import("../support/harness.ts");
  const h = createHarness({ template: good });
  try {
    const admin = await h.login("admin");
    // The same walk on the calling thread, for comparison: the longest the event loop would stall
    // (the second of two runs, so the file's pages are in memory for both this and the route).
    expect(verifyLedger(h.db).ok).toBe(true);
    const inlineStartMs = performance.now();
    expect(verifyLedger(h.db).ok).toBe(true);
    const inlineMs = performance.now() - inlineStartMs;
    // A timer that should fire every millisecond; its longest gap is how long the loop was blocked.
    let lastTickMs = performance.now();
    let longestGapMs = 0;
    const ticker = setInterval(() => {
      const nowMs = performance.now();
      longestGapMs = Math.max(longestGapMs, nowMs - lastTickMs);
      lastTickMs = nowMs;
    }, 1);
    await Bun.sleep(5);
    const res = await h.json("GET", "/api/ledger/verify", { cookie: admin });
    // Up to the answer too: a walk on this thread would leave no tick between its start and it.
    longestGapMs = Math.max(longestGapMs, performance.now() - lastTickMs);
    clearInterval(ticker);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, entries: ENTRIES });
    expect({
      longestGapMs: Math.round(longestGapMs),
      inlineMs: Math.round(inlineMs),
      blocked: longestGapMs >= inlineMs / 2,
    }).toMatchObject({ blocked: false });
  } finally {
    h.close();
  }
});
