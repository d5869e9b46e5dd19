/**
 * Checkpoints of the chain (issue 17): the server's daily checkpoint is taken after a verify and
 * names the real head; `bun run verify --since-checkpoint` walks only what came after it. Edits
 * made behind the server's back with raw SQL: one before the checkpoint is found by the full
 * verify, one after it by --since-checkpoint, a changed balance by the checkpoint's digest, and a
 * forged or edited checkpoint is refused by both; a chain rewritten consistently before the
 * checkpoint passes the full verify (nothing inside the file can tell) but not the checkpoint.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemAudit, type AuditContext } from "../../src/audit/audit.ts";
import { recordEntry } from "../../src/ledger/entry.ts";
import {
  CHAINED_COLUMNS,
  entryHash,
  GENESIS_HASH,
  type ChainValue,
} from "../../src/ledger/chain.ts";
import { readHead } from "../../src/ledger/verify.ts";
import { shanghaiDayStartMs } from "../../src/shared/calendar.ts";
import { DAY_MS, HOUR_MS } from "../../src/shared/clock.ts";
import { checkpointHash, insertCheckpoint, lastCheckpoint } from "../../src/ops/checkpoint.ts";
import { takeCheckpoint } from "../../src/ops/daily.ts";
import { verifySince } from "../../src/ops/verify-since.ts";
import { openLedgerDb } from "../support/ledger-db.ts";

setDefaultTimeout(60_000);

const DAY1 = "2026-12-01";
const T1 = shanghaiDayStartMs(DAY1) + 2 * HOUR_MS;
let dir: string;
let path: string;
let checkpointSeq = 0;

function award(db: Database, householdId: number, ruleId: number, nowMs: number): void {
  const audit: AuditContext = { ...systemAudit(nowMs), actorKind: "user" };
  const r = recordEntry(db, audit, { username: "clerk" }, { householdId, ruleId });
  if (!r.ok) throw new Error(JSON.stringify(r));
}

function cli(file: string, ...args: string[]): { code: number; out: string } {
  const p = Bun.spawnSync(
    [process.execPath, join(import.meta.dir, "../../src/ledger/verify-cli.ts"), ...args],
    { env: { ...process.env, DATABASE_PATH: file } },
  );
  return { code: p.exitCode ?? -1, out: p.stdout.toString() + p.stderr.toString() };
}

/** A copy of the good file with the posted-entry triggers dropped and `sql` run on it. */
function tampered(name: string, sql: string[], edit?: (db: Database) => void): string {
  const copy = join(dir, `${name}.db`);
  const db0 = new Database(path);
  db0.run("PRAGMA wal_checkpoint(TRUNCATE)");
  db0.close();
  copyFileSync(path, copy);
  const db = new Database(copy);
  db.run("DROP TRIGGER entries_posted_no_update");
  db.run("DROP TRIGGER entries_posted_no_delete");
  for (const s of sql) db.run(s);
  edit?.(db);
  db.close();
  return copy;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "jifen-checkpoint-"));
  path = join(dir, "village.db");
  const l = openLedgerDb(path, {
    households: 6,
    noticeDays: 0,
    requireApproval: false,
    pointsExpire: false,
    nowMs: T1,
  });
  for (let i = 0; i < 30; i++)
    award(l.db, l.householdIds[i % 6]!, i % 4 === 3 ? l.rules.minus : l.rules.plus, T1 + i * 1000);
  // The daily job on a file: verified on the ops thread (the whole ledger: no checkpoint yet), then written.
  const first = await takeCheckpoint(l.db, T1 + HOUR_MS);
  expect(first.kind).toBe("recorded");
  if (first.kind !== "recorded") throw new Error("no checkpoint");
  expect(first.walked).toBe(30);
  expect(first.checkpoint).toMatchObject({
    day: DAY1,
    seq: 30,
    head: readHead(l.db).hash,
    households: 6,
    prevHash: GENESIS_HASH,
  });
  checkpointSeq = first.checkpoint.seq;
  // The same day again: the one checkpoint stands.
  expect((await takeCheckpoint(l.db, T1 + 5 * HOUR_MS)).kind).toBe("exists");
  // After it: more awards, and a household added after the checkpoint with awards of its own.
  const late = l.db
    .query<{ id: number }, [number, number]>(
      "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, created_at_ms) VALUES (?, '新户', '', '', ?) RETURNING id",
    )
    .get(l.villageId, T1 + DAY_MS)!.id;
  for (let i = 0; i < 12; i++)
    award(l.db, i % 3 === 0 ? late : l.householdIds[i % 6]!, l.rules.plus, T1 + DAY_MS + i * 1000);
  l.db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("--since-checkpoint walks only the entries after the last checkpoint, and the full verify still walks all", () => {
  const since = cli(path, "--since-checkpoint");
  expect(since.out).toContain(`from the checkpoint of ${DAY1} (entry 30`);
  expect(since.out).toContain("12 entries after it chained, 42 in all");
  expect(since.code).toBe(0);
  const full = cli(path);
  expect(full.out).toContain("42 posted entries chained");
  expect(full.out).toContain("1 checkpoints, each on the chain");
  expect(full.code).toBe(0);
});

