/**
 * Proves the defences against card-number guessing at a kiosk (issue 20, finding 4): a device
 * that misses 30 cards in a minute waits (429 card-guessing with Retry-After, a real card too)
 * and the burst is an audit row staff find (card_guessing); a village may require the household's
 * PIN for a sale whose card was typed as its number (requirePinForNumber): missing → 403
 * pin-required, wrong → 403 wrong-pin (counted like a miss), none set → 409 pin-not-set; a scanned
 * card needs none. Households get a hashed PIN through PUT and DELETE /api/households/:id/pin.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { balanceOf, freshMarket, type MarketWorld } from "../support/market-fixture.ts";
import { CARD_MISSES_MAX } from "../../src/market/card-guard.ts";
import { luhnCheckDigit } from "../../src/villages/card-number.ts";
import { SECOND_MS } from "../../src/shared/clock.ts";

let h: Harness;
let w: MarketWorld;
beforeEach(async () => {
  ({ h, w } = await freshMarket());
});
afterEach(() => h.close());

/** A valid card number (its Luhn digit right) that no card has. */
function unusedNumber(i: number): string {
  const payload = String(2_000_000 + i);
  return payload + String(luhnCheckDigit(payload));
}
const read = (code: string, token = w.kioskA) =>
  h.json("GET", `/api/kiosk/cards/${encodeURIComponent(code)}`, { token });
let keySeq = 0;
const sell = (body: Record<string, unknown>, token = w.kioskA, key = `guess-${++keySeq}`) =>
  h.json("POST", "/api/redemptions", {
    token,
    headers: { "idempotency-key": key },
    body: { items: [{ goodsId: w.soap.id, quantity: 1 }], ...body },
  });
const auditRows = (action: string) =>
  h.db
    .query<{ n: number }, [string]>("SELECT count(*) AS n FROM audit_log WHERE action = ?")
    .get(action)!.n;

test("a kiosk that misses 30 cards in a minute waits with 429 and Retry-After, a real card too; a minute later it reads again", async () => {
  for (let i = 0; i < CARD_MISSES_MAX; i++) expect((await read(unusedNumber(i))).status).toBe(404);
  const blocked = await read(w.card.number);
  expect(blocked.status).toBe(429);
  expect(blocked.body.code).toBe("card-guessing");
  const retryS = Number(blocked.headers.get("retry-after"));
  expect(retryS).toBeGreaterThan(0);
  expect(retryS).toBeLessThanOrEqual(60);
  // Sales on that device wait too.
  expect((await sell({ cardToken: w.card.token })).status).toBe(429);
  h.clock.advance(retryS * SECOND_MS);
  expect((await read(w.card.number)).status).toBe(200);
});

test("the burst is one audit row the village admin finds by its action", async () => {
  for (let i = 0; i < CARD_MISSES_MAX + 5; i++) await read(unusedNumber(i));
  expect(auditRows("card_guessing")).toBe(1);
  const found = await h.json("GET", `/api/audit?villageId=${w.A}&action=card_guessing`, {
    cookie: w.aAdmin,
  });
  expect(found.status).toBe(200);
  expect(found.body.items).toHaveLength(1);
  expect(found.body.items[0]).toMatchObject({
    action: "card_guessing",
    actorKind: "kiosk",
    entity: "kiosk",
    detail: { misses: 30, windowSeconds: 60 },
  });
});

test("misses at one kiosk do not hold back another, nor do a few typos", async () => {
  for (let i = 0; i < CARD_MISSES_MAX; i++) await read(unusedNumber(i));
  const other = (
    await h.json("POST", `/api/villages/${w.A}/kiosks`, {
      cookie: w.aAdmin,
      body: { name: "二号机" },
    })
  ).body.token;
  expect((await read(w.card.number, other)).status).toBe(200);
  for (let i = 0; i < CARD_MISSES_MAX - 1; i++)
    expect((await read("1234 5678", other)).status).toBe(404);
  expect((await read(w.card.number, other)).status).toBe(200);
});

test("a card of another village is a miss like any other", async () => {
  for (let i = 0; i < CARD_MISSES_MAX; i++) expect((await read(w.cardB.number)).status).toBe(404);
  expect((await read(w.card.number)).status).toBe(429);
});

test("a sale on an unknown card number counts as a miss", async () => {
  for (let i = 0; i < CARD_MISSES_MAX; i++)
    expect((await sell({ cardToken: unusedNumber(i) })).status).toBe(404);
  expect((await read(w.card.number)).status).toBe(429);
});

