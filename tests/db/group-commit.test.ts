/**
 * Proves the group commit: use cases that arrive together share one transaction and one commit;
 * one that throws rolls back alone (its caller gets the error, the others commit); nothing is
 * answered before the commit; and a failed commit rejects the whole batch and leaves nothing.
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
    let commits = 0;
    const originalRun = db.run.bind(db);
    db.run = ((sql: string, ...rest: unknown[]) => {
      if (sql === "COMMIT") commits++;
      return (originalRun as (s: string, ...r: unknown[]) => unknown)(sql, ...rest);
    }) as typeof db.run;
    const insert = (v: number) => () => {
      db.query("INSERT INTO t (v) VALUES (?)").run(v);
      db.query("INSERT INTO t (v) VALUES (?)").run(v - 1); // the second row fails the CHECK for v = 0
      return v;
    };
    const results = await Promise.allSettled([group.run(insert(5)), group.run(insert(0)), group.run(insert(7))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(commits).toBe(1);
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
