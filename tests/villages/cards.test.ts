/**
 * Proves QR cards: a token of at least 128 random bits with no personal data, a printed number
 * with a check digit, revoke and reissue (a revoked card answers 404 everywhere), the resident
 * page, the A4 print sheet, and kiosk device registration and revocation.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";
import {
  isValidCardNumber,
  luhnCheckDigit,
  randomCardNumber,
} from "../../src/villages/card-number.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;
let household: { id: string };
beforeEach(async () => {
  h = createHarness();
  s = await seedTwoVillages(h);
  household = (
    await h.json("POST", `/api/villages/${s.villageA.id}/households`, {
      cookie: s.aClerk,
      body: { headName: "张建华", address: "东河村3组27号" },
    })
  ).body.household;
});
afterEach(() => h.close());

const issue = async () =>
  (await h.json("POST", `/api/households/${household.id}/cards`, { cookie: s.aClerk })).body as {
    id: string;
    token: string;
    url: string;
    number: string;
  };

test("issues a card whose token is 128 random bits, opaque, and whose URL opens /c/<token>", async () => {
  const card = await issue();
  expect(Buffer.from(card.token, "base64url").length).toBeGreaterThanOrEqual(16);
  expect(card.url).toBe(`http://jifen.test/c/${card.token}`);
  expect(isValidCardNumber(card.number)).toBe(true);
  const other = await issue();
  expect(other.token).not.toBe(card.token);
});

test("the resident page shows the masked name, village and balance, never the full name or address", async () => {
  const card = await issue();
  const api = await h.json("GET", `/api/public/cards/${card.token}`);
  expect(api.status).toBe(200);
  expect(api.body).toMatchObject({
    displayName: "张*华",
    villageName: "东河村",
    balance: 0,
    recent: [],
    inNotice: [],
  });
  const page = await h.request("GET", `/c/${card.token}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("张*华");
  expect(html).toContain("东河村");
  expect(html).not.toContain("张建华");
  expect(html).not.toContain("3组27号");
});

test("a revoked card answers 404 everywhere, and the printed number does not open the public page", async () => {
  const card = await issue();
  expect((await h.request("DELETE", `/api/cards/${card.id}`, { cookie: s.aAdmin })).status).toBe(
    204,
  );
  expect((await h.json("GET", `/api/public/cards/${card.token}`)).status).toBe(404);
  expect((await h.request("GET", `/c/${card.token}`)).status).toBe(404);
  expect((await h.json("GET", `/api/kiosk/cards/${card.token}`, { cookie: s.aClerk })).status).toBe(
    404,
  );
  expect(
    (await h.json("GET", `/api/kiosk/cards/${card.number}`, { cookie: s.aClerk })).status,
  ).toBe(404);
  const live = await issue();
  expect((await h.json("GET", `/api/public/cards/${live.number}`)).status).toBe(404);
});

test("an unknown card is a friendly 404 page in Chinese", async () => {
  const page = await h.request("GET", `/c/${"A".repeat(22)}`);
  expect(page.status).toBe(404);
  expect(await page.text()).toContain("找不到这张积分卡");
});

test("reissue revokes the old card and gives a new token and number", async () => {
  const card = await issue();
  const res = await h.json("POST", `/api/cards/${card.id}/reissue`, { cookie: s.aAdmin });
  expect(res.status).toBe(201);
  expect(res.body.token).not.toBe(card.token);
  expect((await h.json("GET", `/api/public/cards/${card.token}`)).status).toBe(404);
  expect((await h.json("GET", `/api/public/cards/${res.body.token}`)).status).toBe(200);
  expect((await h.json("POST", `/api/cards/${card.id}/reissue`, { cookie: s.aAdmin })).status).toBe(
    409,
  );
});

test("the kiosk reads a card by token, by URL and by printed number with spaces", async () => {
  const card = await issue();
  const kiosk = (
    await h.json("POST", `/api/villages/${s.villageA.id}/kiosks`, {
      cookie: s.aAdmin,
      body: { name: "超市" },
    })
  ).body;
  for (const code of [card.token, card.url, `${card.number.slice(0, 4)} ${card.number.slice(4)}`]) {
    const res = await h.json("GET", `/api/kiosk/cards/${encodeURIComponent(code)}`, {
      token: kiosk.token,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ householdId: household.id, displayName: "张*华", balance: 0 });
  }
  const wrongCheck = card.number.slice(0, 7) + String((Number(card.number[7]) + 1) % 10);
  expect(
    (await h.json("GET", `/api/kiosk/cards/${wrongCheck}`, { token: kiosk.token })).status,
  ).toBe(404);
});

test("a kiosk of another village cannot read the card, and a revoked kiosk is locked out at once", async () => {
  const card = await issue();
  const kioskB = (
    await h.json("POST", `/api/villages/${s.villageB.id}/kiosks`, {
      cookie: s.bAdmin,
      body: { name: "B超市" },
    })
  ).body;
  expect(
    (await h.json("GET", `/api/kiosk/cards/${card.token}`, { token: kioskB.token })).status,
  ).toBe(404);
  expect((await h.json("GET", "/api/kiosk/me", { token: kioskB.token })).body).toMatchObject({
    village: { name: "柳湾村" },
  });
  expect((await h.request("DELETE", `/api/kiosks/${kioskB.id}`, { cookie: s.bAdmin })).status).toBe(
    204,
  );
  expect((await h.json("GET", "/api/kiosk/me", { token: kioskB.token })).status).toBe(401);
  const stored = h.db.query<{ token_hash: string }, []>("SELECT token_hash FROM kiosks").all();
  expect(stored.some((r) => r.token_hash === kioskB.token)).toBe(false);
});

test("the print sheet has an SVG QR code, masked name and number for each active card only", async () => {
  const card = await issue();
  const revoked = await issue();
  await h.request("DELETE", `/api/cards/${revoked.id}`, { cookie: s.aAdmin });
  const res = await h.request("GET", `/api/villages/${s.villageA.id}/cards/print`, {
    cookie: s.aClerk,
  });
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain("@page { size: A4");
  expect((html.match(/<svg/g) ?? []).length).toBe(1);
  expect(html).toContain("张*华");
  expect(html).toContain(`${card.number.slice(0, 4)} ${card.number.slice(4)}`);
  expect(html).not.toContain(revoked.number.slice(4));
});

test("the public card endpoint is rate-limited per address", async () => {
  const card = await issue();
  let limited: Response | null = null;
  for (let i = 0; i < 70 && limited === null; i++) {
    const res = await h.request("GET", `/api/public/cards/${card.token}`);
    if (res.status === 429) limited = res;
  }
  expect(limited).not.toBeNull();
  expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
});

test("card numbers carry a Luhn check digit that catches a changed digit and a swap", () => {
  for (let i = 0; i < 200; i++) {
    const n = randomCardNumber();
    expect(isValidCardNumber(n)).toBe(true);
    const changed = n.slice(0, 3) + String((Number(n[3]) + 1) % 10) + n.slice(4);
    expect(isValidCardNumber(changed)).toBe(false);
  }
  expect(luhnCheckDigit("7992739871")).toBe(3);
});

test("balances shown on the household, the kiosk and the phone include entries whose notice just ended", async () => {
  const card = await issue();
  await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
    cookie: s.aAdmin,
    body: { noticeDays: 3 },
  });
  const rule = (
    await h.json("POST", `/api/villages/${s.villageA.id}/rules`, {
      cookie: s.aAdmin,
      body: { code: "VOL-01", title: "参加义务劳动", category: "volunteer", points: 5 },
    })
  ).body;
  const recorded = await h.json("POST", "/api/entries", {
    cookie: s.aClerk,
    body: { householdId: household.id, ruleId: rule.rule?.id ?? rule.id },
  });
  expect(recorded.body.entry.status).toBe("in_notice");
  expect(
    (await h.json("GET", `/api/households/${household.id}`, { cookie: s.aClerk })).body.balance,
  ).toBe(0);
  h.clock.advance(3 * 24 * 60 * 60 * 1000 + 1);
  // No scheduler runs in this test: the reads themselves post what is due.
  expect((await h.json("GET", `/api/public/cards/${card.token}`)).body.balance).toBe(5);
  const clerk = await h.login("a_clerk"); // three idle days ended the old session
  expect(
    (await h.json("GET", `/api/households/${household.id}`, { cookie: clerk })).body.balance,
  ).toBe(5);
  expect(
    (await h.json("GET", `/api/kiosk/cards/${card.number}`, { cookie: clerk })).body.balance,
  ).toBe(5);
});
