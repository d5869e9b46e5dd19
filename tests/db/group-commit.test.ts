/**
 * Proves the group commit: use cases that arrive together share one transaction and one commit;
 * one that throws rolls back alone (its caller gets the error, the others commit), also when it
 * catches the failure of its own nested immediate(); nothing is answered before the commit; a
 * commit that cannot start rejects the whole batch and leaves nothing; and drained() waits for
 * everything queued.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, immediate } from "../../src/db/open.ts";
import { GroupCommit } from "../../src/db/group-commit.ts";

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
    const version = () =>
      watcher.query<{ data_version: number }, []>("PRAGMA data_version").get()!.data_version;
    const before = version();
    const insert = (v: number) => () => {
      db.query("INSERT INTO t (v) VALUES (?)").run(v);
      db.query("INSERT INTO t (v) VALUES (?)").run(v - 1); // the second row fails the CHECK for v = 0
      return v;
    };
    const results = await Promise.allSettled([
      group.run(insert(5)),
      group.run(insert(0)),
      group.run(insert(7)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(version() - before).toBe(1);
    expect(group.stats.groups).toBe(1);
    watcher.close();
    // The failing use case left neither of its two rows; the others left both of theirs.
    expect(
      db
        .query<{ v: number }, []>("SELECT v FROM t ORDER BY rowid")
        .all()
        .map((r) => r.v),
    ).toEqual([5, 4, 7, 6]);
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
    expect(
      db
        .query<{ v: number }, []>("SELECT v FROM t ORDER BY v")
        .all()
        .map((r) => r.v),
    ).toEqual([1, 3]);
    expect(db.inTransaction).toBe(false);
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
        // Carries on: the nested savepoint took the 5 back with the -1.
      }
      db.query("INSERT INTO t (v) VALUES (7)").run();
      return "done";
    };
    const results = await Promise.all([
      group.run(catching),
      group.run(() => db.query("INSERT INTO t (v) VALUES (8)").run().changes),
    ]);
    expect(results).toEqual(["done", 1]);
    expect(
      db
        .query<{ v: number }, []>("SELECT v FROM t ORDER BY v")
        .all()
        .map((r) => r.v),
    ).toEqual([7, 8]);
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

test(
  "drained() answers once everything queued before it has committed",
  withDb(async (db) => {
    const group = new GroupCommit(db);
    await group.drained();
    const writes = [1, 2, 3].map((v) =>
      group.run(() => db.query("INSERT INTO t (v) VALUES (?)").run(v)),
    );
    await group.drained();
    expect(db.inTransaction).toBe(false);
    expect(db.query("SELECT count(*) AS n FROM t").get()).toEqual({ n: 3 });
    await Promise.all(writes);
    // The three writes and drained()'s no-op shared one commit.
    expect(group.stats.groups).toBe(1);
  }),
);
