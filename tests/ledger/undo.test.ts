/**
 * Proves POST /api/entries/batches/:batchId/undo over real HTTP on a real database file: posted
 * entries get reversals, waiting ones are rejected with the reason, decided ones are left alone,
 * all in one transaction; an entry whose notice has ended is reversed, as the clock says it is
 * posted; a second undo is a 409 that changes nothing; who may undo (the recorder, or an
 * administrator) and whose batch (404 for another village's); the Idempotency-Key; the audit row.
 * A property runs random batches and undoes each twice at once: each entry is reversed at most
 * once, balances stay the sum of posted entries, and the chain verifies. Two OS processes undoing
 * the same batches on one file show the same across connections.
 */
import { afterEach, expect, test, setDefaultTimeout } from "bun:test";
import fc from "fast-check";
import { createHarness, type Harness } from "../support/harness.ts";
import { DAY_MS } from "../../src/shared/clock.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLedgerDb } from "../support/ledger-db.ts";
import { recordBatch } from "../../src/ledger/entry.ts";
import { systemAudit } from "../../src/audit/audit.ts";

// Each test signs six staff in with argon2id; the property runs many batches.
setDefaultTimeout(60_000);

let h: Harness;
afterEach(() => h.close());

async function setup(
  settings: { noticeDays?: number; requireApproval?: boolean } = {},
): Promise<LedgerSeed> {
  h = createHarness();
  return seedLedger(h, settings);
}
type Entry = {
  id: string;
  status: string;
  points: number;
  kind: string;
  reversesId: string | null;
  batchId: string | null;
  decidedReason: string | null;
};

const balance = (id: string): number =>
  h.db
    .query<{ balance: number }, [number]>("SELECT balance FROM households WHERE id = ?")
    .get(Number(id))!.balance;
