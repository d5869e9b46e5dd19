/**
 * Proves points statements for the bank over real HTTP on a real database file with a manual
 * clock: issued by staff or from the card page (rate-limited), numbered per year without gaps,
 * keyed by a long random code; the honour score counts awards, deductions and their reversals and
 * never redemptions or expiry; the twelve months are by category and by the day entries happened;
 * the print page carries the household, the figures and a QR code that decodes to the
 * verification page; that page says genuine and current, changed since, withdrawn, altered, or a
 * friendly 404 for a code (or a number) that does not exist.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import QRCode from "qrcode";
import { createHarness, type Harness } from "../support/harness.ts";
import { readQrCodes } from "../support/qr.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";
import { awardPoints } from "../support/market-fixture.ts";
import { DAY_MS } from "../../src/shared/clock.ts";
import {
  PUBLIC_STATEMENTS_PER_CARD_PER_DAY,
  PUBLIC_STATEMENTS_PER_MINUTE,
} from "../../src/statements/card-issue.ts";
import { honourScore, monthsByCategory, statementMonths } from "../../src/statements/honour.ts";

setDefaultTimeout(30_000);

let h: Harness;
afterEach(() => h.close());

async function setup(): Promise<LedgerSeed & { card: { id: string; token: string } }> {
  h = createHarness();
  const s = await seedLedger(h);
  const card = (await h.json("POST", `/api/households/${s.h1.id}/cards`, { cookie: s.admin }))
    .body as { id: string; token: string };
  return { ...s, card };
}

const record = (s: LedgerSeed, body: Record<string, unknown>) =>
  h.json("POST", "/api/entries", { cookie: s.aClerk, body });
const issue = (s: LedgerSeed, householdId: string, cookie = s.aClerk) =>
  h.json("POST", `/api/households/${householdId}/statements`, { cookie });
const page = async (path: string) => {
  const res = await h.request("GET", path);
  return { status: res.status, text: await res.text(), headers: res.headers };
};

test("a statement states the honour score, the star tier and twelve months by category, numbered and coded", async () => {
  const s = await setup();
  await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
    cookie: s.admin,
    body: { backdateDaysMax: 3650 },
  });
  await record(s, { householdId: s.h1.id, ruleId: s.clean.id, quantity: 4 }); // +20 environment, March
  await record(s, { householdId: s.h1.id, ruleId: s.capped.id, occurredOn: "2025-11-20" }); // +10 volunteer, November
  await record(s, { householdId: s.h1.id, ruleId: s.litter.id, occurredOn: "2025-11-21" }); // -3 environment, November
  await record(s, { householdId: s.h1.id, ruleId: s.clean.id, occurredOn: "2025-02-28" }); // +5, thirteen months back: in the score, not the months
  const r = await issue(s, s.h1.id);
  expect(r.status).toBe(201);
  const st = r.body.statement;
  expect(st).toMatchObject({
    number: "JF-2026-000001",
    householdId: s.h1.id,
    villageId: s.villageA.id,
    honourScore: 32,
    star: 0,
    withdrawnAt: null,
    withdrawnReason: null,
  });
  expect(st.code).toMatch(/^[A-Za-z0-9_-]{24}$/);
  expect(st.printUrl).toBe(`http://jifen.test/s/${st.code}`);
  expect(st.verifyUrl).toBe(`http://jifen.test/v/${st.code}`);
  expect(st.digest).toMatch(/^[0-9a-f]{64}$/);
  expect(st.months.map((m: { month: string }) => m.month)).toEqual([
    "2025-04",
    "2025-05",
    "2025-06",
    "2025-07",
    "2025-08",
    "2025-09",
    "2025-10",
    "2025-11",
    "2025-12",
    "2026-01",
    "2026-02",
    "2026-03",
  ]);
  expect(st.months[7]).toEqual({
    month: "2025-11",
    byCategory: [
      { category: "environment", earned: -3 },
      { category: "volunteer", earned: 10 },
    ],
    earned: 7,
  });
  expect(st.months[11]).toEqual({
    month: "2026-03",
    byCategory: [{ category: "environment", earned: 20 }],
    earned: 20,
  });
  expect(st.months[0]).toEqual({ month: "2025-04", byCategory: [], earned: 0 });
  // Numbers follow each other without gaps; codes never repeat.
  const second = (await issue(s, s.h2.id)).body.statement;
  expect(second.number).toBe("JF-2026-000002");
  expect(second.code).not.toBe(st.code);
  const audit = h.db
    .query<{ n: number }, []>(
      "SELECT count(*) AS n FROM audit_log WHERE entity = 'statement' AND action = 'issue'",
    )
    .get()!;
  expect(audit.n).toBe(2);
});

test("the honour score never counts redemptions, voids or expiry, and nets reversals of awards", async () => {
  const s = await setup();
  const award = await record(s, { householdId: s.h1.id, ruleId: s.clean.id, quantity: 10 }); // +50
  await record(s, { householdId: s.h1.id, ruleId: s.clean.id, quantity: 2 }); // +10
  await h.json("POST", `/api/entries/${award.body.entry.id}/reverse`, {
    cookie: s.aAdmin,
    body: { reason: "记错了" },
  });
  // A redemption and an expiry move the balance, not the honour.
  h.db.run(
    `INSERT INTO goods (village_id, name, price_points, stock, created_at_ms, updated_at_ms) VALUES (${s.villageA.id}, '肥皂', 5, 10, 0, 0)`,
  );
  const kiosk = (
    await h.json("POST", `/api/villages/${s.villageA.id}/kiosks`, {
      cookie: s.admin,
      body: { name: "超市" },
    })
  ).body.token;
  const sale = await h.json("POST", "/api/redemptions", {
    token: kiosk,
    headers: { "idempotency-key": "k1" },
    body: { cardToken: s.card.token, items: [{ goodsId: "1", quantity: 1 }] },
  });
  expect(sale.status).toBe(201);
  await h.json("POST", `/api/redemptions/${sale.body.id}/void`, {
    cookie: s.aAdmin,
    body: { reason: "拿错了" },
  });
  await h.json("POST", `/api/redemptions`, {
    token: kiosk,
    headers: { "idempotency-key": "k2" },
    body: { cardToken: s.card.token, items: [{ goodsId: "1", quantity: 1 }] },
  });
  expect(
    h.db
      .query<{ balance: number }, [number]>("SELECT balance FROM households WHERE id = ?")
      .get(Number(s.h1.id))!.balance,
  ).toBe(5);
  expect(honourScore(h.db, Number(s.h1.id))).toBe(10);
  const months = monthsByCategory(h.db, Number(s.h1.id), statementMonths("2026-03-02"));
  expect(months[11]).toEqual({
    month: "2026-03",
    byCategory: [{ category: "environment", earned: 10 }],
    earned: 10,
  });
  expect((await issue(s, s.h1.id)).body.statement.honourScore).toBe(10);
});

test("the star tier follows the village's thresholds", async () => {
  const s = await setup();
  await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
    cookie: s.admin,
    body: { starThresholds: [10, 20, 30, 40, 50] },
  });
  await record(s, { householdId: s.h1.id, ruleId: s.clean.id, quantity: 7 }); // 35
  expect((await issue(s, s.h1.id)).body.statement).toMatchObject({ honourScore: 35, star: 3 });
});

test("the print page shows the household in full, the figures, the number and a QR code of the verification page", async () => {
  const s = await setup();
  await record(s, { householdId: s.h1.id, ruleId: s.clean.id, quantity: 4 });
  const st = (await issue(s, s.h1.id)).body.statement;
  const p = await page(`/s/${st.code}`);
  expect(p.status).toBe(200);
  expect(p.headers.get("content-type")).toContain("text/html");
  expect(p.headers.get("cache-control")).toBe("no-store");
  for (const text of [
    "张建华",
    "东河村",
    "JF-2026-000001",
    "荣誉积分",
    "人居环境",
    "2026年3月",
    "+20",
    "2026-03-02",
    st.digest.slice(0, 16),
    "<svg",
  ])
    expect(p.text).toContain(text);
  expect(p.text).toContain("@page { size: A4");
  // The QR code on the page is the verification URL: rendered by the same library, byte for byte.
  const qr = await QRCode.toString(st.verifyUrl, {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 2,
  });
  expect(p.text).toContain(qr);
  // And that code, drawn as a picture, reads back as the verification URL with zxing.
  const png = await QRCode.toBuffer(st.verifyUrl, {
    type: "png",
    errorCorrectionLevel: "M",
    margin: 2,
    scale: 6,
  });
  expect(await readQrCodes(new Uint8Array(png))).toEqual([st.verifyUrl]);
});

test("the verification page says genuine and current, then changed once entries move the figures", async () => {
  const s = await setup();
  await record(s, { householdId: s.h1.id, ruleId: s.clean.id, quantity: 4 });
  const st = (await issue(s, s.h1.id)).body.statement;
  let v = await page(`/v/${st.code}`);
  expect(v.status).toBe(200);
  expect(v.text).toContain("真实有效");
  expect(v.text).toContain("张*华");
  expect(v.text).not.toContain("张建华");
  expect(v.text).not.toContain(s.h1.id + "号");
  // A deduction since: still genuine, but the figures have changed; both are shown.
  await record(s, { householdId: s.h1.id, ruleId: s.litter.id });
  v = await page(`/v/${st.code}`);
  expect(v.text).toContain("出具后积分有变动");
  expect(v.text).toMatch(
    /class="differs"><th scope="row">荣誉积分<\/th><td class="num">20<\/td><td class="num">17<\/td>/,
  );
  // A redemption since changes nothing the statement states.
  awardPoints(h.db, Number(s.h2.id), 5, h.clock.nowMs());
  const other = (await issue(s, s.h2.id)).body.statement;
  expect((await page(`/v/${other.code}`)).text).toContain("真实有效");
});

test("an entry that was on notice when the statement was issued and posts later changes the verdict", async () => {
  const s = await setup();
  await h.json("PATCH", `/api/villages/${s.villageA.id}`, {
    cookie: s.admin,
    body: { noticeDays: 3 },
  });
  await record(s, { householdId: s.h1.id, ruleId: s.clean.id });
  const st = (await issue(s, s.h1.id)).body.statement;
  expect(st.honourScore).toBe(0);
  expect((await page(`/v/${st.code}`)).text).toContain("真实有效");
  h.clock.advance(3 * DAY_MS + 1);
  expect((await page(`/v/${st.code}`)).text).toContain("出具后积分有变动");
});

test("a withdrawn statement says so with the reason, on both pages; a second withdrawal is refused", async () => {
  const s = await setup();
  const st = (await issue(s, s.h1.id)).body.statement;
  expect(
    (
      await h.json("POST", `/api/statements/${st.id}/withdraw`, {
        cookie: s.aClerk,
        body: { reason: "x" },
      })
    ).status,
  ).toBe(403);
  const w = await h.json("POST", `/api/statements/${st.id}/withdraw`, {
    cookie: s.aAdmin,
    body: { reason: "户主信息有误" },
  });
  expect(w.status).toBe(200);
  expect(w.body.statement).toMatchObject({ id: st.id, withdrawnReason: "户主信息有误" });
  expect(w.body.statement.withdrawnAt).toBe(new Date(h.clock.nowMs()).toISOString());
  const again = await h.json("POST", `/api/statements/${st.id}/withdraw`, {
    cookie: s.aAdmin,
    body: { reason: "再撤" },
  });
  expect(again.status).toBe(409);
  expect(again.body.code).toBe("statement-withdrawn");
  expect((await page(`/v/${st.code}`)).text).toContain("本证明已由村委会撤回：户主信息有误");
  expect((await page(`/s/${st.code}`)).text).toContain("本证明已撤回：户主信息有误");
  const listed = await h.json("GET", `/api/households/${s.h1.id}/statements`, { cookie: s.aClerk });
  expect(listed.body.items).toHaveLength(1);
  expect(listed.body.items[0]).toMatchObject({
    number: st.number,
    withdrawnReason: "户主信息有误",
  });
  expect(
    h.db
      .query<{ n: number }, []>(
        "SELECT count(*) AS n FROM audit_log WHERE entity = 'statement' AND action = 'withdraw'",
      )
      .get()!.n,
  ).toBe(1);
});

test("a statement changed behind the server's back is shown as altered, and the database refuses plain edits", async () => {
  const s = await setup();
  await record(s, { householdId: s.h1.id, ruleId: s.clean.id, quantity: 4 });
  const st = (await issue(s, s.h1.id)).body.statement;
  expect(() =>
    h.db.run(
      `UPDATE household_statements SET snapshot = replace(snapshot, '"honourScore":20', '"honourScore":200') WHERE id = ${st.id}`,
    ),
  ).toThrow(/never changes/);
  expect(() => h.db.run(`DELETE FROM household_statements WHERE id = ${st.id}`)).toThrow(
    /never deleted/,
  );
  // Someone who drops the trigger first: the digest no longer matches.
  h.db.run("DROP TRIGGER household_statements_fixed");
  h.db.run(
    `UPDATE household_statements SET snapshot = replace(snapshot, '"honourScore":20', '"honourScore":200') WHERE id = ${st.id}`,
  );
  const v = await page(`/v/${st.code}`);
  expect(v.text).toContain("存档与其校验码不符");
  expect((await page(`/s/${st.code}`)).text).toContain("存档与其校验码不符");
});

test.each([
  ["a code that does not exist", "AAAAAAAAAAAAAAAAAAAAAAAA"],
  ["a statement number instead of a code", "JF-2026-000001"],
  ["a code too long", "A".repeat(80)],
])("%s answers a friendly 404 page", async (_name, code) => {
  const s = await setup();
  await issue(s, s.h1.id);
  for (const prefix of ["/v/", "/s/"]) {
    const p = await page(prefix + code);
    expect(p.status).toBe(404);
    expect(p.text).toContain("找不到这份积分证明");
  }
});

test("staff of another village cannot issue, list or withdraw; a missing household or statement is 404", async () => {
  const s = await setup();
  const st = (await issue(s, s.h1.id)).body.statement;
  expect((await issue(s, s.h1.id, s.bClerk)).status).toBe(404);
  expect(
    (await h.json("GET", `/api/households/${s.h1.id}/statements`, { cookie: s.bAdmin })).status,
  ).toBe(404);
  expect(
    (
      await h.json("POST", `/api/statements/${st.id}/withdraw`, {
        cookie: s.bAdmin,
        body: { reason: "x" },
      })
    ).status,
  ).toBe(404);
  expect(
    (
      await h.json("POST", "/api/statements/99999/withdraw", {
        cookie: s.aAdmin,
        body: { reason: "x" },
      })
    ).status,
  ).toBe(404);
  expect((await issue(s, "99999")).status).toBe(404);
  expect((await h.json("POST", `/api/households/${s.h1.id}/statements`)).status).toBe(401);
  expect(
    (
      await h.json("POST", `/api/statements/${st.id}/withdraw`, {
        cookie: s.aAdmin,
        body: { reason: "" },
      })
    ).status,
  ).toBe(400);
  expect(
    h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM household_statements").get()!.n,
  ).toBe(1);
});

test("a resident asks for a statement from the card page; a revoked card is 404; limits per address and per card", async () => {
  const s = await setup();
  const r = await h.json("POST", `/api/public/cards/${s.card.token}/statements`);
  expect(r.status).toBe(201);
  expect(r.body.statement).toMatchObject({ householdId: s.h1.id, number: "JF-2026-000001" });
  expect(
    h.db.query<{ issued_by: string }, []>("SELECT issued_by FROM household_statements").get()!
      .issued_by,
  ).toBe(`card:${s.card.id}`);
  expect(
    (await h.json("POST", "/api/public/cards/not-a-card-token-at-all/statements")).status,
  ).toBe(404);
  for (let i = 1; i < PUBLIC_STATEMENTS_PER_CARD_PER_DAY; i++)
    expect((await h.json("POST", `/api/public/cards/${s.card.token}/statements`)).status).toBe(201);
  const tooMany = await h.json("POST", `/api/public/cards/${s.card.token}/statements`);
  expect(tooMany.status).toBe(429);
  expect(tooMany.headers.get("retry-after")).not.toBeNull();
  // The numbers refused took no number: the next one follows on.
  h.clock.advance(DAY_MS);
  expect(
    (await h.json("POST", `/api/public/cards/${s.card.token}/statements`)).body.statement.number,
  ).toBe(`JF-2026-${String(PUBLIC_STATEMENTS_PER_CARD_PER_DAY + 1).padStart(6, "0")}`);
  await h.json("DELETE", `/api/cards/${s.card.id}`, { cookie: await h.login("a_admin") });
  expect((await h.json("POST", `/api/public/cards/${s.card.token}/statements`)).status).toBe(404);
  expect(PUBLIC_STATEMENTS_PER_MINUTE).toBeGreaterThan(PUBLIC_STATEMENTS_PER_CARD_PER_DAY);
});

test("numbers start again at 1 each year", async () => {
  const s = await setup();
  await issue(s, s.h1.id);
  h.clock.set(Date.UTC(2026, 11, 31, 16, 0, 0)); // 2027-01-01 00:00 in Beijing
  const admin = await h.login("a_admin");
  expect((await issue(s, s.h1.id, admin)).body.statement.number).toBe("JF-2027-000001");
});