test("households get a hashed PIN: PUT sets it, DELETE removes it, hasPin says so, the audit never holds it", async () => {
  const url = `/api/households/${w.household.id}/pin`;
  expect(
    (await h.json("GET", `/api/households/${w.household.id}`, { cookie: w.aClerk })).body.hasPin,
  ).toBe(false);
  expect((await h.json("PUT", url, { cookie: w.aClerk, body: { pin: "482913" } })).status).toBe(
    204,
  );
  expect(
    (await h.json("GET", `/api/households/${w.household.id}`, { cookie: w.aClerk })).body.hasPin,
  ).toBe(true);
  const stored = h.db
    .query<{ pin_hash: string }, [number]>("SELECT pin_hash FROM households WHERE id = ?")
    .get(Number(w.household.id))!.pin_hash;
  expect(stored).toStartWith("$argon2id$");
  expect(
    JSON.stringify(h.db.query("SELECT * FROM audit_log WHERE action = 'set_pin'").all()),
  ).not.toContain("482913");
  expect((await h.json("DELETE", url, { cookie: w.aClerk })).status).toBe(204);
  expect(
    (await h.json("GET", `/api/households/${w.household.id}`, { cookie: w.aClerk })).body.hasPin,
  ).toBe(false);
  expect(auditRows("clear_pin")).toBe(1);
});

test.each(["123", "1234567", "12a4", ""])("a PIN %p is refused with 400", async (pin) => {
  expect(
    (
      await h.json("PUT", `/api/households/${w.household.id}/pin`, {
        cookie: w.aClerk,
        body: { pin },
      })
    ).status,
  ).toBe(400);
});

test("staff of another village cannot set a household's PIN", async () => {
  expect(
    (
      await h.json("PUT", `/api/households/${w.household.id}/pin`, {
        cookie: w.bAdmin,
        body: { pin: "2580" },
      })
    ).status,
  ).toBe(404);
});

test("with requirePinForNumber, a sale on a typed number needs the household's PIN; a scanned card needs none", async () => {
  expect(
    (
      await h.json("PATCH", `/api/villages/${w.A}`, {
        cookie: w.aAdmin,
        body: { requirePinForNumber: true },
      })
    ).status,
  ).toBe(200);
  expect((await read(w.card.number)).body.pinRequired).toBe(true);
  expect((await read(w.card.token)).body.pinRequired).toBe(false);

  const notSet = await sell({ cardToken: w.card.number, pin: "2580" });
  expect(notSet.status).toBe(409);
  expect(notSet.body.code).toBe("pin-not-set");

  expect(
    (
      await h.json("PUT", `/api/households/${w.household.id}/pin`, {
        cookie: w.aClerk,
        body: { pin: "2580" },
      })
    ).status,
  ).toBe(204);
  const missing = await sell({ cardToken: w.card.number });
  expect(missing.status).toBe(403);
  expect(missing.body.code).toBe("pin-required");
  const wrong = await sell({ cardToken: w.card.number, pin: "1111" });
  expect(wrong.status).toBe(403);
  expect(wrong.body.code).toBe("wrong-pin");
  expect(balanceOf(h.db, w.household.id)).toBe(100);

  const right = await sell({ cardToken: w.card.number, pin: "2580" }, w.kioskA, "right-pin");
  expect(right.status).toBe(201);
  expect(balanceOf(h.db, w.household.id)).toBe(95);
  // A retry of the same sale without the PIN (a kiosk reloaded) gets the first answer, charged once.
  const replay = await sell({ cardToken: w.card.number }, w.kioskA, "right-pin");
  expect(replay.status).toBe(201);
  expect(replay.body.id).toBe(right.body.id);
  expect(balanceOf(h.db, w.household.id)).toBe(95);

  expect((await sell({ cardToken: w.card.token })).status).toBe(201);
});

test("wrong PINs count like misses: 30 of them hold the kiosk back", async () => {
  await h.json("PATCH", `/api/villages/${w.A}`, {
    cookie: w.aAdmin,
    body: { requirePinForNumber: true },
  });
  await h.json("PUT", `/api/households/${w.household.id}/pin`, {
    cookie: w.aClerk,
    body: { pin: "2580" },
  });
  for (let i = 0; i < CARD_MISSES_MAX; i++)
    expect((await sell({ cardToken: w.card.number, pin: String(1000 + i) })).body.code).toBe(
      "wrong-pin",
    );
  expect((await sell({ cardToken: w.card.number, pin: "2580" })).status).toBe(429);
  expect(balanceOf(h.db, w.household.id)).toBe(100);
});

test("without requirePinForNumber (the default) a typed number sells as before", async () => {
  expect((await read(w.card.number)).body.pinRequired).toBe(false);
  expect((await sell({ cardToken: w.card.number })).status).toBe(201);
});
