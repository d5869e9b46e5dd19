/**
 * Honour and spendable points in real Chromium (issue 18): the resident's card page on a 390×844
 * phone shows both in plain words, in Chinese and in Uyghur (right to left), axe clean, nothing
 * overflowing; its 打印积分证明 button issues a points statement with script off and lands on the
 * printable statement; the kiosk's household screen shows the spendable points large and the
 * honour score with its stars smaller, and the goods screen's bar keeps the honour in sight; the
 * public board shows the supermarket's signed month-end statement. Screenshots of each.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser, Page } from "playwright-core";
import {
  browserTest,
  chromiumAvailable,
  launchChromium,
  screenshotPath,
  VIEWPORTS,
} from "../support/browser.ts";
import { seriousViolations } from "../support/axe.ts";
import { overflowing } from "../support/e2e/layout.ts";
import {
  kioskContext,
  openPaired,
  settle,
  shootBoth,
  startKioskWorld,
  wedgeScan,
  CLERK,
  type KioskWorld,
} from "../support/e2e/kiosk.ts";
import { immediate } from "../../src/db/open.ts";
import { insertMovement } from "../../src/market/goods-store.ts";
import { shanghaiMonth } from "../../src/shared/calendar.ts";

const PHONE = { width: 390, height: 844 };
const TV = { width: 1920, height: 1080 };
const ADMIN = { username: "dh_admin", password: "village-admin-password" };

let world: KioskWorld;
let browser: Browser;
/** Last month, which has ended and so can be signed. */
let lastMonth = "";

