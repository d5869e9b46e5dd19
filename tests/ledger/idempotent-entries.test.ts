/**
 * Proves that an award or a batch sent with an Idempotency-Key counts once however often it is
 * sent: a retry after a lost answer replays the first 201 byte for byte and records nothing; the
 * key with another body is refused (422) with nothing written; a refusal is not kept, so the same
 * key is judged afresh; a malformed key is a 400; two copies in flight at once record one entry.
 * Without the header an award behaves as before. Real HTTP through the app, real database file.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { createHarness, type Harness } from "../support/harness.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";

// Each test signs six staff in with argon2id; on a loaded two-core machine that alone can pass 5 s.
setDefaultTimeout(30_000);

let h: Harness;
afterEach(() => h.close());

async function setup(): Promise<LedgerSeed> {
  h = createHarness();
  return seedLedger(h);
}

const count = (): number =>
  h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM entries").get()!.n;
const balance = (id: string): number =>
  h.db
    .query<{ balance: number }, [number]>("SELECT balance FROM households WHERE id = ?")
    .get(Number(id))!.balance;
const send = (path: string, cookie: string, body: unknown, key?: string) =>
  h.request("POST", path, {
    cookie,
    body,
    headers: key === undefined ? {} : { "idempotency-key": key },
  });

test("an award retried with its Idempotency-Key after a lost answer is recorded once and answered the same", async () => {
  const s = await setup();
  const body = { householdId: s.h1.id, ruleId: s.clean.id, quantity: 2 };
  const first = await send("/api/entries", s.aClerk, body, "award-2026-03-02-0001");
  expect(first.status).toBe(201);
  const firstText = await first.text();
  // The clerk's tablet never saw that answer and sends the award again with the same key.
  const again = await send("/api/entries", s.aClerk, body, "award-2026-03-02-0001");
  expect(again.status).toBe(201);
  expect(again.headers.get("idempotent-replayed")).toBe("true");
  expect(await again.text()).toBe(firstText);
  expect(count()).toBe(1);
  expect(balance(s.h1.id)).toBe(10);
  expect((await h.json("GET", "/api/ledger/verify", { cookie: s.admin })).body).toMatchObject({
    ok: true,
    entries: 1,
  });
});

test("the same key with another award is refused with 422 and records nothing", async () => {
  const s = await setup();
  expect(
    (await send("/api/entries", s.aClerk, { householdId: s.h1.id, ruleId: s.clean.id }, "k-1"))
      .status,
  ).toBe(201);
  const other = await h.json("POST", "/api/entries", {
    cookie: s.aClerk,
    body: { householdId: s.h2.id, ruleId: s.clean.id },
    headers: { "idempotency-key": "k-1" },
  });
  expect(other.status).toBe(422);
  expect(other.body.type).toContain("idempotency-key-reused");
  expect(count()).toBe(1);
  expect(balance(s.h2.id)).toBe(0);
});

test("a key belongs to its caller: another clerk's award under the same key is recorded", async () => {
  const s = await setup();
  const body = { householdId: s.h1.id, ruleId: s.clean.id };
  expect((await send("/api/entries", s.aClerk, body, "shared-key")).status).toBe(201);
  const byAdmin = await send("/api/entries", s.aAdmin, body, "shared-key");
  expect(byAdmin.status).toBe(201);
  expect(byAdmin.headers.get("idempotent-replayed")).toBeNull();
  expect(count()).toBe(2);
});

test("a refused award is not kept under its key: once the reason is gone, the same key records it", async () => {
  const s = await setup();
  // The capped rule gives 10 a time, at most 20 a month: a quantity of 3 passes the cap.
  const over = await send(
    "/api/entries",
    s.aClerk,
    { householdId: s.h1.id, ruleId: s.capped.id, quantity: 3 },
    "cap-key",
  );
  expect(over.status).toBe(409);
  expect(count()).toBe(0);
  const within = await send(
    "/api/entries",
    s.aClerk,
    { householdId: s.h1.id, ruleId: s.capped.id, quantity: 3 },
    "cap-key",
  );
  expect(within.status).toBe(409);
  expect(within.headers.get("idempotent-replayed")).toBeNull();
  const fits = await send(
    "/api/entries",
    s.aClerk,
    { householdId: s.h1.id, ruleId: s.capped.id, quantity: 2 },
    "cap-key",
  );
  expect(fits.status).toBe(201);
  expect(balance(s.h1.id)).toBe(20);
});

test.each([
  ["an empty key", ""],
  ["a key with a space", "two words"],
  ["a key of 256 characters", "k".repeat(256)],
  ["a key with a non-ASCII character", "café"],
])("%s is a 400 problem and records nothing", async (_name, key) => {
  const s = await setup();
  const res = await h.json("POST", "/api/entries", {
    cookie: s.aClerk,
    body: { householdId: s.h1.id, ruleId: s.clean.id },
    headers: { "idempotency-key": key },
  });
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(JSON.stringify(res.body.errors)).toContain("Idempotency-Key");
  expect(count()).toBe(0);
});

test("two copies of one keyed award in flight at once record one entry", async () => {
  const s = await setup();
  const body = { householdId: s.h1.id, ruleId: s.clean.id };
  const answers = await Promise.all(
    Array.from({ length: 5 }, () => send("/api/entries", s.aClerk, body, "double-tap")),
  );
  const statuses = answers.map((r) => r.status);
  // Each copy is either the award (first or replayed) or told to ask again in a moment.
  for (const r of answers) {
    expect([201, 409]).toContain(r.status);
    if (r.status === 409) expect(r.headers.get("retry-after")).toBe("1");
  }
  expect(statuses).toContain(201);
  expect(count()).toBe(1);
  expect(balance(s.h1.id)).toBe(5);
  // Asked again once the first is answered, every copy gets the same entry.
  const ids = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const r = await h.json("POST", "/api/entries", {
      cookie: s.aClerk,
      body,
      headers: { "idempotency-key": "double-tap" },
    });
    expect(r.status).toBe(201);
    ids.add(r.body.entry.id);
  }
  expect(ids.size).toBe(1);
  expect(count()).toBe(1);
});

test("a batch retried with its key records its households once; another batch under the key is 422", async () => {
  const s = await setup();
  const body = { ruleId: s.clean.id, householdIds: [s.h1.id, s.h2.id] };
  const first = await send("/api/entries/batch", s.aClerk, body, "batch-1");
  expect(first.status).toBe(201);
  const firstText = await first.text();
  const again = await send("/api/entries/batch", s.aClerk, body, "batch-1");
  expect(again.status).toBe(201);
  expect(await again.text()).toBe(firstText);
  expect(count()).toBe(2);
  expect(
    (
      await send(
        "/api/entries/batch",
        s.aClerk,
        { ruleId: s.clean.id, householdIds: [s.h1.id] },
        "batch-1",
      )
    ).status,
  ).toBe(422);
  // The same key on the single-award route is another request too.
  expect(
    (await send("/api/entries", s.aClerk, { householdId: s.h1.id, ruleId: s.clean.id }, "batch-1"))
      .status,
  ).toBe(422);
  expect(count()).toBe(2);
  expect(balance(s.h1.id)).toBe(5);
});

test("without the header an award is recorded each time it is sent, as before", async () => {
  const s = await setup();
  const body = { householdId: s.h1.id, ruleId: s.clean.id };
  expect((await send("/api/entries", s.aClerk, body)).status).toBe(201);
  expect((await send("/api/entries", s.aClerk, body)).status).toBe(201);
  expect(count()).toBe(2);
});
