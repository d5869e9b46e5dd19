/**
 * Proves group commit keeps each award its own use case: many awards sent at once over the app
 * are committed in shared transactions, a refused one (past the monthly cap, or an assertion)
 * rolls back alone and answers its refusal, every accepted one is posted exactly once, and the
 * chain verifies.
 */
import { expect, setDefaultTimeout, test } from "bun:test";
import { createHarness } from "../support/harness.ts";
import { GroupCommit, groupCommitFor } from "../../src/db/group-commit.ts";
import { seedLedger } from "../support/ledger-fixtures.ts";

setDefaultTimeout(30_000);

test("awards sent together commit together, and a refused one changes nothing of the others", async () => {
  const h = createHarness();
  try {
    const s = await seedLedger(h);
    const before = groupCommitFor(h.db).stats.groups;
    // The capped rule allows 20 points (2 awards of 10) per household per month: 6 sent, 2 fit.
    const capped = Array.from({ length: 6 }, () =>
      h.json("POST", "/api/entries", {
        cookie: s.aClerk,
        body: { householdId: s.h2.id, ruleId: s.capped.id },
      }),
    );
    const plain = Array.from({ length: 30 }, () =>
      h.json("POST", "/api/entries", {
        cookie: s.aClerk,
        body: { householdId: s.h1.id, ruleId: s.clean.id },
      }),
    );
    const results = await Promise.all([...capped, ...plain]);
    expect(
      results
        .slice(0, 6)
        .map((r) => r.status)
        .sort(),
    ).toEqual([201, 201, 409, 409, 409, 409]);
    expect(results.slice(6).every((r) => r.status === 201)).toBe(true);
    const { groups, jobs } = groupCommitFor(h.db).stats;
    expect(jobs).toBeGreaterThanOrEqual(36);
    expect(groups - before).toBeLessThan(36);
    const balance = (id: string) =>
      h.db
        .query<{ balance: number }, [number]>("SELECT balance FROM households WHERE id = ?")
        .get(Number(id))!.balance;
    expect(balance(s.h1.id)).toBe(150);
    expect(balance(s.h2.id)).toBe(20);
    const seqs = h.db
      .query<{ seq: number }, []>("SELECT seq FROM entries WHERE status = 'posted' ORDER BY seq")
      .all()
      .map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect((await h.json("GET", "/api/ledger/verify", { cookie: s.admin })).body).toMatchObject({
      ok: true,
      entries: 32,
    });
  } finally {
    h.close();
  }
});

test("a job that throws rolls back alone and its caller sees the error", async () => {
  const h = createHarness();
  try {
    h.db.run("CREATE TABLE t (v INTEGER NOT NULL)");
    const committer = new GroupCommit(h.db);
    const insert = (v: number) => () => h.db.run("INSERT INTO t (v) VALUES (?)", [v]);
    const results = await Promise.allSettled([
      committer.run(insert(1)),
      committer.run(() => {
        h.db.run("INSERT INTO t (v) VALUES (2)");
        throw new Error("broken job");
      }),
      committer.run(insert(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(
      h.db
        .query<{ v: number }, []>("SELECT v FROM t ORDER BY v")
        .all()
        .map((r) => r.v),
    ).toEqual([1, 3]);
    expect(committer.stats).toMatchObject({ jobs: 3, groups: 1 });
  } finally {
    h.close();
  }
});
