/**
 * Proves the life of an entry over real HTTP on a real database file with a manual clock:
 * recording (posted at once, proposed or on notice by the village's settings), the monthly cap,
 * batches that are all or none, four-eyes approval, rejection, objections from a card, the
 * committee's decision, posting when the notice ends, and reversal once. Each refused request is
 * checked to change nothing (balance and chain unchanged), and none answers 500.
 */
import { afterEach, expect, test, setDefaultTimeout } from "bun:test";
import { createHarness, type Harness } from "../support/harness.ts";
import { DAY_MS, HOUR_MS } from "../../src/shared/clock.ts";
import { postDueEntries } from "../../src/ledger/posting.ts";
import { PUBLIC_OBJECTIONS_PER_MINUTE } from "../../src/ledger/objection-limit.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";

// Each test signs six staff in with argon2id; on a loaded two-core machine that alone can pass 5 s.
setDefaultTimeout(30_000);

let h: Harness;
afterEach(() => h.close());

async function setup(
  settings: { noticeDays?: number; requireApproval?: boolean } = {},
): Promise<LedgerSeed> {
  h = createHarness();
  return seedLedger(h, settings);
}
// Read from the database: the manual clock moves days ahead, past the sessions' idle timeout.
const balance = async (_s: LedgerSeed, id: string): Promise<number> =>
  h.db
    .query<{ balance: number }, [number]>("SELECT balance FROM households WHERE id = ?")
    .get(Number(id))!.balance;
/** Staff sign in again after the clock has moved past the session timeout. */
const relogin = async (s: LedgerSeed): Promise<void> => {
  s.admin = await h.login("admin");
  s.aAdmin = await h.login("a_admin");
  s.aClerk = await h.login("a_clerk");
};
const verifyOk = async (s: LedgerSeed): Promise<boolean> =>
  (await h.json("GET", "/api/ledger/verify", { cookie: s.admin })).body.ok;
const record = (s: LedgerSeed, body: Record<string, unknown>, cookie = s.aClerk) =>
  h.json("POST", "/api/entries", { cookie, body });

test("an award is posted at once when the village has no notice and no approval", async () => {
  const s = await setup();
  const r = await record(s, {
    householdId: s.h1.id,
    ruleId: s.clean.id,
    quantity: 3,
    memberId: s.h1.members.find((m) => m.name === "张小明")!.id,
    note: "打扫",
  });
  expect(r.status).toBe(201);
  expect(r.body.entry).toMatchObject({
    kind: "award",
    status: "posted",
    points: 15,
    balanceAfter: 15,
    occurredOn: "2026-03-02",
    createdBy: "a_clerk",
  });
  const d = await record(s, { householdId: s.h1.id, ruleId: s.litter.id, quantity: 10 });
  expect(d.body.entry).toMatchObject({ kind: "deduction", points: -30, balanceAfter: -15 });
  expect(await balance(s, s.h1.id)).toBe(-15);
  expect(await verifyOk(s)).toBe(true);
});

test.each([
  ["a future day", { occurredOn: "2026-03-03" }, 400],
  ["a day that does not exist", { occurredOn: "2026-02-30" }, 400],
  ["quantity zero", { quantity: 0 }, 400],
  ["quantity too large", { quantity: 1001 }, 400],
  ["a member of another household", { memberId: "999" }, 400],
  ["an unknown field", { points: 100 }, 400],
  ["a note too long", { note: "x".repeat(501) }, 400],
])("refuses an entry with %s and changes nothing", async (_name, extra, status) => {
  const s = await setup();
  const r = await record(s, { householdId: s.h1.id, ruleId: s.clean.id, ...extra });
  expect(r.status).toBe(status);
  expect(r.body.type).toEndWith("validation");
  expect(await balance(s, s.h1.id)).toBe(0);
  expect(
    (await h.json("GET", `/api/households/${s.h1.id}/entries`, { cookie: s.aClerk })).body.items,
  ).toHaveLength(0);
});

