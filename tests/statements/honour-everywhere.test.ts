/**
 * Honour and spendable points everywhere a balance is (issue 18), over real HTTP on a real
 * database file with a manual clock: a household with awards, a deduction, an award reversed, a
 * sale, a voided sale and a year-end expiry has a spendable balance and an honour score that
 * differ, and every read answers both, with the star tier the honour reaches (null where the
 * village rates no stars); the public board ranks by honour score and shows the supermarket's
 * signed month-end statements; the card page's form issues a points statement for the card's own
 * household only, rate-limited and audited, and answers with its print page.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { createHarness, T0_MS, type Harness } from "../support/harness.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";
import { honourScore } from "../../src/statements/honour.ts";
import { PUBLIC_STATEMENTS_PER_CARD_PER_DAY } from "../../src/statements/card-issue.ts";
import { BOARD_DIGEST_CHARS } from "../../src/reports/board.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";

setDefaultTimeout(30_000);

let h: Harness;
afterEach(() => h.close());

/** 2025-12-10 10:00 in Beijing: last year, whose points expire on 1 January. */
const DEC_2025_MS = Date.UTC(2025, 11, 10, 2, 0, 0);
/** 2026-04-01 10:00 in Beijing: March is over and can be signed. */
const APRIL_1_MS = Date.UTC(2026, 3, 1, 2, 0, 0);

type World = LedgerSeed & {
  card: { id: string; token: string };
  card2: { id: string; token: string };
  kiosk: string;
  goodsId: string;
};

