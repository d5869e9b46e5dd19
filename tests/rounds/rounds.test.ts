/**
 * Proves inspection rounds over real HTTP on a real database file with a manual clock: a round is
 * made, copied (retired rules left out and named), listed and read with its households in
 * door-plate order; cells are set by PUT (the same PUT twice is one cell, 0 clears); submitting
 * records one ledger entry per scored cell under one batch id, through the village's approval and
 * notice, with the monthly cap (a refusal names the household and rule and records nothing), and
 * the ledger's undo takes the round back. Every refused request is checked to change nothing.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { createHarness, type Harness } from "../support/harness.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";
import { DAY_MS } from "../../src/shared/clock.ts";
import { PNG_6X4 } from "../support/images.ts";

setDefaultTimeout(30_000);

let h: Harness;
afterEach(() => h.close());

const PNG = PNG_6X4;

async function setup(
  settings: { noticeDays?: number; requireApproval?: boolean } = {},
): Promise<LedgerSeed> {
  h = createHarness();
  return seedLedger(h, settings);
}

type Counts = Record<string, number>;
function counts(): Counts {
  const tables = [
    "rounds",
    "round_rules",
    "round_households",
    "round_scores",
    "entries",
    "audit_log",
  ];
  return Object.fromEntries(
    tables.map((t) => [
      t,
      h.db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${t}`).get()!.n,
    ]),
  );
}
const balance = (id: string): number =>
  h.db
    .query<{ balance: number }, [number]>("SELECT balance FROM households WHERE id = ?")
    .get(Number(id))!.balance;

async function makeRound(s: LedgerSeed, body: Record<string, unknown> = {}, cookie = s.aClerk) {
  return h.json("POST", `/api/villages/${s.villageA.id}/rounds`, {
    cookie,
    body: {
      name: "三月人居环境评比",
      day: "2026-03-01",
      ruleIds: [s.clean.id, s.litter.id],
      ...body,
    },
  });
}
const score = (
  s: LedgerSeed,
  roundId: string,
  householdId: string,
  ruleId: string,
  body: Record<string, unknown>,
  cookie = s.aClerk,
) => h.json("PUT", `/api/rounds/${roundId}/scores/${householdId}/${ruleId}`, { cookie, body });

test("a round is made for every household of the village by default, as a draft", async () => {
  const s = await setup();
  const r = await makeRound(s);
  expect(r.status).toBe(201);
  expect(r.body.round).toMatchObject({
    villageId: s.villageA.id,
    name: "三月人居环境评比",
    day: "2026-03-01",
    status: "draft",
    rules: 2,
    households: 2,
    scored: 0,
    entries: 0,
    batchId: null,
    submittedAt: null,
    createdBy: "a_clerk",
  });
  const listed = await h.json("GET", `/api/villages/${s.villageA.id}/rounds`, { cookie: s.aAdmin });
  expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([r.body.round.id]);
  const audit = h.db
    .query<{ n: number }, [string]>(
      "SELECT count(*) AS n FROM audit_log WHERE entity = 'round' AND action = 'create' AND entity_id = ?",
    )
    .get(r.body.round.id)!;
  expect(audit.n).toBe(1);
});

test("a round's households are listed in door-plate order: group, then door, as numbers; no number last", async () => {
  const s = await setup();
  const add = async (headName: string, address: string) =>
    (
      await h.json("POST", `/api/villages/${s.villageA.id}/households`, {
        cookie: s.admin,
        body: { headName, address },
      })
    ).body.household.id as string;
  const ids = [
    await add("甲", "柳溪村10组1号"),
    await add("乙", "柳溪村3组27号"),
    await add("丙", "村东头"),
    await add("丁", "柳溪村3组9号"),
    await add("戊", "柳溪村3组9号"),
  ];
  const r = await makeRound(s, { householdIds: ids });
  const detail = await h.json("GET", `/api/rounds/${r.body.round.id}`, { cookie: s.aClerk });
  expect(detail.status).toBe(200);
  expect(detail.body.round.households.map((x: { headName: string }) => x.headName)).toEqual([
    "丁",
    "戊",
    "乙",
    "甲",
    "丙",
  ]);
  expect(detail.body.round.rules.map((x: { code: string }) => x.code)).toEqual(["ENV-1", "ENV-9"]);
  expect(detail.body.round.rules[1]).toMatchObject({
    title: "乱倒垃圾",
    category: "environment",
    points: -3,
  });
});

test.each([
  ["a day in the future", { day: "2026-03-03" }, 400, "day-in-future"],
  ["a day that does not exist", { day: "2026-02-30" }, 400, "invalid-field"],
  [
    "a day further back than the village dates entries (90 days)",
    { day: "2025-12-01" },
    400,
    "too-far-back",
  ],
  ["no rules", { ruleIds: [] }, 400, "invalid-field"],
  [
    "21 rules",
    { ruleIds: Array.from({ length: 21 }, (_, i) => String(i + 1)) },
    400,
    "invalid-field",
  ],
  ["a rule twice", "twice", 400, "duplicate-ids"],
  ["an empty name", { name: "  " }, 400, "invalid-field"],
  ["an unknown field", { points: 3 }, 400, "invalid-field"],
  ["a rule of another village", "ruleB", 404, undefined],
  ["a household of another village", "hB", 404, undefined],
])("refuses a round with %s and makes nothing", async (_name, extra, status, code) => {
  const s = await setup();
  const before = counts();
  const body =
    extra === "twice"
      ? { ruleIds: [s.clean.id, s.clean.id] }
      : extra === "ruleB"
        ? { ruleIds: [s.ruleB.id] }
        : extra === "hB"
          ? { householdIds: [s.h1.id, s.hB.id] }
          : extra;
  const r = await makeRound(s, body as Record<string, unknown>);
  expect(r.status).toBe(status);
  if (code !== undefined) expect(r.body.code).toBe(code);
  expect(counts()).toEqual(before);
});

test("a retired rule cannot start a round, and a village without households has no round", async () => {
  const s = await setup();
  await h.json("PATCH", `/api/rules/${s.litter.id}`, { cookie: s.admin, body: { active: false } });
  const r = await makeRound(s);
  expect(r.status).toBe(409);
  expect(r.body).toMatchObject({ code: "rule-retired", params: { rule: "乱倒垃圾" } });
  const empty = (
    await h.json("POST", "/api/villages", { cookie: s.admin, body: { name: "新村", code: "XC" } })
  ).body.village;
  const rule = (
    await h.json("POST", `/api/villages/${empty.id}/rules`, {
      cookie: s.admin,
      body: { code: "E1", title: "庭院整洁", category: "environment", points: 2 },
    })
  ).body.rule;
  const none = await h.json("POST", `/api/villages/${empty.id}/rounds`, {
    cookie: s.admin,
    body: { name: "评比", day: "2026-03-01", ruleIds: [rule.id] },
  });
  expect(none.status).toBe(409);
  expect(none.body.code).toBe("round-no-households");
});

test("staff of another village never see or touch a round (404), and signed-out callers get 401", async () => {
  const s = await setup();
  const id = (await makeRound(s)).body.round.id;
  expect((await h.json("GET", `/api/rounds/${id}`, { cookie: s.bClerk })).status).toBe(404);
  expect((await score(s, id, s.h1.id, s.clean.id, { quantity: 1 }, s.bAdmin)).status).toBe(404);
  expect((await h.json("POST", `/api/rounds/${id}/submit`, { cookie: s.bAdmin })).status).toBe(404);
  expect((await h.json("DELETE", `/api/rounds/${id}`, { cookie: s.bAdmin })).status).toBe(404);
  expect((await h.json("GET", `/api/rounds/${id}`)).status).toBe(401);
  expect((await h.json("GET", "/api/rounds/999999", { cookie: s.aClerk })).status).toBe(404);
});

test("a cell scored twice with the same PUT is one cell; 0 clears it; the answer says who and when", async () => {
  const s = await setup();
  const id = (await makeRound(s)).body.round.id;
  const first = await score(s, id, s.h1.id, s.clean.id, { quantity: 2, note: "院子很干净" });
  expect(first.status).toBe(200);
  expect(first.body.score).toMatchObject({
    householdId: s.h1.id,
    ruleId: s.clean.id,
    quantity: 2,
    note: "院子很干净",
    evidenceId: null,
    evidenceUrl: null,
    updatedBy: "a_clerk",
  });
  const again = await score(s, id, s.h1.id, s.clean.id, { quantity: 2, note: "院子很干净" });
  expect(again.body.score).toEqual(first.body.score);
  expect(h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM round_scores").get()!.n).toBe(1);
  let detail = await h.json("GET", `/api/rounds/${id}`, { cookie: s.aClerk });
  expect(detail.body.round.scored).toBe(1);
  expect(detail.body.scores).toHaveLength(1);
  const cleared = await score(s, id, s.h1.id, s.clean.id, { quantity: 0, note: "" });
  expect(cleared.body.score).toMatchObject({ quantity: 0, note: null });
  detail = await h.json("GET", `/api/rounds/${id}`, { cookie: s.aClerk });
  expect(detail.body.round.scored).toBe(0);
  // Every write is audited, the repeated one too.
  expect(
    h.db
      .query<{ n: number }, [string]>(
        "SELECT count(*) AS n FROM audit_log WHERE entity = 'round' AND action = 'score' AND entity_id = ?",
      )
      .get(id)!.n,
  ).toBe(3);
});

test.each([
  ["quantity 11", { quantity: 11 }, 400],
  ["quantity -1", { quantity: -1 }, 400],
  ["quantity 1.5", { quantity: 1.5 }, 400],
  ["no quantity", { note: "x" }, 400],
  ["a note too long", { quantity: 1, note: "x".repeat(501) }, 400],
  ["an unknown field", { quantity: 1, points: 5 }, 400],
])("refuses a cell with %s and changes nothing", async (_name, body, status) => {
  const s = await setup();
  const id = (await makeRound(s)).body.round.id;
  const before = counts();
  const r = await score(s, id, s.h1.id, s.clean.id, body);
  expect(r.status).toBe(status);
  expect(counts()).toEqual(before);
});

test("a household or rule not in the round, or another village's photo, answers 404 naming it", async () => {
  const s = await setup();
  const id = (await makeRound(s, { householdIds: [s.h1.id], ruleIds: [s.clean.id] })).body.round.id;
  const before = counts();
  const notHousehold = await score(s, id, s.h2.id, s.clean.id, { quantity: 1 });
  expect(notHousehold.status).toBe(404);
  expect(notHousehold.body.errors).toEqual([
    { path: "params.householdId", message: expect.stringContaining("not in round") },
  ]);
  const notRule = await score(s, id, s.h1.id, s.capped.id, { quantity: 1 });
  expect(notRule.status).toBe(404);
  expect(notRule.body.errors[0].path).toBe("params.ruleId");
  const photoB = await h.json("POST", `/api/villages/${s.villageB.id}/evidence`, {
    cookie: s.bClerk,
    raw: PNG,
    contentType: "image/png",
  });
  const wrongPhoto = await score(s, id, s.h1.id, s.clean.id, {
    quantity: 1,
    evidenceId: photoB.body.id,
  });
  expect(wrongPhoto.status).toBe(404);
  expect(wrongPhoto.body.errors[0].path).toBe("body.evidenceId");
  expect(counts()).toEqual({ ...before, audit_log: before["audit_log"]! + 1 });
});

test("submitting records one entry per scored cell under one batch, as the submitter, on the round's day", async () => {
  const s = await setup();
  const id = (await makeRound(s)).body.round.id;
  const photo = await h.json("POST", `/api/villages/${s.villageA.id}/evidence`, {
    cookie: s.aClerk,
    raw: PNG,
    contentType: "image/png",
  });
  await score(s, id, s.h1.id, s.clean.id, { quantity: 2, note: "院子很干净" });
  await score(s, id, s.h2.id, s.clean.id, { quantity: 1 });
  await score(s, id, s.h2.id, s.litter.id, {
    quantity: 1,
    evidenceId: photo.body.id,
    note: "门口堆放垃圾",
  });
  await score(s, id, s.h1.id, s.litter.id, { quantity: 0 });
  const r = await h.json("POST", `/api/rounds/${id}/submit`, { cookie: s.aAdmin });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ entries: 3, points: 10 + 5 - 3 });
  expect(r.body.round).toMatchObject({
    status: "submitted",
    entries: 3,
    points: 12,
    scored: 3,
    submittedBy: "a_admin",
  });
  const batchId = r.body.round.batchId as string;
  const entries = h.db
    .query<
      {
        household_id: number;
        rule_id: number;
        points: number;
        quantity: number;
        status: string;
        occurred_on: string;
        created_by: string;
        note: string | null;
        evidence_id: number | null;
        batch_id: string;
      },
      [string]
    >("SELECT * FROM entries WHERE batch_id = ? ORDER BY id")
    .all(batchId);
  expect(entries).toHaveLength(3);
  for (const e of entries)
    expect(e).toMatchObject({
      status: "posted",
      occurred_on: "2026-03-01",
      created_by: "a_admin",
      batch_id: batchId,
    });
  expect(entries.find((e) => e.points === -3)).toMatchObject({
    evidence_id: Number(photo.body.id),
    note: "门口堆放垃圾",
  });
  expect(entries.find((e) => e.points === 10)).toMatchObject({ quantity: 2, note: "院子很干净" });
  expect(balance(s.h1.id)).toBe(10);
  expect(balance(s.h2.id)).toBe(2);
  expect((await h.json("GET", "/api/ledger/verify", { cookie: s.admin })).body.ok).toBe(true);
  // The round is closed now.
  const second = await h.json("POST", `/api/rounds/${id}/submit`, { cookie: s.aAdmin });
  expect(second.status).toBe(409);
  expect(second.body.code).toBe("round-submitted");
  const late = await score(s, id, s.h1.id, s.clean.id, { quantity: 1 });
  expect(late.status).toBe(409);
  expect(late.body.code).toBe("round-submitted");
  const del = await h.json("DELETE", `/api/rounds/${id}`, { cookie: s.aAdmin });
  expect(del.status).toBe(409);
  expect(del.body.code).toBe("round-submitted");
  // The ledger's undo takes the whole round back.
  const undo = await h.json("POST", `/api/entries/batches/${batchId}/undo`, {
    cookie: s.aAdmin,
    body: { reason: "评比录错了" },
  });
  expect(undo.status).toBe(200);
  expect(undo.body.reversed).toBe(3);
  expect(balance(s.h1.id)).toBe(0);
  expect(balance(s.h2.id)).toBe(0);
});

test("an Idempotency-Key replays the first answer of a submit; another key gets round-submitted", async () => {
  const s = await setup();
  const id = (await makeRound(s)).body.round.id;
  await score(s, id, s.h1.id, s.clean.id, { quantity: 1 });
  const headers = { "idempotency-key": "round-submit-1" };
  const first = await h.json("POST", `/api/rounds/${id}/submit`, { cookie: s.aClerk, headers });
  const replay = await h.json("POST", `/api/rounds/${id}/submit`, { cookie: s.aClerk, headers });
  expect(first.status).toBe(200);
  expect(replay.status).toBe(200);
  expect(replay.headers.get("idempotent-replayed")).toBe("true");
  expect(replay.body).toEqual(first.body);
  expect(h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM entries").get()!.n).toBe(1);
  const other = await h.json("POST", `/api/rounds/${id}/submit`, {
    cookie: s.aClerk,
    headers: { "idempotency-key": "round-submit-2" },
  });
  expect(other.status).toBe(409);
});

test("a round whose day has fallen out of the village's reach into the past is refused at submit", async () => {
  const s = await setup();
  const id = (await makeRound(s)).body.round.id;
  await score(s, id, s.h1.id, s.clean.id, { quantity: 1 });
  h.clock.advance(91 * DAY_MS);
  const clerk = await h.login("a_clerk");
  const before = counts();
  const r = await h.json("POST", `/api/rounds/${id}/submit`, { cookie: clerk });
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({ code: "too-far-back", errors: [{ path: "round.day" }] });
  expect(counts()).toEqual(before);
});

test("a round with nothing scored is refused: round-empty, and nothing is recorded", async () => {
  const s = await setup();
  const id = (await makeRound(s)).body.round.id;
  await score(s, id, s.h1.id, s.clean.id, { quantity: 0, note: "检查过" });
  const before = counts();
  const r = await h.json("POST", `/api/rounds/${id}/submit`, { cookie: s.aClerk });
  expect(r.status).toBe(409);
  expect(r.body).toMatchObject({ code: "round-empty" });
  expect(counts()).toEqual(before);
});

test("the monthly cap refuses the whole submit naming the household and rule; nothing is recorded", async () => {
  const s = await setup();
  // 参加志愿服务: 10 points, cap 20 a month. 李秀英 already has 20 in March.
  await h.json("POST", "/api/entries", {
    cookie: s.aClerk,
    body: { householdId: s.h2.id, ruleId: s.capped.id, quantity: 2 },
  });
  const id = (await makeRound(s, { ruleIds: [s.clean.id, s.capped.id] })).body.round.id;
  await score(s, id, s.h1.id, s.capped.id, { quantity: 1 });
  await score(s, id, s.h2.id, s.clean.id, { quantity: 1 });
  await score(s, id, s.h2.id, s.capped.id, { quantity: 1 });
  const before = counts();
  const r = await h.json("POST", `/api/rounds/${id}/submit`, { cookie: s.aClerk });
  expect(r.status).toBe(409);
  expect(r.body).toMatchObject({
    code: "monthly-cap",
    params: {
      rule: "参加志愿服务",
      ruleId: s.capped.id,
      household: "李秀英",
      householdId: s.h2.id,
      cap: 20,
      already: 20,
      more: 10,
      month: "2026-03",
    },
  });
  expect(r.body.errors[0].path).toBe(`scores.${s.h2.id}.${s.capped.id}`);
  expect(counts()).toEqual(before);
  expect(balance(s.h1.id)).toBe(0);
  // Clearing the cell lets the rest through.
  await score(s, id, s.h2.id, s.capped.id, { quantity: 0 });
  expect((await h.json("POST", `/api/rounds/${id}/submit`, { cookie: s.aClerk })).status).toBe(200);
  expect(balance(s.h1.id)).toBe(10);
});

test("with approval and notice, the round's entries wait; the submitter never approves them", async () => {
  const s = await setup({ requireApproval: true, noticeDays: 3 });
  const id = (await makeRound(s)).body.round.id;
  await score(s, id, s.h1.id, s.clean.id, { quantity: 1 });
  const r = await h.json("POST", `/api/rounds/${id}/submit`, { cookie: s.aAdmin });
  expect(r.status).toBe(200);
  const entry = h.db
    .query<{ id: number; status: string }, [string]>(
      "SELECT id, status FROM entries WHERE batch_id = ?",
    )
    .get(r.body.round.batchId)!;
  expect(entry.status).toBe("proposed");
  expect(
    (await h.json("POST", `/api/entries/${entry.id}/approve`, { cookie: s.aAdmin })).status,
  ).toBe(403);
  const approved = await h.json("POST", `/api/entries/${entry.id}/approve`, { cookie: s.admin });
  expect(approved.body.entry.status).toBe("in_notice");
  expect(balance(s.h1.id)).toBe(0);
});

test("with notice only, the round's entries go on notice for the village's days", async () => {
  const s = await setup({ noticeDays: 5 });
  const id = (await makeRound(s)).body.round.id;
  await score(s, id, s.h1.id, s.clean.id, { quantity: 1 });
  const r = await h.json("POST", `/api/rounds/${id}/submit`, { cookie: s.aClerk });
  const entry = h.db
    .query<{ status: string; notice_ends_at_ms: number }, [string]>(
      "SELECT status, notice_ends_at_ms FROM entries WHERE batch_id = ?",
    )
    .get(r.body.round.batchId)!;
  expect(entry).toEqual({ status: "in_notice", notice_ends_at_ms: h.clock.nowMs() + 5 * DAY_MS });
});

test("a round is copied with its households and active rules; a rule retired since is skipped and named", async () => {
  const s = await setup();
  const source = (await makeRound(s, { householdIds: [s.h2.id] })).body.round.id;
  await h.json("PATCH", `/api/rules/${s.litter.id}`, { cookie: s.admin, body: { active: false } });
  const copy = await h.json("POST", `/api/rounds/${source}/copy`, {
    cookie: s.aClerk,
    body: { name: "四月评比", day: "2026-03-02" },
  });
  expect(copy.status).toBe(201);
  expect(copy.body.round).toMatchObject({
    name: "四月评比",
    day: "2026-03-02",
    rules: 1,
    households: 1,
    status: "draft",
  });
  expect(copy.body.skippedRules).toEqual([
    { ruleId: s.litter.id, code: "ENV-9", title: "乱倒垃圾" },
  ]);
  const detail = await h.json("GET", `/api/rounds/${copy.body.round.id}`, { cookie: s.aClerk });
  expect(detail.body.round.households.map((x: { householdId: string }) => x.householdId)).toEqual([
    s.h2.id,
  ]);
  // The source keeps its retired rule: its cells can be cleared but not scored.
  const retired = await score(s, source, s.h2.id, s.litter.id, { quantity: 1 });
  expect(retired.status).toBe(409);
  expect(retired.body.code).toBe("rule-retired");
  expect((await score(s, source, s.h2.id, s.litter.id, { quantity: 0 })).status).toBe(200);
  // Every rule retired: nothing to copy.
  await h.json("PATCH", `/api/rules/${s.clean.id}`, { cookie: s.admin, body: { active: false } });
  const none = await h.json("POST", `/api/rounds/${source}/copy`, {
    cookie: s.aClerk,
    body: { name: "五月评比", day: "2026-03-02" },
  });
  expect(none.status).toBe(409);
  expect(none.body.code).toBe("round-rules-retired");
  expect(
    (
      await h.json("POST", `/api/rounds/${source}/copy`, {
        cookie: s.aClerk,
        body: { name: "x", day: "2026-04-01" },
      })
    ).status,
  ).toBe(400);
});

test("a draft is deleted with its cells; the list pages newest first", async () => {
  const s = await setup();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await makeRound(s, { name: `评比${i}` })).body.round.id);
  await score(s, ids[0]!, s.h1.id, s.clean.id, { quantity: 1 });
  const page1 = await h.json("GET", `/api/villages/${s.villageA.id}/rounds?limit=2`, {
    cookie: s.aClerk,
  });
  expect(page1.body.items.map((x: { id: string }) => x.id)).toEqual([ids[2], ids[1]]);
  const page2 = await h.json(
    "GET",
    `/api/villages/${s.villageA.id}/rounds?limit=2&cursor=${page1.body.nextCursor}`,
    { cookie: s.aClerk },
  );
  expect(page2.body).toMatchObject({ items: [{ id: ids[0], scored: 1 }], nextCursor: null });
  expect((await h.json("DELETE", `/api/rounds/${ids[0]}`, { cookie: s.aClerk })).status).toBe(204);
  expect((await h.json("GET", `/api/rounds/${ids[0]}`, { cookie: s.aClerk })).status).toBe(404);
  expect(
    h.db
      .query<{ n: number }, [number]>("SELECT count(*) AS n FROM round_scores WHERE round_id = ?")
      .get(Number(ids[0]))!.n,
  ).toBe(0);
  expect((await h.json("DELETE", `/api/rounds/${ids[0]}`, { cookie: s.aClerk })).status).toBe(404);
});