test("a day in the past is accepted, and today is counted in Beijing time", async () => {
  const s = await setup();
  // 2026-03-02 10:00 Beijing is 02:00 UTC; at 17:00 UTC it is already the 3rd in Beijing.
  h.clock.advance(15 * HOUR_MS);
  await relogin(s);
  const r = await record(s, { householdId: s.h1.id, ruleId: s.clean.id });
  expect(r.body.entry.occurredOn).toBe("2026-03-03");
  expect(
    (await record(s, { householdId: s.h1.id, ruleId: s.clean.id, occurredOn: "2025-12-31" }))
      .status,
  ).toBe(201);
});

test("a rule or household of another village answers 404", async () => {
  const s = await setup();
  expect((await record(s, { householdId: s.h1.id, ruleId: s.ruleB.id })).status).toBe(404);
  expect((await record(s, { householdId: s.hB.id, ruleId: s.clean.id })).status).toBe(404);
  expect((await record(s, { householdId: "99999", ruleId: s.clean.id })).status).toBe(404);
  expect(
    (await h.json("POST", "/api/entries", { body: { householdId: s.h1.id, ruleId: s.clean.id } }))
      .status,
  ).toBe(401);
});

test("the monthly cap refuses the entry past it with 409 naming the cap, and reversal frees it", async () => {
  const s = await setup();
  const first = await record(s, { householdId: s.h1.id, ruleId: s.capped.id, quantity: 2 });
  expect(first.status).toBe(201);
  const over = await record(s, { householdId: s.h1.id, ruleId: s.capped.id });
  expect(over.status).toBe(409);
  expect(over.body.detail).toContain("monthly cap of 20 points");
  // Another household, and another month, have their own room.
  expect((await record(s, { householdId: s.h2.id, ruleId: s.capped.id, quantity: 2 })).status).toBe(
    201,
  );
  expect(
    (await record(s, { householdId: s.h1.id, ruleId: s.capped.id, occurredOn: "2026-02-10" }))
      .status,
  ).toBe(201);
  expect(
    (
      await h.json("POST", `/api/entries/${first.body.entry.id}/reverse`, {
        cookie: s.aAdmin,
        body: { reason: "记错了" },
      })
    ).status,
  ).toBe(201);
  expect((await record(s, { householdId: s.h1.id, ruleId: s.capped.id })).status).toBe(201);
  expect(await balance(s, s.h1.id)).toBe(20);
});

test("a batch records every household or none", async () => {
  const s = await setup();
  const ok = await h.json("POST", "/api/entries/batch", {
    cookie: s.aClerk,
    body: { ruleId: s.clean.id, householdIds: [s.h1.id, s.h2.id], note: "周六大扫除" },
  });
  expect(ok.status).toBe(201);
  expect(ok.body.entries).toHaveLength(2);
  expect(new Set(ok.body.entries.map((e: { batchId: string }) => e.batchId)).size).toBe(1);
  const mixed = await h.json("POST", "/api/entries/batch", {
    cookie: s.aClerk,
    body: { ruleId: s.clean.id, householdIds: [s.h1.id, s.hB.id] },
  });
  expect(mixed.status).toBe(404);
  const twice = await h.json("POST", "/api/entries/batch", {
    cookie: s.aClerk,
    body: { ruleId: s.clean.id, householdIds: [s.h1.id, s.h1.id] },
  });
  expect(twice.status).toBe(400);
  // The capped rule passes its cap for the second household only: nobody gets anything.
  await record(s, { householdId: s.h2.id, ruleId: s.capped.id, quantity: 2 });
  const capped = await h.json("POST", "/api/entries/batch", {
    cookie: s.aClerk,
    body: { ruleId: s.capped.id, householdIds: [s.h1.id, s.h2.id] },
  });
  expect(capped.status).toBe(409);
  // Said in a form a page can put in its own words, beside the field it is about.
  expect(capped.body).toMatchObject({
    code: "monthly-cap",
    params: { rule: "参加志愿服务", household: "李秀英", cap: 20, already: 20, more: 10 },
    errors: [{ path: "body.householdIds" }],
  });
  expect(await balance(s, s.h1.id)).toBe(5);
  expect(await balance(s, s.h2.id)).toBe(25);
  expect(
    (
      await h.json("POST", "/api/entries/batch", {
        cookie: s.bClerk,
        body: { ruleId: s.clean.id, householdIds: [s.h1.id] },
      })
    ).status,
  ).toBe(404);
  expect(
    (
      await h.json("POST", "/api/entries/batch", {
        cookie: s.aClerk,
        body: { ruleId: s.clean.id, householdIds: [] },
      })
    ).status,
  ).toBe(400);
});