async function world(): Promise<World> {
  h = createHarness();
  const s = await seedLedger(h);
  const ok = <T>(r: { status: number; body: T }, expected: number): T => {
    if (r.status !== expected)
      throw new Error(`expected ${expected}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  ok(
    await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
      cookie: s.admin,
      body: { pointsExpire: true, starThresholds: [10, 30, 60] },
    }),
    200,
  );
  const card = ok(
    await h.json("POST", `/api/households/${s.h1.id}/cards`, { cookie: s.admin }),
    201,
  ) as { id: string; token: string };
  const card2 = ok(
    await h.json("POST", `/api/households/${s.h2.id}/cards`, { cookie: s.admin }),
    201,
  ) as { id: string; token: string };
  const goods = ok(
    await h.json("POST", `/api/villages/${s.villageA.id}/goods`, {
      cookie: s.admin,
      body: { name: "香皂", pricePoints: 5, stock: 20 },
    }),
    201,
  ) as { goods: { id: string } };
  const kiosk = (
    ok(
      await h.json("POST", `/api/villages/${s.villageA.id}/kiosks`, {
        cookie: s.admin,
        body: { name: "一号机" },
      }),
      201,
    ) as { token: string }
  ).token;
  return { ...s, card, card2, kiosk, goodsId: goods.goods.id };
}

const record = (w: World, body: Record<string, unknown>) =>
  h.json("POST", "/api/entries", { cookie: w.aClerk, body });
const sell = (w: World, key: string) =>
  h.json("POST", "/api/redemptions", {
    token: w.kiosk,
    headers: { "idempotency-key": key },
    body: { cardToken: w.card.token, items: [{ goodsId: w.goodsId, quantity: 1 }] },
  });

/** Every read of h1 that shows a balance: [where, balance, honourScore, star]. */
async function everyRead(w: World): Promise<[string, number, number, number | null][]> {
  const one = (await h.json("GET", `/api/households/${w.h1.id}`, { cookie: w.aClerk })).body;
  const list = (
    await h.json("GET", `/api/villages/${w.villageA.id}/households`, { cookie: w.aClerk })
  ).body.items.find((x: { id: string }) => x.id === w.h1.id);
  const search = (
    await h.json(
      "GET",
      `/api/villages/${w.villageA.id}/households?search=${encodeURIComponent("张建")}`,
      { cookie: w.aClerk },
    )
  ).body.items[0];
  const match = (
    await h.json("POST", `/api/villages/${w.villageA.id}/households/match`, {
      cookie: w.aClerk,
      body: { text: "张建华" },
    })
  ).body.items[0].households[0];
  const kiosk = (await h.json("GET", `/api/kiosk/cards/${w.card.token}`, { token: w.kiosk })).body;
  const resident = (await h.json("GET", `/api/public/cards/${w.card.token}`)).body;
  return [
    ["GET /api/households/:id", one.balance, one.honourScore, one.star],
    ["the household list", list.balance, list.honourScore, list.star],
    ["a search", search.balance, search.honourScore, search.star],
    ["a match", match.balance, match.honourScore, match.star],
    ["the kiosk's card read", kiosk.balance, kiosk.honourScore, kiosk.star],
    ["the resident card", resident.balance, resident.honourScore, resident.star],
  ];
}

test("spendable and honour part after an expiry, a deduction, a reversal, a sale and a void; every read answers both", async () => {
  const w = await world();
  await h.json("PATCH", `/api/villages/${w.villageA.id}`, {
    cookie: w.admin,
    body: { backdateDaysMax: 3650 },
  });
  // Last December: +20, which the year end takes from the balance and never from the honour.
  h.clock.set(DEC_2025_MS);
  expect((await record(w, { householdId: w.h1.id, ruleId: w.clean.id, quantity: 4 })).status).toBe(
    201,
  );
  h.clock.set(T0_MS);
  const admin = await h.login("a_admin");
  const expiry = await h.json("POST", `/api/villages/${w.villageA.id}/expiry`, {
    cookie: admin,
    body: { year: 2025 },
  });
  expect(expiry.status).toBe(201);
  expect(expiry.body.expiredPoints).toBe(20);
  // This March: +10, −3, and +10 recorded by mistake and reversed.
  expect((await record(w, { householdId: w.h1.id, ruleId: w.clean.id, quantity: 2 })).status).toBe(
    201,
  );
  expect((await record(w, { householdId: w.h1.id, ruleId: w.litter.id })).status).toBe(201);
  const wrong = (await record(w, { householdId: w.h1.id, ruleId: w.capped.id })).body.entry;
  expect(
    (
      await h.json("POST", `/api/entries/${wrong.id}/reverse`, {
        cookie: admin,
        body: { reason: "记错了户" },
      })
    ).status,
  ).toBe(201);
  // A sale of 5, voided; another of 5 that stands.
  const first = await sell(w, "k1");
  expect(first.status).toBe(201);
  expect(
    (
      await h.json("POST", `/api/redemptions/${first.body.id}/void`, {
        cookie: admin,
        body: { reason: "拿错了" },
      })
    ).status,
  ).toBe(201);
  expect((await sell(w, "k2")).status).toBe(201);

  // Spendable: 20 − 20 + 10 − 3 + 10 − 10 − 5 + 5 − 5 = 2. Honour: 20 + 10 − 3 = 27, one star of [10, 30, 60].
  expect(honourScore(h.db, Number(w.h1.id))).toBe(27);
  for (const read of await everyRead(w)) expect(read).toEqual([read[0], 2, 27, 1]);
  // A household without entries: nothing either way, no star.
  const other = (await h.json("GET", `/api/households/${w.h2.id}`, { cookie: w.aClerk })).body;
  expect([other.balance, other.honourScore, other.star]).toEqual([0, 0, 0]);
  // The kept total is what verify proves.
  expect(verifyLedger(h.db).ok).toBe(true);

  // A village that rates no stars answers null, never 0 stars.
  h.db.query("UPDATE villages SET star_thresholds = '[]' WHERE id = ?").run(Number(w.villageA.id));
  for (const read of await everyRead(w)) expect(read).toEqual([read[0], 2, 27, null]);
});

test("the public board ranks by honour score and shows the signed month-end statements, names masked", async () => {
  const w = await world();
  // h1 earns 30 and spends 25; h2 earns 15 and spends nothing: the honour decides, not the balance.
  expect((await record(w, { householdId: w.h1.id, ruleId: w.clean.id, quantity: 6 })).status).toBe(
    201,
  );
  expect((await record(w, { householdId: w.h2.id, ruleId: w.clean.id, quantity: 3 })).status).toBe(
    201,
  );
  for (const key of ["a", "b", "c", "d", "e"]) expect((await sell(w, key)).status).toBe(201);
  let board = (await h.json("GET", `/api/public/villages/${w.villageA.id}/board`)).body;
  expect(board.honourBoard.top).toEqual([
    { rank: 1, householdName: "张*华", honourScore: 30, star: 2, earned: 30 },
    { rank: 2, householdName: "李*英", honourScore: 15, star: 1, earned: 15 },
  ]);
  expect(board.starsMax).toBe(3);
  expect(board.signedMonths).toEqual([]);
  expect(await (await h.request("GET", `/board/${w.villageA.id}?panel=3`)).text()).toContain(
    "还没有双方签字封存的月末对账",
  );

  // March is signed by the clerk and the village admin: frozen, on the board.
  const setName = async (username: string, displayName: string) => {
    const id = h.db
      .query<{ id: number }, [string]>("SELECT id FROM users WHERE username = ?")
      .get(username)!.id;
    expect(
      (await h.json("PATCH", `/api/users/${id}`, { cookie: w.admin, body: { displayName } }))
        .status,
    ).toBe(200);
  };
  await setName("a_clerk", "周会计");
  await setName("a_admin", "李主任");
  h.clock.set(APRIL_1_MS);
  for (const who of ["a_clerk", "a_admin"])
    expect(
      (
        await h.json("POST", `/api/villages/${w.villageA.id}/market/statements/2026-03/sign`, {
          cookie: await h.login(who),
        })
      ).status,
    ).toBe(200);
  const frozen = (
    await h.json("GET", `/api/villages/${w.villageA.id}/market/statements/2026-03`, {
      cookie: await h.login("a_clerk"),
    })
  ).body;
  expect(frozen.frozen).toBe(true);
  board = (await h.json("GET", `/api/public/villages/${w.villageA.id}/board`)).body;
  expect(board.signedMonths).toEqual([
    {
      month: "2026-03",
      goodsIn: 20,
      sold: 5,
      writtenOff: 0,
      onHand: 15,
      pointsRedeemed: 25,
      signers: [
        { role: "clerk", name: "周*计" },
        { role: "village_admin", name: "李*任" },
      ],
      digest: frozen.digest.slice(0, BOARD_DIGEST_CHARS),
      intact: true,
    },
  ]);
  expect(JSON.stringify(board)).not.toContain("周会计");
  // The page's panel of it, held still: the month, the figures, the masked signers, the digest in fours.
  const html = await (await h.request("GET", `/board/${w.villageA.id}?panel=4`)).text();
  expect(html).toContain("超市月末对账（已签字）");
  expect(html).toContain("<bdi>周*计</bdi>（超市管理员）");
  expect(html).toContain(frozen.digest.slice(0, 4) + " " + frozen.digest.slice(4, 8));
  expect(html).not.toContain("周会计");
});

test("the card page's form issues a statement for the card's own household, audited and rate-limited, and answers with its print page", async () => {
  const w = await world();
  expect((await record(w, { householdId: w.h1.id, ruleId: w.clean.id, quantity: 8 })).status).toBe(
    201,
  ); // +40: two stars
  const page = await (await h.request("GET", `/c/${w.card.token}`)).text();
  expect(page).toContain(
    `<form class="statement" method="post" action="/c/${w.card.token}/statements">`,
  );
  expect(page).toContain("打印积分证明");
  // A form field naming another household changes nothing: the card names the household.
  const res = await h.request("POST", `/c/${w.card.token}/statements`, {
    raw: `householdId=${w.h2.id}`,
    contentType: "application/x-www-form-urlencoded",
  });
  expect(res.status).toBe(303);
  const location = res.headers.get("location")!;
  expect(location).toMatch(/^\/s\/[A-Za-z0-9_-]{24}$/);
  const code = location.slice(3);
  const row = h.db
    .query<{ household_id: number; issued_by: string }, [string]>(
      "SELECT household_id, issued_by FROM household_statements WHERE code = ?",
    )
    .get(code)!;
  expect(row).toEqual({ household_id: Number(w.h1.id), issued_by: `card:${w.card.id}` });
  const printed = await (await h.request("GET", location)).text();
  expect(printed).toContain("张建华");
  expect(printed).toContain(">40<");
  const audit = h.db
    .query<{ actor_kind: string; detail: string }, []>(
      "SELECT actor_kind, detail FROM audit_log WHERE entity = 'statement' AND action = 'issue'",
    )
    .all();
  expect(audit).toHaveLength(1);
  expect(audit[0]!.actor_kind).toBe("public");
  expect(JSON.parse(audit[0]!.detail)).toMatchObject({
    householdId: Number(w.h1.id),
    honourScore: 40,
    star: 2,
    by: `card:${w.card.id}`,
  });

  // The other household's card issues the other household's statement.
  const theirs = await h.request("POST", `/c/${w.card2.token}/statements`);
  const theirCode = theirs.headers.get("location")!.slice(3);
  expect(
    h.db
      .query<{ household_id: number }, [string]>(
        "SELECT household_id FROM household_statements WHERE code = ?",
      )
      .get(theirCode)!.household_id,
  ).toBe(Number(w.h2.id));

  // The day's limit per card, shared with the API, answered on the card page in words (429).
  for (let i = 1; i < PUBLIC_STATEMENTS_PER_CARD_PER_DAY; i++) {
    h.clock.advance(61_000);
    expect((await h.request("POST", `/c/${w.card.token}/statements`)).status).toBe(303);
  }
  h.clock.advance(61_000);
  const refused = await h.request("POST", `/c/${w.card.token}/statements`);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(await refused.text()).toContain("今天开的证明已经够多了");
  h.clock.advance(61_000);
  expect((await h.json("POST", `/api/public/cards/${w.card.token}/statements`)).status).toBe(429);
  // An unknown or revoked card: the friendly 404 page, and nothing issued.
  const before = h.db
    .query<{ n: number }, []>("SELECT count(*) AS n FROM household_statements")
    .get()!.n;
  const unknown = await h.request("POST", `/c/${"x".repeat(40)}/statements`);
  expect(unknown.status).toBe(404);
  expect(await unknown.text()).toContain("找不到");
  expect(
    h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM household_statements").get()!.n,
  ).toBe(before);
});