beforeAll(async () => {
  if (!chromiumAvailable) return;
  // 张建华: +40 and −5 earned, 15 spent at the supermarket: spendable 20, honour 35 (two stars of 10, 30, 60).
  world = await startKioskWorld({ 张建华: 40, 李秀英: 15, 王志强: 65 });
  const must = async (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => {
    const r = await world.api(method, path, body, headers);
    if (r.status >= 300)
      throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const [zhang] = world.households;
  await must("PATCH", `/api/villages/${world.villageId}`, { starThresholds: [10, 30, 60] });
  await world.award(zhang!.id, -5);
  const goods = (
    await must("POST", `/api/villages/${world.villageId}/goods`, {
      name: "洗衣粉",
      pricePoints: 15,
      stock: 30,
    })
  ).goods;
  const sale = await fetch(`${world.server.url}/api/redemptions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${world.kiosk.token}`,
      "content-type": "application/json",
      "idempotency-key": "honour-e2e-1",
    },
    body: JSON.stringify({
      cardToken: zhang!.card.token,
      items: [{ goodsId: goods.id, quantity: 1 }],
    }),
  });
  if (sale.status !== 201) throw new Error(`sale ${sale.status}`);
  // Last month's goods in, signed by the clerk and the village admin: frozen, on the board.
  const now = shanghaiMonth(Date.now());
  const [y, m] = now.split("-").map(Number) as [number, number];
  lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
  immediate(world.server.db, () =>
    insertMovement(world.server.db, {
      goodsId: Number(goods.id),
      villageId: Number(world.villageId),
      kind: "intake",
      delta: 12,
      reason: "捐赠",
      source: "donation",
      donor: "县供销社",
      redemptionId: null,
      occurredOn: `${lastMonth}-15`,
      nowMs: Date.now(),
      createdBy: "test",
    }),
  );
  await must("POST", "/api/users", {
    ...ADMIN,
    role: "village_admin",
    villageId: world.villageId,
    displayName: "李主任",
  });
  const clerkId = world.server.db
    .query<{ id: number }, [string]>("SELECT id FROM users WHERE username = ?")
    .get(CLERK.username)!.id;
  await must("PATCH", `/api/users/${clerkId}`, { displayName: "周会计" });
  for (const who of [CLERK, ADMIN]) {
    const cookie = await world.server.login(who.username, who.password);
    const signed = await fetch(
      `${world.server.url}/api/villages/${world.villageId}/market/statements/${lastMonth}/sign`,
      { method: "POST", headers: { cookie } },
    );
    if (signed.status !== 200) throw new Error(`sign ${signed.status} ${await signed.text()}`);
  }
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, 15_000);

const zhang = () => world.households[0]!;

async function cardPage(locale: "zh-CN" | "ug"): Promise<Page> {
  const context = await browser.newContext({
    viewport: PHONE,
    locale,
    bypassCSP: true,
    extraHTTPHeaders: { "accept-language": locale },
  });
  const page = await context.newPage();
  await page.goto(zhang().card.url);
  await page.evaluate(() => document.fonts.ready);
  return page;
}

browserTest(
  "the card page shows the spendable points and the honour score with its stars, in Chinese, on a phone",
  async () => {
    const page = await cardPage("zh-CN");
    await expect(page.locator(".hero .label").textContent()).resolves.toBe("可用积分");
    await expect(page.locator(".balance bdi").textContent()).resolves.toBe("20");
    await expect(page.locator(".hero .about").textContent()).resolves.toBe(
      "在积分超市兑换时用，年底可能清零",
    );
    await expect(page.locator("#honour-title").textContent()).resolves.toBe("荣誉积分");
    await expect(page.locator(".honour-figure bdi").textContent()).resolves.toBe("35");
    await expect(page.locator(".honour .stars-head strong").textContent()).resolves.toBe(
      "2 星（共 3 星）",
    );
    await expect(
      page.locator(".honour .stars + .date, .honour .stars .date").first().textContent(),
    ).resolves.toBe("荣誉积分再得 25 分，升到 3 星");
    await expect(page.getByRole("button", { name: "打印积分证明" }).isVisible()).resolves.toBe(
      true,
    );
    expect(await overflowing(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("honour-card-phone-zh"), fullPage: true });
    // The first screen as a phone shows it (the README's public/screenshots/resident-card.png).
    await page.screenshot({ path: screenshotPath("honour-card-phone-zh-top") });
    await page.context().close();
  },
  30_000,
);

browserTest(
  "the card page shows both figures right to left in Uyghur, axe clean, nothing overflowing",
  async () => {
    const page = await cardPage("ug");
    await expect(page.locator("html").getAttribute("dir")).resolves.toBe("rtl");
    await expect(page.locator(".hero .label").textContent()).resolves.toBe(
      "ئىشلەتكىلى بولىدىغان نومۇر",
    );
    await expect(page.locator("#honour-title").textContent()).resolves.toBe("شەرەپ نومۇرى");
    await expect(page.locator(".honour-figure bdi").textContent()).resolves.toBe("35");
    await expect(
      page.getByRole("button", { name: "نومۇر ئىسپاتى بېسىش" }).isVisible(),
    ).resolves.toBe(true);
    expect(await overflowing(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("honour-card-phone-ug"), fullPage: true });
    // The README's public/screenshots/resident-card-ug.png: the first screen of a 360×740 phone.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("honour-card-phone-ug-top") });
    await page.context().close();
  },
  30_000,
);

browserTest(
  "打印积分证明 issues the household's statement with script off and opens its print page",
  async () => {
    const context = await browser.newContext({
      viewport: PHONE,
      locale: "zh-CN",
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(zhang().card.url);
    await Promise.all([
      page.waitForURL(/\/s\/[A-Za-z0-9_-]{24}$/),
      page.getByRole("button", { name: "打印积分证明" }).click(),
    ]);
    const code = new URL(page.url()).pathname.slice(3);
    const row = world.server.db
      .query<{ household_id: number; issued_by: string; snapshot: string }, [string]>(
        "SELECT household_id, issued_by, snapshot FROM household_statements WHERE code = ?",
      )
      .get(code)!;
    expect(row.household_id).toBe(Number(zhang().id));
    expect(row.issued_by).toMatch(/^card:\d+$/);
    expect(JSON.parse(row.snapshot)).toMatchObject({ honourScore: 35, star: 2, starsMax: 3 });
    const text = await page.locator("body").innerText();
    expect(text).toContain("张建华");
    expect(text).toContain("35");
    await page.screenshot({
      path: screenshotPath("honour-card-statement-printed-phone"),
      fullPage: true,
    });
    await context.close();
  },
  30_000,
);

browserTest(
  "the kiosk's household screen shows the spendable points large and the honour score with its stars smaller",
  async () => {
    const context = await kioskContext(browser);
    const page = await openPaired(context, world);
    await wedgeScan(page, zhang().card.url);
    await page.locator(".household-screen .welcome-balance").waitFor();
    await expect(page.locator(".welcome-balance .num").textContent()).resolves.toBe("20");
    const line = page.locator(".household-screen .honour-line");
    await expect(line.locator(".honour-label").textContent()).resolves.toBe("荣誉积分");
    await expect(line.locator(".honour-value").textContent()).resolves.toBe("35");
    await expect(line.locator(".honour-stars").innerText()).resolves.toBe("★★ 2 星");
    await expect(line.locator(".honour-about").textContent()).resolves.toBe("兑换不会减少");
    const size = (sel: string) =>
      page
        .locator(sel)
        .first()
        .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(await size(".welcome-balance")).toBeGreaterThan(
      2 * (await size(".honour-line .honour-value")),
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shootBoth(page, "household-honour");
    // The goods screen's bar keeps the honour in sight beside the name.
    await page.getByRole("button", { name: "去选商品" }).click();
    await page.locator(".household-bar .honour-line").waitFor();
    await expect(page.locator(".household-bar .honour-value").textContent()).resolves.toBe("35");
    await settle(page);
    await page.screenshot({ path: screenshotPath("kiosk-goods-honour-landscape") });
    await context.close();
  },
  60_000,
);

browserTest(
  "the kiosk says the honour in Uyghur and English too",
  async () => {
    for (const [code, label, stars] of [
      ["ug", "شەرەپ نومۇرى", "2 يۇلتۇز"],
      ["en", "Honour score", "2 stars"],
    ] as const) {
      const context = await kioskContext(browser);
      const page = await openPaired(context, world);
      // The one language button cycles 中文 → ئۇيغۇرچە → English.
      for (let i = 0; i < 3 && (await page.locator("html").getAttribute("lang")) !== code; i++)
        await page.locator(".lang-button").first().click();
      await expect(page.locator("html").getAttribute("lang")).resolves.toBe(code);
      await wedgeScan(page, zhang().card.url);
      await page.locator(".household-screen .honour-line").waitFor();
      await expect(page.locator(".honour-label").textContent()).resolves.toBe(label);
      await expect(page.locator(".honour-stars").innerText()).resolves.toContain(stars);
      expect(await seriousViolations(page)).toEqual([]);
      await settle(page);
      await page.screenshot({ path: screenshotPath(`kiosk-household-honour-${code}`) });
      await context.close();
    }
  },
  60_000,
);

browserTest(
  "the public board shows the signed month-end statement and ranks by honour score",
  async () => {
    const html = await (await fetch(`${world.server.url}/board/${world.villageId}`)).text();
    const titles = [...html.matchAll(/<section class="panel"><h2>([^<]*)/g)].map((m) =>
      m[1]!.trim(),
    );
    const signed = titles.indexOf("超市月末对账（已签字）") + 1;
    const honour = titles.indexOf("红榜") + 1;
    expect(signed).toBeGreaterThan(0);
    expect(honour).toBeGreaterThan(0);
    const context = await browser.newContext({ viewport: TV, locale: "zh-CN", bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${world.server.url}/board/${world.villageId}?panel=${signed}`);
    const month = page.locator(".signed-month").first();
    await expect(month.locator("h3").innerText()).resolves.toBe(
      `${Number(lastMonth.slice(0, 4))}年${Number(lastMonth.slice(5))}月`,
    );
    await expect(month.locator(".signed-figures dd").first().innerText()).resolves.toBe("12");
    await expect(month.locator(".signed-by").innerText()).resolves.toMatch(
      /周\*计（超市管理员）、李\*任（村委会负责人） · 校验码 [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("honour-board-signed-tv") });
    await page.setViewportSize(VIEWPORTS.phone);
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("honour-board-signed-phone"), fullPage: true });
    // The honour board: 王志强 65 (three stars), 张建华 35, 李秀英 15; this month's points beside.
    await page.setViewportSize(TV);
    await page.goto(`${world.server.url}/board/${world.villageId}?panel=${honour}`);
    const rows = await page
      .locator(`.panel:nth-child(${honour}) table tbody tr`)
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...tr.querySelectorAll("td")].map((td) => (td as HTMLElement).innerText.trim()),
        ),
      );
    expect(rows.map((r) => r.slice(1, 3))).toEqual([
      ["王*强 ★★★", "65"],
      ["张*华 ★★", "35"],
      ["李*英 ★", "15"],
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("honour-board-ranking-tv") });
    await context.close();
  },
  60_000,
);