test("with approval required an entry is proposed, never approved by its recorder, then posted", async () => {
  const s = await setup({ requireApproval: true });
  const r = await record(s, { householdId: s.h1.id, ruleId: s.clean.id }, s.aAdmin);
  expect(r.body.entry.status).toBe("proposed");
  expect(await balance(s, s.h1.id)).toBe(0);
  const self = await h.json("POST", `/api/entries/${r.body.entry.id}/approve`, {
    cookie: s.aAdmin,
  });
  expect(self.status).toBe(403);
  expect(
    (await h.json("POST", `/api/entries/${r.body.entry.id}/approve`, { cookie: s.aClerk })).status,
  ).toBe(403);
  expect(
    (await h.json("POST", `/api/entries/${r.body.entry.id}/approve`, { cookie: s.bAdmin })).status,
  ).toBe(404);
  const approved = await h.json("POST", `/api/entries/${r.body.entry.id}/approve`, {
    cookie: s.admin,
  });
  expect(approved.status).toBe(200);
  // Shown by the display name; the stored username stays on the entry and in its hash.
  expect(approved.body.entry).toMatchObject({
    status: "posted",
    approvedBy: "镇管理员",
    balanceAfter: 5,
  });
  expect(
    (await h.json("POST", `/api/entries/${r.body.entry.id}/approve`, { cookie: s.admin })).status,
  ).toBe(409);
  expect(await verifyOk(s)).toBe(true);
});

test("a claim is proposed even in a village without approval, and a rejection keeps it out", async () => {
  const s = await setup();
  const claim = await record(s, { householdId: s.h1.id, ruleId: s.clean.id, claim: true });
  expect(claim.body.entry).toMatchObject({ status: "proposed", isClaim: true });
  const queue = await h.json("GET", `/api/villages/${s.villageA.id}/entries?status=proposed`, {
    cookie: s.aAdmin,
  });
  expect(queue.body.items.map((e: { id: string }) => e.id)).toEqual([claim.body.entry.id]);
  expect(
    (
      await h.json("POST", `/api/entries/${claim.body.entry.id}/reject`, {
        cookie: s.aAdmin,
        body: {},
      })
    ).status,
  ).toBe(400);
  const rejected = await h.json("POST", `/api/entries/${claim.body.entry.id}/reject`, {
    cookie: s.aAdmin,
    body: { reason: "无人证明" },
  });
  expect(rejected.body.entry).toMatchObject({ status: "rejected", decidedReason: "无人证明" });
  expect(
    (await h.json("POST", `/api/entries/${claim.body.entry.id}/approve`, { cookie: s.aAdmin }))
      .status,
  ).toBe(409);
  expect(await balance(s, s.h1.id)).toBe(0);
});