const batch = async (s: LedgerSeed, body: Record<string, unknown>, cookie = s.aClerk) => {
  const res = await h.json("POST", "/api/entries/batch", {
    cookie,
    body: { ruleId: s.clean.id, householdIds: [s.h1.id, s.h2.id], ...body },
  });
  if (res.status !== 201)
    throw new Error(`batch failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { entries: Entry[]; batchId: string };
};
const undo = (
  batchId: string,
  cookie: string,
  body: unknown = { reason: "录错了" },
  headers: Record<string, string> = {},
) =>
  h.json("POST", `/api/entries/batches/${encodeURIComponent(batchId)}/undo`, {
    cookie,
    body,
    headers,
  });
const state = () =>
  JSON.stringify([
    h.db.query("SELECT id, status, decided_reason FROM entries ORDER BY id").all(),
    h.db.query("SELECT id, balance FROM households ORDER BY id").all(),
    h.db.query("SELECT count(*) AS n FROM audit_log").get(),
  ]);

test("undoing a posted batch reverses each entry and brings the balances back", async () => {
  const s = await setup();
  const recorded = await batch(s, { quantity: 2 });
  expect([balance(s.h1.id), balance(s.h2.id)]).toEqual([10, 10]);
  const res = await undo(recorded.batchId, s.aClerk);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ reversed: 2, withdrawn: 0 });
  expect(res.body.entries.map((e: Entry) => [e.kind, e.status, e.points, e.reversesId])).toEqual(
    recorded.entries.map((e) => ["reversal", "posted", -10, e.id]),
  );
  expect([balance(s.h1.id), balance(s.h2.id)]).toEqual([0, 0]);
  expect(verifyLedger(h.db)).toMatchObject({ ok: true, entries: 4 });
});

test("waiting entries are rejected with the reason, decided ones are left alone, an ended notice is reversed", async () => {
  const s = await setup({ noticeDays: 3 });
  const h3 = await s.household(s.villageA.id, "王德明");
  const h4 = await s.household(s.villageA.id, "赵桂兰");
  const recorded = await batch(s, { householdIds: [s.h1.id, s.h2.id, h3.id, h4.id] });
  const [inNotice, disputed, rejected, ended] = recorded.entries.map((e) => e.id) as [
    string,
    string,
    string,
    string,
  ];
  // One disputed from a resident's card, one rejected by the committee.
  const card = (await h.json("POST", `/api/households/${s.h2.id}/cards`, { cookie: s.aClerk })).body
    .token;
  expect(
    (
      await h.json("POST", `/api/public/cards/${card}/objections`, {
        body: { entryId: disputed, reason: "没有参加" },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await h.json("POST", `/api/entries/${rejected}/reject`, {
        cookie: s.aAdmin,
        body: { reason: "不符合" },
      })
    ).status,
  ).toBe(200);
  // The fourth entry's notice ends before the undo: the notice runs from its own recording time.
  h.db.run(
    `UPDATE entries SET notice_ends_at_ms = ${h.clock.nowMs() + DAY_MS} WHERE id = ${ended}`,
  );
  h.clock.advance(DAY_MS + 1);
  s.aClerk = await h.login("a_clerk");

  const res = await undo(recorded.batchId, s.aClerk, { reason: "评比弄错了" });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ reversed: 1, withdrawn: 2 });
  const byId = new Map(res.body.entries.map((e: Entry) => [e.reversesId ?? e.id, e]));
  expect(byId.get(inNotice)).toMatchObject({ status: "rejected", decidedReason: "评比弄错了" });
  expect(byId.get(disputed)).toMatchObject({ status: "rejected", decidedReason: "评比弄错了" });
  expect(byId.get(ended)).toMatchObject({ kind: "reversal", status: "posted", points: -5 });
  expect(byId.has(rejected)).toBe(false);
  expect(
    h.db.query("SELECT status, decided_reason FROM entries WHERE id = ?").get(Number(rejected)),
  ).toEqual({ status: "rejected", decided_reason: "不符合" });
  expect([balance(s.h1.id), balance(s.h2.id), balance(h3.id), balance(h4.id)]).toEqual([
    0, 0, 0, 0,
  ]);
  expect(verifyLedger(h.db).ok).toBe(true);
});

test("a second undo finds nothing left: 409, and nothing changes", async () => {
  const s = await setup();
  const recorded = await batch(s, {});
  expect((await undo(recorded.batchId, s.aClerk)).status).toBe(200);
  const before = state();
  const again = await undo(recorded.batchId, s.aAdmin);
  expect(again.status).toBe(409);
  expect(again.body.type).toEndWith("/conflict");
  expect(state()).toBe(before);
});

test("an entry of the batch reversed on its own is not reversed again", async () => {
  const s = await setup();
  const recorded = await batch(s, {});
  expect(
    (
      await h.json("POST", `/api/entries/${recorded.entries[0]!.id}/reverse`, {
        cookie: s.aAdmin,
        body: { reason: "单独更正" },
      })
    ).status,
  ).toBe(201);
  const res = await undo(recorded.batchId, s.aClerk);
  expect(res.body).toMatchObject({ reversed: 1, withdrawn: 0 });
  expect(res.body.entries[0].reversesId).toBe(recorded.entries[1]!.id);
  expect(
    h.db
      .query("SELECT count(*) AS n FROM entries WHERE reverses_id = ?")
      .get(Number(recorded.entries[0]!.id)),
  ).toEqual({ n: 1 });
  expect([balance(s.h1.id), balance(s.h2.id)]).toEqual([0, 0]);
});

test("the recorder undoes their own batch, a clerk not another's (403); administrators undo anyone's", async () => {
  const s = await setup();
  const byAdmin = await batch(s, {}, s.aAdmin);
  const before = state();
  const refused = await undo(byAdmin.batchId, s.aClerk);
  expect(refused.status).toBe(403);
  expect(refused.body.detail).toContain("a_admin");
  expect(state()).toBe(before);
  expect((await undo(byAdmin.batchId, s.aAdmin)).status).toBe(200);
  const byClerk = await batch(s, {}, s.aClerk);
  expect((await undo(byClerk.batchId, s.aAdmin)).status).toBe(200);
  const byClerk2 = await batch(s, {}, s.aClerk);
  expect((await undo(byClerk2.batchId, s.admin)).status).toBe(200);
});

test("another village's batch and an unknown one answer 404; a malformed id or reason 400; no session 401", async () => {
  const s = await setup();
  const recorded = await batch(s, {});
  const before = state();
  expect((await undo(recorded.batchId, s.bAdmin)).status).toBe(404);
  expect((await undo(recorded.batchId, s.bClerk)).status).toBe(404);
  expect((await undo(crypto.randomUUID(), s.aAdmin)).status).toBe(404);
  const malformed = await undo("expiry:1:2025", s.aAdmin);
  expect(malformed.status).toBe(400);
  expect(malformed.body.errors[0].path).toBe("params.batchId");
  for (const body of [
    {},
    { reason: "" },
    { reason: "x".repeat(501) },
    { reason: "录错了", extra: 1 },
  ]) {
    const res = await undo(recorded.batchId, s.aClerk, body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toStartWith("body");
  }
  expect(
    (
      await h.json("POST", `/api/entries/batches/${recorded.batchId}/undo`, {
        body: { reason: "录错了" },
      })
    ).status,
  ).toBe(401);
  expect(state()).toBe(before);
});

test("with an Idempotency-Key a retried undo replays its answer; another body under the key is a 422", async () => {
  const s = await setup();
  const recorded = await batch(s, {});
  const key = { "idempotency-key": "undo-1" };
  const first = await undo(recorded.batchId, s.aClerk, { reason: "录错了" }, key);
  expect(first.status).toBe(200);
  const replay = await undo(recorded.batchId, s.aClerk, { reason: "录错了" }, key);
  expect(replay.status).toBe(200);
  expect(replay.headers.get("idempotent-replayed")).toBe("true");
  expect(replay.body).toEqual(first.body);
  expect((await undo(recorded.batchId, s.aClerk, { reason: "别的理由" }, key)).status).toBe(422);
  expect(h.db.query("SELECT count(*) AS n FROM entries WHERE kind = 'reversal'").get()).toEqual({
    n: 2,
  });
});

test("an undo is audited with its reason, the reversals and the entries withdrawn", async () => {
  const s = await setup();
  const recorded = await batch(s, {});
  const res = await undo(recorded.batchId, s.aClerk, { reason: "录错了" });
  const row = h.db
    .query<{ action: string; entity_id: string; village_id: number; detail: string }, []>(
      "SELECT action, entity_id, village_id, detail FROM audit_log ORDER BY id DESC LIMIT 1",
    )
    .get()!;
  expect(row).toMatchObject({
    action: "undo_batch",
    entity_id: recorded.batchId,
    village_id: Number(s.villageA.id),
  });
  expect(JSON.parse(row.detail)).toEqual({
    reason: "录错了",
    by: "a_clerk",
    reversals: res.body.entries.map((e: Entry) => Number(e.id)),
    withdrawn: [],
  });
});

test("a claim recorded in a batch is proposed, marked as a claim, and undone by withdrawing it", async () => {
  const s = await setup();
  const recorded = await batch(s, { claim: true });
  expect(
    recorded.entries.map((e) => [e.status, (e as Entry & { isClaim: boolean }).isClaim, e.batchId]),
  ).toEqual([
    ["proposed", true, recorded.batchId],
    ["proposed", true, recorded.batchId],
  ]);
  // Another staff member approves one claim; the recorder may not.
  expect(
    (await h.json("POST", `/api/entries/${recorded.entries[0]!.id}/approve`, { cookie: s.aAdmin }))
      .body.entry.status,
  ).toBe("posted");
  const res = await undo(recorded.batchId, s.aClerk);
  expect(res.body).toMatchObject({ reversed: 1, withdrawn: 1 });
  expect([balance(s.h1.id), balance(s.h2.id)]).toEqual([0, 0]);
});

test("property: undoing a batch twice at once reverses each entry once; balances stay the sum of posted entries", async () => {
  const s = await setup();
  const extra = await Promise.all(
    ["王一", "王二", "王三", "王四"].map((name) => s.household(s.villageA.id, name)),
  );
  const households = [s.h1, s.h2, ...extra].map((x) => x.id);
  await fc.assert(
    fc.asyncProperty(
      fc.subarray(households, { minLength: 1 }),
      fc.constantFrom(
        { noticeDays: 0, requireApproval: false },
        { noticeDays: 2, requireApproval: false },
        { noticeDays: 0, requireApproval: true },
      ),
      fc.integer({ min: 1, max: 5 }),
      fc.boolean(),
      async (members, settings, quantity, sameCaller) => {
        expect(
          (
            await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
              cookie: s.admin,
              body: settings,
            })
          ).status,
        ).toBe(200);
        const recorded = await batch(s, {
          householdIds: members,
          quantity,
          ruleId: quantity % 2 === 0 ? s.litter.id : s.clean.id,
        });
        const [a, b] = await Promise.all([
          undo(recorded.batchId, s.aClerk),
          undo(recorded.batchId, sameCaller ? s.aClerk : s.aAdmin),
        ]);
        expect([a.status, b.status].sort()).toEqual([200, 409]);
        const winner = a.status === 200 ? a : b;
        expect(winner.body.reversed + winner.body.withdrawn).toBe(members.length);
        const reversals = h.db
          .query<{ reverses_id: number; n: number }, [string]>(
            "SELECT r.reverses_id, count(*) AS n FROM entries r JOIN entries o ON o.id = r.reverses_id WHERE o.batch_id = ? GROUP BY r.reverses_id",
          )
          .all(recorded.batchId);
        for (const r of reversals) expect(r.n).toBe(1);
        const left = h.db
          .query<{ n: number }, [string]>(
            "SELECT count(*) AS n FROM entries WHERE batch_id = ? AND status IN ('proposed', 'in_notice', 'disputed')",
          )
          .get(recorded.batchId)!;
        expect(left.n).toBe(0);
      },
    ),
    { numRuns: 25, seed: 20261124 },
  );
  const sums = h.db
    .query<{ id: number; balance: number; posted: number }, []>(
      "SELECT h.id, h.balance, coalesce((SELECT sum(points) FROM entries e WHERE e.household_id = h.id AND e.status = 'posted'), 0) AS posted FROM households h",
    )
    .all();
  for (const row of sums) expect(row.balance).toBe(row.posted);
  for (const id of households) expect(balance(id)).toBe(0);
  expect(verifyLedger(h.db).ok).toBe(true);
});

test("two processes undoing the same batches at once reverse each entry once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "jifen-undo-"));
  try {
    const path = join(dir, "ledger.db");
    const nowMs = Date.now();
    const l = openLedgerDb(path, {
      households: 4,
      noticeDays: 0,
      requireApproval: false,
      pointsExpire: false,
      nowMs,
    });
    const batchIds = Array.from({ length: 40 }, (_, i) => {
      const result = recordBatch(
        l.db,
        systemAudit(nowMs),
        { username: "clerk" },
        { ruleId: i % 2 === 0 ? l.rules.plus : l.rules.minus, householdIds: l.householdIds },
      );
      if (!result.ok) throw new Error(result.detail);
      return result.value[0]!.batch_id as string;
    });
    const startAtMs = Date.now() + 700;
    const spawn = () =>
      Bun.spawn(
        [
          process.execPath,
          join(import.meta.dir, "undo-process.ts"),
          path,
          String(startAtMs),
          ...batchIds,
        ],
        { stdout: "pipe", stderr: "pipe" },
      );
    const outputs = await Promise.all(
      [spawn(), spawn()].map(async (p) => ({
        code: await p.exited,
        out: await new Response(p.stdout).text(),
        err: await new Response(p.stderr).text(),
      })),
    );
    for (const o of outputs) expect(o.code, o.err).toBe(0);
    const [first, second] = outputs.map(
      (o) => JSON.parse(o.out) as { ok: boolean; reversed?: number; reason?: string }[],
    ) as [
      { ok: boolean; reversed?: number; reason?: string }[],
      { ok: boolean; reversed?: number; reason?: string }[],
    ];
    for (let i = 0; i < batchIds.length; i++) {
      // Exactly one of the two undid each batch, whole; the other found nothing left.
      expect([first[i]!.ok, second[i]!.ok].filter(Boolean).length).toBe(1);
      expect((first[i]!.ok ? first[i] : second[i])!.reversed).toBe(l.householdIds.length);
      expect((first[i]!.ok ? second[i] : first[i])!.reason).toBe("conflict");
    }
    const doubled = l.db
      .query<{ n: number }, []>(
        "SELECT count(*) AS n FROM (SELECT reverses_id FROM entries WHERE kind = 'reversal' GROUP BY reverses_id HAVING count(*) > 1)",
      )
      .get()!;
    expect(doubled.n).toBe(0);
    expect(l.db.query("SELECT count(*) AS n FROM entries WHERE kind = 'reversal'").get()).toEqual({
      n: batchIds.length * l.householdIds.length,
    });
    for (const row of l.db.query<{ balance: number }, []>("SELECT balance FROM households").all())
      expect(row.balance).toBe(0);
    expect(verifyLedger(l.db).ok).toBe(true);
    l.db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
