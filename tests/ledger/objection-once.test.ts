/**
 * Proves that one card objects to one entry once (issue 20, finding 10): a second objection from
 * the same card, through the API or the resident page's form, is refused (409 already-objected)
 * and stores nothing, while another household's card may still object to the same entry. The
 * database's trigger holds the rule for any writer that skips the use case.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { createHarness, type Harness } from "../support/harness.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";

let h: Harness;
let s: LedgerSeed;
let entryId: string;
let cardToken: string;
beforeEach(async () => {
  h = createHarness();
  s = await seedLedger(h, { noticeDays: 3 });
  entryId = (
    await h.json("POST", "/api/entries", {
      cookie: s.aClerk,
      body: { householdId: s.h1.id, ruleId: s.clean.id },
    })
  ).body.entry.id;
  cardToken = (await h.json("POST", `/api/households/${s.h2.id}/cards`, { cookie: s.aClerk })).body
    .token;
});
afterEach(() => h.close());

const object = (token: string, reason: string) =>
  h.json("POST", `/api/public/cards/${token}/objections`, { body: { entryId, reason } });
const objections = () =>
  h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM objections").get()!.n;

test("a card's second objection to the same entry is refused with 409 already-objected and stores nothing", async () => {
  expect((await object(cardToken, "那天他不在村里")).status).toBe(201);
  const again = await object(cardToken, "我再说一遍");
  expect(again.status).toBe(409);
  expect(again.body.code).toBe("already-objected");
  expect(objections()).toBe(1);
});

test("the resident page's form refuses the second objection too", async () => {
  expect((await object(cardToken, "那天他不在村里")).status).toBe(201);
  const page = await h.request("POST", `/c/${cardToken}/objections`, {
    raw: new URLSearchParams({ entryId, reason: "再一次" }).toString(),
    contentType: "application/x-www-form-urlencoded",
  });
  expect(page.status).toBe(409);
  expect(objections()).toBe(1);
});

test("another household's card may still object to the disputed entry", async () => {
  const other = (await h.json("POST", `/api/households/${s.h1.id}/cards`, { cookie: s.aClerk }))
    .body.token;
  expect((await object(cardToken, "那天他不在村里")).status).toBe(201);
  expect((await object(other, "我也有异议")).status).toBe(201);
  expect(objections()).toBe(2);
});

test("the database refuses a repeated objection from a writer that skips the use case", async () => {
  expect((await object(cardToken, "那天他不在村里")).status).toBe(201);
  const row = h.db
    .query<{ entry_id: number; village_id: number; card_id: number }, []>(
      "SELECT entry_id, village_id, card_id FROM objections",
    )
    .get()!;
  expect(() =>
    h.db
      .query(
        "INSERT INTO objections (entry_id, village_id, card_id, reason, created_at_ms) VALUES (?, ?, ?, 'x', 0)",
      )
      .run(row.entry_id, row.village_id, row.card_id),
  ).toThrow(/already objected/);
});