test("an entry on notice is posted when its notice ends, once, by postDueEntries", async () => {
  const s = await setup({ noticeDays: 3 });
  const r = await record(s, { householdId: s.h1.id, ruleId: s.clean.id });
  expect(r.body.entry.status).toBe("in_notice");
  expect(r.body.entry.noticeEndsAt).toBe(new Date(h.clock.nowMs() + 3 * DAY_MS).toISOString());
  h.clock.advance(3 * DAY_MS - 1);
  expect(postDueEntries(h.db, h.clock.nowMs())).toBe(0);
  expect(await balance(s, s.h1.id)).toBe(0);
  h.clock.advance(1);
  expect(postDueEntries(h.db, h.clock.nowMs())).toBe(1);
  expect(postDueEntries(h.db, h.clock.nowMs())).toBe(0);
  expect(await balance(s, s.h1.id)).toBe(5);
  await relogin(s);
  expect(await verifyOk(s)).toBe(true);
});

test("reading a household's history posts what is due first", async () => {
  const s = await setup({ noticeDays: 1 });
  await record(s, { householdId: s.h1.id, ruleId: s.clean.id });
  h.clock.advance(DAY_MS);
  await relogin(s);
  const page = await h.json("GET", `/api/households/${s.h1.id}/entries`, { cookie: s.aClerk });
  expect(page.body.items[0]).toMatchObject({ status: "posted", balanceAfter: 5 });
});

test("an objection from a card of the village holds the entry until the committee decides", async () => {
  const s = await setup({ noticeDays: 2 });
  const card = (await h.json("POST", `/api/households/${s.h2.id}/cards`, { cookie: s.aClerk }))
    .body;
  const cardB = (await h.json("POST", `/api/households/${s.hB.id}/cards`, { cookie: s.bClerk }))
    .body;
  const e1 = (await record(s, { householdId: s.h1.id, ruleId: s.clean.id })).body.entry;
  const e2 = (await record(s, { householdId: s.h1.id, ruleId: s.clean.id, quantity: 2 })).body
    .entry;

  expect(
    (
      await h.json("POST", `/api/public/cards/${cardB.token}/objections`, {
        body: { entryId: e1.id, reason: "不实" },
      })
    ).status,
  ).toBe(404);
  expect(
    (
      await h.json("POST", `/api/public/cards/nonsense-token/objections`, {
        body: { entryId: e1.id, reason: "不实" },
      })
    ).status,
  ).toBe(404);
  expect(
    (
      await h.json("POST", `/api/public/cards/${card.token}/objections`, {
        body: { entryId: e1.id },
      })
    ).status,
  ).toBe(400);
  const o = await h.json("POST", `/api/public/cards/${card.token}/objections`, {
    body: { entryId: e1.id, reason: "那天他不在村里" },
  });
  expect(o.status).toBe(201);
  expect(o.body.status).toBe("disputed");
  await h.json("POST", `/api/public/cards/${card.token}/objections`, {
    body: { entryId: e2.id, reason: "不实" },
  });

  h.clock.advance(5 * DAY_MS);
  expect(postDueEntries(h.db, h.clock.nowMs())).toBe(0);
  expect(await balance(s, s.h1.id)).toBe(0);
  await relogin(s);
  expect(
    (
      await h.json("POST", `/api/entries/${e1.id}/resolve`, {
        cookie: s.aAdmin,
        body: { decision: "maybe", reason: "x" },
      })
    ).status,
  ).toBe(400);
  const upheld = await h.json("POST", `/api/entries/${e1.id}/resolve`, {
    cookie: s.aAdmin,
    body: { decision: "uphold", reason: "有照片为证" },
  });
  expect(upheld.body.entry).toMatchObject({
    status: "posted",
    balanceAfter: 5,
    decidedReason: "有照片为证",
  });
  const revoked = await h.json("POST", `/api/entries/${e2.id}/resolve`, {
    cookie: s.aAdmin,
    body: { decision: "revoke", reason: "查实不符" },
  });
  expect(revoked.body.entry.status).toBe("revoked");
  expect(
    (
      await h.json("POST", `/api/entries/${e2.id}/resolve`, {
        cookie: s.aAdmin,
        body: { decision: "uphold", reason: "x" },
      })
    ).status,
  ).toBe(409);
  // The notice is over: objecting now is too late.
  expect(
    (
      await h.json("POST", `/api/public/cards/${card.token}/objections`, {
        body: { entryId: e1.id, reason: "不实" },
      })
    ).status,
  ).toBe(409);
  expect(await balance(s, s.h1.id)).toBe(5);
});