test("the next day's checkpoint verifies only what came after the first and links to it", async () => {
  const copy = join(dir, "next-day.db");
  copyFileSync(path, copy);
  const db = new Database(copy);
  const first = lastCheckpoint(db)!;
  const next = await takeCheckpoint(db, T1 + DAY_MS + HOUR_MS);
  expect(next.kind).toBe("recorded");
  if (next.kind !== "recorded") return;
  expect(next.walked).toBe(12);
  expect(next.checkpoint).toMatchObject({
    day: "2026-12-02",
    seq: 42,
    households: 7,
    prevHash: first.hash,
  });
  expect(next.checkpoint.hash).toBe(checkpointHash(next.checkpoint));
  db.close();
  expect(cli(copy, "--since-checkpoint").out).toContain(
    "0 entries after it chained, 42 in all; 2 checkpoints",
  );
});

test("an in-memory database takes its checkpoint in place, under the write lock", async () => {
  const l = openLedgerDb(":memory:", {
    households: 3,
    noticeDays: 0,
    requireApproval: false,
    pointsExpire: false,
    nowMs: T1,
  });
  for (let i = 0; i < 5; i++) award(l.db, l.householdIds[i % 3]!, l.rules.plus, T1 + i);
  const outcome = await takeCheckpoint(l.db, T1 + HOUR_MS);
  expect(outcome.kind).toBe("recorded");
  const check = verifySince(l.db);
  expect(check.ok).toBe(true);
  expect(check).toMatchObject({ walked: 0, entries: 5 });
  l.db.close();
});

test("an entry edited before the checkpoint is found by the full verify", () => {
  const file = tampered("before", ["UPDATE entries SET note = 'edited' WHERE seq = 7"]);
  const full = cli(file);
  expect(full.out).toContain("BROKEN at sequence 7");
  expect(full.code).toBe(1);
  // --since-checkpoint does not walk it (that is its point); a note changes no balance, so the
  // checkpoint's digest still holds. The full verify stays for this.
  expect(cli(file, "--since-checkpoint").code).toBe(0);
});

test("an entry edited after the checkpoint is found by --since-checkpoint", () => {
  const file = tampered("after", [
    `UPDATE entries SET note = 'edited' WHERE seq = ${checkpointSeq + 4}`,
  ]);
  const since = cli(file, "--since-checkpoint");
  expect(since.out).toContain(`BROKEN at sequence ${checkpointSeq + 4}`);
  expect(since.out).toContain("its contents do not match its hash");
  expect(since.code).toBe(1);
});

test("a balance changed behind the server's back is found by the checkpoint's digest", () => {
  const file = tampered("balance", ["UPDATE households SET balance = balance + 100 WHERE id = 2"]);
  const since = cli(file, "--since-checkpoint");
  expect(since.out).toContain("do not match the checkpoint's digest");
  expect(since.code).toBe(1);
});

test("a forged checkpoint that is not on the chain is refused, by --since-checkpoint and by the full verify", () => {
  const file = tampered("forged", [], (db) => {
    // Well formed and linked to the real one before it, but naming a head that is no entry's hash.
    const real = lastCheckpoint(db)!;
    insertCheckpoint(db, {
      day: "2026-12-02",
      seq: 40,
      head: "ab".repeat(32),
      households: 7,
      lastHouseholdId: real.lastHouseholdId + 1,
      balancesDigest: "cd".repeat(32),
      createdAtMs: T1 + DAY_MS,
      prevHash: real.hash,
    });
  });
  const since = cli(file, "--since-checkpoint");
  expect(since.out).toContain(
    "the checkpoint of 2026-12-02 names head abababababababab… at sequence 40",
  );
  expect(since.out).toContain("is not on the chain");
  expect(since.code).toBe(1);
  const full = cli(file);
  expect(full.out).toContain("is not on the chain");
  expect(full.code).toBe(1);
});

test("a checkpoint edited in place is refused: it no longer matches its own hash", () => {
  const file = tampered("edited-checkpoint", [
    "DROP TRIGGER chain_checkpoints_no_update",
    "UPDATE chain_checkpoints SET seq = 29",
  ]);
  const since = cli(file, "--since-checkpoint");
  expect(since.out).toContain("does not match its own hash");
  expect(since.code).toBe(1);
});

test("a chain rewritten consistently before the checkpoint passes the full verify but not the checkpoint", () => {
  const file = tampered("rewritten", [], (db) => {
    // Change entry 5's note and re-hash it and every entry after it, and the head: the chain is
    // whole again, so only a record kept outside the rows (the checkpoint, or its printout) tells.
    db.run("UPDATE entries SET note = 'rewritten' WHERE seq = 5");
    const rows = db
      .query<Record<string, ChainValue>, []>(
        `SELECT ${CHAINED_COLUMNS.join(", ")} FROM entries WHERE seq >= 5 ORDER BY seq`,
      )
      .all();
    let prev = db.query<{ hash: string }, []>("SELECT hash FROM entries WHERE seq = 4").get()!.hash;
    for (const row of rows) {
      row["prev_hash"] = prev;
      const hash = entryHash(CHAINED_COLUMNS.map((c) => row[c] ?? null));
      db.query("UPDATE entries SET prev_hash = ?, hash = ? WHERE seq = ?").run(
        prev,
        hash,
        row["seq"] as number,
      );
      prev = hash;
    }
    db.query("UPDATE ledger_head SET hash = ?").run(prev);
  });
  const full = cli(file);
  expect(full.out).toContain("is not on the chain");
  expect(full.code).toBe(1);
  const since = cli(file, "--since-checkpoint");
  expect(since.out).toContain(`the checkpoint of ${DAY1} names head`);
  expect(since.code).toBe(1);
});
