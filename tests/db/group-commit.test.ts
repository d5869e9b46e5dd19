/**
 * Proves the group commit: use cases that arrive together share one transaction and one commit;
 * one that throws rolls back alone (its caller gets the error, the others commit); nothing is
 * answered before the commit; and a failed commit rejects the whole batch and leaves nothing. On
 * a WAL file the batch commits with synchronous=NORMAL and nobody is answered before the fsync of
 * the WAL that follows (a syncer the test releases by hand shows the order); batches committed
 * while an fsync runs wait for the next one; a few waiting writes wait for the running fsync,
 * many commit at once; a failed fsync refuses its writes and every later one.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, immediate } from "../../src/db/open.ts";
import { GroupCommit, walSyncerFor, type WalSyncer } from "../../src/db/group-commit.ts";

function withDb(fn: (db: ReturnType<typeof openDatabase>) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "jifen-gc-"));
    const db = openDatabase(join(dir, "g.db"));
    db.run("CREATE TABLE t (v INTEGER NOT NULL CHECK (v >= 0)) STRICT");
    try {
      await fn(db);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  "runs use cases that arrive together in one commit, each all-or-nothing",
  withDb(async (db) => {
    const group = new GroupCommit(db);
    // Another connection's data_version moves once for each commit made by this one.
    const watcher = openDatabase(db.filename);
    const version = () => watcher.query<{ data_version: number }, []>("PRAGMA data_version").get()!.data_version;
    const before = version();
    const insert = (v: number) => () => {
      db.query("INSERT INTO t (v) VALUES (?)").run(v);
      db.query("INSERT INTO t (v) VALUES (?)").run(v - 1); // the second row fails the CHECK for v = 0
      return v;
    };
    const results = await Promise.allSettled([group.run(insert(5)), group.run(insert(0)), group.run(insert(7))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(version() - before).toBe(1);
    expect(group.stats.groups).toBe(1);
    watcher.close();
    // The failing use case left neither of its two rows; the others left both of theirs.
    expect(db.query<{ v: number }, []>("SELECT v FROM t ORDER BY rowid").all().map((r) => r.v)).toEqual([5, 4, 7, 6]);
  }),
);

test(
  "nested immediate() inside a batched use case becomes a savepoint and still rolls back alone",
  withDb(async (db) => {
    const group = new GroupCommit(db);
    const useCase = (v: number) => () =>
      immediate(db, () => {
        db.query("INSERT INTO t (v) VALUES (?)").run(v);
        if (v === 2) throw new Error("refused");
        return v;
      });
    const results = await Promise.allSettled([1, 2, 3].map((v) => group.run(useCase(v))));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(db.query<{ v: number }, []>("SELECT v FROM t ORDER BY v").all().map((r) => r.v)).toEqual([1, 3]);
    expect(db.inTransaction).toBe(false);
  }),
);

test(
  "a batch where nothing throws runs once, without savepoints; one where something throws runs again with them",
  withDb(async (db) => {
    const group = new GroupCommit(db);
    await Promise.all([1, 2, 3].map((v) => group.run(() => immediate(db, () => db.query("INSERT INTO t (v) VALUES (?)").run(v)))));
    expect(group.stats).toMatchObject({ groups: 1, rerun: 0 });
    const results = await Promise.allSettled([
      group.run(() => db.query("INSERT INTO t (v) VALUES (4)").run()),
      group.run(() => {
        throw new Error("refused");
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(group.stats).toMatchObject({ groups: 2, rerun: 1 });
    // The use case before the one that threw ran twice (once rolled back), and left one row.
    expect(db.query<{ v: number }, []>("SELECT v FROM t ORDER BY v").all().map((r) => r.v)).toEqual([1, 2, 3, 4]);
  }),
);

test(
  "a use case that catches the failure of its own nested immediate() keeps none of its inner writes",
  withDb(async (db) => {
    const group = new GroupCommit(db);
    const catching = () => {
      try {
        immediate(db, () => {
          db.query("INSERT INTO t (v) VALUES (5)").run();
          db.query("INSERT INTO t (v) VALUES (-1)").run(); // fails the CHECK
        });
      } catch {
        // Carries on: without a savepoint the 5 would stay; the batch must run again with one.
      }
      db.query("INSERT INTO t (v) VALUES (7)").run();
      return "done";
    };
    const results = await Promise.all([group.run(catching), group.run(() => db.query("INSERT INTO t (v) VALUES (8)").run().changes)]);
    expect(results).toEqual(["done", 1]);
    expect(group.stats.rerun).toBe(1);
    expect(db.query<{ v: number }, []>("SELECT v FROM t ORDER BY v").all().map((r) => r.v)).toEqual([7, 8]);
  }),
);

test(
  "answers no caller before the commit is done",
  withDb(async (db) => {
    const group = new GroupCommit(db);
    let answeredInsideTransaction = false;
    const pending = group.run(() => db.query("INSERT INTO t (v) VALUES (1)").run());
    await pending.then(() => {
      answeredInsideTransaction = db.inTransaction;
    });
    expect(answeredInsideTransaction).toBe(false);
    expect(db.query("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1 });
  }),
);

test(
  "a commit that cannot start rejects the whole batch and writes nothing",
  withDb(async (db) => {
    const group = new GroupCommit(db);
    db.run("BEGIN"); // someone else's transaction is open on this connection: BEGIN IMMEDIATE fails
    const results = await Promise.allSettled([group.run(() => 1), group.run(() => 2)]);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(db.inTransaction).toBe(false);
  }),
);

/** A WAL fsync that the test completes by hand, to see what is answered before and after it. */
function manualSync() {
  const calls: Array<(error: Error | null) => void> = [];
  const syncWal: WalSyncer = (done) => calls.push(done);
  return { calls, syncWal };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 5));