test("the resident page shows a form under each entry on notice, and an objection sent from it holds the entry", async () => {
  const s = await setup({ noticeDays: 2 });
  const card = (await h.json("POST", `/api/households/${s.h2.id}/cards`, { cookie: s.aClerk }))
    .body;
  const e1 = (await record(s, { householdId: s.h1.id, ruleId: s.clean.id })).body.entry;
  const e2 = (await record(s, { householdId: s.h1.id, ruleId: s.clean.id })).body.entry;
  const page = await (await h.request("GET", `/c/${card.token}`)).text();
  expect(page).toContain(`action="/c/${card.token}/objections"`);
  expect(page).toContain(`name="entryId" value="${e1.id}"`);
  const send = (form: Record<string, string>, token = card.token) =>
    h.request("POST", `/c/${token}/objections`, {
      raw: new URLSearchParams(form).toString(),
      contentType: "application/x-www-form-urlencoded",
    });

  // Refusals answer the page again with a message, and change nothing.
  const empty = await send({ entryId: e1.id, reason: "   " });
  expect(empty.status).toBe(400);
  expect(await empty.text()).toContain("请写明理由");
  expect((await send({ entryId: "999999", reason: "不实" })).status).toBe(404);
  expect(
    (
      await h.request("POST", `/c/${card.token}/objections`, {
        raw: JSON.stringify({ entryId: e1.id, reason: "x" }),
        contentType: "application/json",
      })
    ).status,
  ).toBe(400);
  // Hostile forms: unknown fields, a non-id, a huge body, bytes that are not UTF-8, an unknown card.
  expect((await send({ entryId: e1.id, reason: "不实", extra: "1" })).status).toBe(400);
  expect((await send({ entryId: "1e3", reason: "不实" })).status).toBe(400);
  expect((await send({ entryId: e1.id, reason: "长".repeat(5000) })).status).toBe(400);
  expect(
    (
      await h.request("POST", `/c/${card.token}/objections`, {
        raw: new Uint8Array([0x65, 0x6e, 0x74, 0x72, 0x79, 0x49, 0x64, 0x3d, 0xff, 0xfe]),
        contentType: "application/x-www-form-urlencoded",
      })
    ).status,
  ).toBe(400);
  expect((await send({ entryId: e1.id, reason: "不实" }, "A".repeat(22))).status).toBe(404);
  expect((await send({ entryId: e1.id, reason: "不实" }, "x".repeat(300))).status).toBe(404);
  expect(
    (await h.json("GET", `/api/households/${s.h1.id}/entries`, { cookie: s.aClerk })).body.items[0]
      .status,
  ).toBe("in_notice");

  // Sent: back to the page (303), which says so and shows the entry as objected to.
  const sent = await send({ entryId: e1.id, reason: "那天他不在村里" });
  expect(sent.status).toBe(303);
  expect(sent.headers.get("location")).toBe(`/c/${card.token}?objected=${e1.id}`);
  const after = await (await h.request("GET", sent.headers.get("location")!)).text();
  expect(after).toContain("异议已提交");
  expect(after).toContain("有异议，待村委会复核");
  const stored = h.db
    .query<{ reason: string; status: string }, [number]>(
      "SELECT o.reason, e.status FROM objections o JOIN entries e ON e.id = o.entry_id WHERE e.id = ?",
    )
    .get(Number(e1.id));
  expect(stored).toEqual({ reason: "那天他不在村里", status: "disputed" });

  // After its notice, an entry nobody objected to is posted: too late, and the page says so (409).
  h.clock.advance(3 * DAY_MS);
  const late = await send({ entryId: e2.id, reason: "还是不对" });
  expect(late.status).toBe(409);
  expect(await late.text()).toContain("不能再提异议");
});

