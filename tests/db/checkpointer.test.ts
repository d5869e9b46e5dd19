/**
 * Proves the checkpoint thread: the group commit's commits never checkpoint the WAL themselves
 * below the fallback size; after enough commits the thread copies the WAL into the database file
 * on its own connection; data stays intact; a database file that is gone is answered as a failure
 * without a word or a crash; an in-memory database has no checkpointer.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { GroupCommit, walSyncerFor } from "../../src/db/group-commit.ts";
import { Checkpointer, checkpointerFor, CHECKPOINT_EVERY_COMMITS, FALLBACK_AUTOCHECKPOINT_PAGES } from "../../src/db/checkpointer.ts";

function withFile(fn: (path: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "jifen-ckpt-"));
    try {
      await fn(join(dir, "c.db"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Frames in the WAL and how many of them are in the database file, asked of a second connection. */
function walState(path: string): { log: number; checkpointed: number } {
  const other = openDatabase(path);
  // A PASSIVE checkpoint with nothing to copy changes nothing and reports the WAL's state.
  const row = other.query<{ log: number; checkpointed: number }, []>("PRAGMA wal_checkpoint(PASSIVE)").get()!;
  other.close();
  return row;
}

const PAGE_BYTES = 4096;
const ROW_BYTES = 3 * PAGE_BYTES;

test(
  "the group commit's commits never checkpoint the WAL themselves below the fallback size",
  withFile(async (path) => {
    const db = openDatabase(path);
    db.run("CREATE TABLE t (v BLOB NOT NULL) STRICT");
    // A checkpointer that never asks: whatever gets checkpointed, the commits did it.
    const group = new GroupCommit(db, 64, walSyncerFor(db), checkpointerFor(db, Number.POSITIVE_INFINITY));
    expect(db.query<{ wal_autocheckpoint: number }, []>("PRAGMA wal_autocheckpoint").get()!.wal_autocheckpoint).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
    // Past SQLite's default of 1,000 pages, one commit at a time: with the default, a commit would
    // have checkpointed and the WAL would have started over.
    const commits = 400;
    for (let i = 0; i < commits; i++) await group.run(() => db.query("INSERT INTO t (v) VALUES (randomblob(?))").run(ROW_BYTES));
    const state = walState(path);
    expect(state.log).toBeGreaterThanOrEqual(commits * 3);
    expect(group.checkpointer!.stats.requested).toBe(0);
    db.close();
  }),
);

test(
  "after every CHECKPOINT_EVERY_COMMITS commits the thread copies the WAL into the database file",
  withFile(async (path) => {
    const db = openDatabase(path);
    db.run("CREATE TABLE t (v BLOB NOT NULL) STRICT");
    const group = new GroupCommit(db);
    expect(group.checkpointer).not.toBeNull();
    const commits = CHECKPOINT_EVERY_COMMITS * 3;
    for (let i = 0; i < commits; i++) await group.run(() => db.query("INSERT INTO t (v) VALUES (randomblob(?))").run(ROW_BYTES));
    await group.checkpointer!.idle();
    expect(group.checkpointer!.stats).toMatchObject({ requested: 3, done: 3, failed: 0, last: { ok: true } });
    // Everything committed is in the database file: the WAL has nothing left to copy.
    const state = walState(path);
    expect(state.checkpointed).toBe(state.log);
    expect(db.query("SELECT count(*) AS n, sum(length(v)) AS bytes FROM t").get()).toEqual({ n: commits, bytes: commits * ROW_BYTES });
    expect(db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    db.close();
  }),
);

test(
  "a database file that is gone is answered as a failure, quietly, and the next request is served",
  withFile(async (path) => {
    const checkpointer = new Checkpointer(path, 1);
    const original = console.error;
    const said: unknown[] = [];
    console.error = (...args: unknown[]) => said.push(args);
    try {
      checkpointer.committed();
      await checkpointer.idle();
      expect(checkpointer.stats).toMatchObject({ requested: 1, done: 0, failed: 1, last: { ok: false } });
      checkpointer.committed();
      await checkpointer.idle();
      expect(checkpointer.stats).toMatchObject({ requested: 2, failed: 2 });
      expect(said).toEqual([]);
    } finally {
      console.error = original;
    }
  }),
);

test("an in-memory database has no checkpointer and keeps its own settings", () => {
  const memory = openDatabase(":memory:");
  expect(checkpointerFor(memory)).toBeNull();
  memory.close();
});