const synchronousOf = (db: ReturnType<typeof openDatabase>) => db.query<{ synchronous: number }, []>("PRAGMA synchronous").get()!.synchronous;

test(
  "on a WAL file answers nobody until the WAL's fsync after the commit is done",
  withDb(async (db) => {
    const sync = manualSync();
    const group = new GroupCommit(db, 64, sync.syncWal);
    let answered = false;
    const pending = group.run(() => db.query("INSERT INTO t (v) VALUES (1)").run()).then(() => (answered = true));
    await turn();
    // Committed (this connection reads it) but not known to be on disk: not answered yet.
    expect(db.query("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1 });
    expect(sync.calls).toHaveLength(1);
    expect(answered).toBe(false);
    // The batch committed with NORMAL; the connection is FULL again for every other writer.
    expect(synchronousOf(db)).toBe(2);
    sync.calls[0]!(null);
    await pending;
    expect(answered).toBe(true);
  }),
);

test(
  "while an fsync runs the writes wait for it, and a full batch commits at once and waits for the next",
  withDb(async (db) => {
    const sync = manualSync();
    // A batch holds at most BATCH writes: the first, then BATCH - 1 more fill the one held open.
    const BATCH = 8;
    const group = new GroupCommit(db, BATCH, sync.syncWal);
    const answered: number[] = [];
    const write = (v: number) => group.run(() => db.query("INSERT INTO t (v) VALUES (?)").run(v)).then(() => answered.push(v));
    const first = write(1);
    await turn();
    expect(sync.calls).toHaveLength(1);
    // Fewer than a full batch arrive during the fsync: they run, in a transaction left open, and
    // wait uncommitted (this connection sees them; another does not).
    const other = openDatabase(db.filename);
    const committed = () => other.query("SELECT count(*) AS n FROM t").get();
    const few = Array.from({ length: BATCH - 1 }, (_, i) => write(100 + i));
    await turn();
    expect(db.query("SELECT count(*) AS n FROM t").get()).toEqual({ n: BATCH });
    expect(committed()).toEqual({ n: 1 });
    // One more fills the batch: they all commit now, but their fsync waits for the running one.
    const more = write(200);
    await turn();
    expect(committed()).toEqual({ n: 1 + BATCH });
    other.close();
    expect(sync.calls).toHaveLength(1);
    expect(answered).toEqual([]);
    // The first fsync began before they were written, so it answers only the first write.
    sync.calls[0]!(null);
    await first;
    await turn();
    expect(answered).toEqual([1]);
    expect(sync.calls).toHaveLength(2);
    sync.calls[1]!(null);
    await Promise.all([...few, more]);
    expect(answered.length).toBe(1 + BATCH);
    expect(group.stats).toMatchObject({ jobs: 1 + BATCH, groups: 2, syncs: 2 });
  }),
);

test(
  "a batch left open during an fsync commits when the fsync ends, or at once before a plain immediate()",
  withDb(async (db) => {
    const sync = manualSync();
    const group = new GroupCommit(db, 64, sync.syncWal);
    const other = openDatabase(db.filename);
    const committed = () => other.query<{ v: number }, []>("SELECT v FROM t ORDER BY v").all().map((r) => r.v);
    const answered: number[] = [];
    const write = (v: number) => group.run(() => db.query("INSERT INTO t (v) VALUES (?)").run(v)).then(() => answered.push(v));
    const first = write(1);
    await turn();
    const held = write(2);
    await turn();
    expect(committed()).toEqual([1]);
    // Another write on the connection commits the open batch first: its own transaction stays its own.
    immediate(db, () => db.query("INSERT INTO t (v) VALUES (3)").run());
    expect(committed()).toEqual([1, 2, 3]);
    expect(db.inTransaction).toBe(false);
    // The batch's caller still waits for an fsync that began after its commit.
    sync.calls[0]!(null);
    await first;
    await turn();
    expect(answered).toEqual([1]);
    sync.calls[1]!(null);
    await held;
    // With nothing else arriving, a held batch commits when the running fsync ends.
    const next = write(4);
    await turn();
    const late = write(5);
    await turn();
    expect(committed()).toEqual([1, 2, 3, 4]);
    sync.calls[2]!(null);
    await next;
    await turn();
    expect(committed()).toEqual([1, 2, 3, 4, 5]);
    sync.calls[3]!(null);
    await late;
    expect(answered).toEqual([1, 2, 4, 5]);
    other.close();
  }),
);

test(
  "a failed fsync refuses the writes waiting for it and every later one",
  withDb(async (db) => {
    const sync = manualSync();
    const group = new GroupCommit(db, 64, sync.syncWal);
    const original = console.error;
    console.error = () => {};
    try {
      const waiting = group.run(() => db.query("INSERT INTO t (v) VALUES (1)").run());
      await turn();
      const queued = group.run(() => db.query("INSERT INTO t (v) VALUES (2)").run());
      sync.calls[0]!(new Error("EIO"));
      await expect(waiting).rejects.toThrow("fsync of the write-ahead log failed");
      await expect(queued).rejects.toThrow("fsync of the write-ahead log failed");
      await expect(group.run(() => 3)).rejects.toThrow("refused until the server is restarted");
      // The one queued behind the failed fsync was never committed.
      expect(db.query("SELECT count(*) AS n FROM t WHERE v = 2").get()).toEqual({ n: 0 });
    } finally {
      console.error = original;
    }
  }),
);

test(
  "the real syncer fsyncs the file's WAL; an in-memory database commits with FULL instead",
  withDb(async (db) => {
    expect(walSyncerFor(db)).not.toBeNull();
    const group = new GroupCommit(db);
    expect(await group.run(() => db.query("INSERT INTO t (v) VALUES (9)").run().changes)).toBe(1);
    expect(group.stats).toMatchObject({ jobs: 1, groups: 1, syncs: 1 });
    const memory = openDatabase(":memory:");
    expect(walSyncerFor(memory)).toBeNull();
    memory.close();
  }),
);