test("objections from the page and from the API share one limit per address", async () => {
  const s = await setup({ noticeDays: 2 });
  const card = (await h.json("POST", `/api/households/${s.h2.id}/cards`, { cookie: s.aClerk }))
    .body;
  const e1 = (await record(s, { householdId: s.h1.id, ruleId: s.clean.id })).body.entry;
  for (let i = 0; i < PUBLIC_OBJECTIONS_PER_MINUTE; i++) {
    // A card objects to an entry once: each try of the limit is about an entry of its own.
    const entry =
      i === 0 ? e1 : (await record(s, { householdId: s.h1.id, ruleId: s.clean.id })).body.entry;
    expect(
      (
        await h.json("POST", `/api/public/cards/${card.token}/objections`, {
          body: { entryId: entry.id, reason: `理由${i}` },
        })
      ).status,
    ).toBe(201);
  }
  const page = await h.request("POST", `/c/${card.token}/objections`, {
    raw: new URLSearchParams({ entryId: e1.id, reason: "再一次" }).toString(),
    contentType: "application/x-www-form-urlencoded",
  });
  expect(page.status).toBe(429);
  expect(await page.text()).toContain("提交太频繁");
});

test("an objection that arrives after the notice ended is refused even before the scheduler runs", async () => {
  const s = await setup({ noticeDays: 1 });
  const card = (await h.json("POST", `/api/households/${s.h2.id}/cards`, { cookie: s.aClerk }))
    .body;
  const e = (await record(s, { householdId: s.h1.id, ruleId: s.clean.id })).body.entry;
  h.clock.advance(DAY_MS);
  expect(
    (
      await h.json("POST", `/api/public/cards/${card.token}/objections`, {
        body: { entryId: e.id, reason: "迟到的异议" },
      })
    ).status,
  ).toBe(409);
  expect(postDueEntries(h.db, h.clock.nowMs())).toBe(1);
  expect(await balance(s, s.h1.id)).toBe(5);
});

test("objections are rate-limited per address", async () => {
  const s = await setup({ noticeDays: 2 });
  const card = (await h.json("POST", `/api/households/${s.h2.id}/cards`, { cookie: s.aClerk }))
    .body;
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++)
    statuses.push(
      (
        await h.json("POST", `/api/public/cards/${card.token}/objections`, {
          body: { entryId: "424242", reason: "x" },
        })
      ).status,
    );
  expect(statuses.slice(0, 10).every((x) => x === 404)).toBe(true);
  expect(statuses[11]).toBe(429);
});

test("a posted entry is reversed once; a second reversal, a pending entry and a redemption are refused", async () => {
  const s = await setup();
  const e = (await record(s, { householdId: s.h1.id, ruleId: s.clean.id, quantity: 4 })).body.entry;
  expect(
    (
      await h.json("POST", `/api/entries/${e.id}/reverse`, {
        cookie: s.aClerk,
        body: { reason: "x" },
      })
    ).status,
  ).toBe(403);
  const rev = await h.json("POST", `/api/entries/${e.id}/reverse`, {
    cookie: s.aAdmin,
    body: { reason: "录错户" },
  });
  expect(rev.status).toBe(201);
  expect(rev.body.entry).toMatchObject({
    kind: "reversal",
    points: -20,
    reversesId: e.id,
    status: "posted",
    balanceAfter: 0,
  });
  const second = await h.json("POST", `/api/entries/${e.id}/reverse`, {
    cookie: s.aAdmin,
    body: { reason: "again" },
  });
  expect(second.status).toBe(409);
  expect(second.body.detail).toContain("already reversed");
  expect(
    (
      await h.json("POST", `/api/entries/${rev.body.entry.id}/reverse`, {
        cookie: s.aAdmin,
        body: { reason: "undo" },
      })
    ).status,
  ).toBe(409);
  const history = (await h.json("GET", `/api/households/${s.h1.id}/entries`, { cookie: s.aClerk }))
    .body.items;
  expect(history.find((x: { id: string }) => x.id === e.id).reversedById).toBe(rev.body.entry.id);

  await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
    cookie: s.admin,
    body: { requireApproval: true },
  });
  const pending = (await record(s, { householdId: s.h1.id, ruleId: s.clean.id })).body.entry;
  expect(
    (
      await h.json("POST", `/api/entries/${pending.id}/reverse`, {
        cookie: s.aAdmin,
        body: { reason: "x" },
      })
    ).status,
  ).toBe(409);

  // A redemption written the way the supermarket writes it.
  const { insertEntry, postEntry } = await import("../../src/ledger/entry-store.ts");
  const id = h.db
    .transaction(() => {
      const newId = insertEntry(h.db, {
        villageId: Number(s.villageA.id),
        householdId: Number(s.h2.id),
        memberId: null,
        ruleId: null,
        kind: "redemption",
        status: "proposed",
        points: -1,
        quantity: 1,
        ruleCode: null,
        ruleTitle: null,
        category: null,
        note: null,
        occurredOn: "2026-03-02",
        reversesId: null,
        redemptionId: 1,
        batchId: null,
        createdAtMs: h.clock.nowMs(),
        createdBy: "kiosk:1",
        approvedBy: null,
        approvedAtMs: null,
        noticeEndsAtMs: null,
      });
      postEntry(h.db, newId, h.clock.nowMs());
      return newId;
    })
    .immediate();
  const redemption = await h.json("POST", `/api/entries/${id}/reverse`, {
    cookie: s.aAdmin,
    body: { reason: "x" },
  });
  expect(redemption.status).toBe(409);
  expect(redemption.body.detail).toContain("void it at the supermarket");
  expect(await verifyOk(s)).toBe(true);
});

test("history pages newest first with a cursor and shows who recorded and approved", async () => {
  const s = await setup({ requireApproval: true });
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const e = (await record(s, { householdId: s.h1.id, ruleId: s.clean.id })).body.entry;
    await h.json("POST", `/api/entries/${e.id}/approve`, { cookie: s.aAdmin });
    ids.push(e.id);
  }
  const first = await h.json("GET", `/api/households/${s.h1.id}/entries?limit=2`, {
    cookie: s.aClerk,
  });
  expect(first.body.items.map((e: { id: string }) => e.id)).toEqual([ids[4], ids[3]]);
  expect(first.body.items[0]).toMatchObject({
    createdBy: "a_clerk",
    approvedBy: "a_admin",
    balanceAfter: 25,
    ruleTitle: "庭院整洁",
    category: "environment",
  });
  const second = await h.json(
    "GET",
    `/api/households/${s.h1.id}/entries?limit=2&cursor=${first.body.nextCursor}`,
    { cookie: s.aClerk },
  );
  expect(second.body.items.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
  const third = await h.json(
    "GET",
    `/api/households/${s.h1.id}/entries?limit=2&cursor=${second.body.nextCursor}`,
    { cookie: s.aClerk },
  );
  expect(third.body.items.map((e: { id: string }) => e.id)).toEqual([ids[0]]);
  expect(third.body.nextCursor).toBeNull();
  expect(
    (await h.json("GET", `/api/households/${s.h1.id}/entries?limit=0`, { cookie: s.aClerk }))
      .status,
  ).toBe(400);
  expect(
    (await h.json("GET", `/api/households/${s.h1.id}/entries?cursor=!!`, { cookie: s.aClerk }))
      .status,
  ).toBe(400);
  expect(
    (await h.json("GET", `/api/households/${s.h1.id}/entries`, { cookie: s.bClerk })).status,
  ).toBe(404);
  expect(
    (
      await h.json("GET", `/api/villages/${s.villageA.id}/entries?status=bogus`, {
        cookie: s.aClerk,
      })
    ).status,
  ).toBe(400);
});
