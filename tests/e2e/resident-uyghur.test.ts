/**
 * The resident side in Uyghur, in real Chromium against a real server: a Uyghur village's card
 * page and public board right to left, with no text overflowing on a 360×740 phone or a
 * 1920×1080 television and no serious axe finding; the language switch (a plain link) kept
 * across a reload; the history paged back to the first entry with JavaScript disabled. The card
 * page and the board are photographed (the README's public/screenshots/ are copies of these).
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import {
  browserTest,
  chromiumAvailable,
  launchChromium,
  screenshotPath,
} from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { seriousViolations } from "../support/axe.ts";
import { overflowing } from "../support/e2e/layout.ts";
import { BOARD_NOTICE_PANELS_MAX } from "../../src/pages/board-page.ts";

const PHONE = { width: 360, height: 740 };
const TV = { width: 1920, height: 1080 };
/** Entries of the Chinese household, more than two pages of its history. */
const HISTORY_ENTRIES = 23;
const T_MS = 30_000;

let server: TestServer;
let browser: Browser;
let ugVillageId = "";
let ugCard = "";
let zhCard = "";

beforeAll(async () => {
  if (!chromiumAvailable) return;
  server = startTestServer();
  const cookie = await server.login("admin");
  const send = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : ((await res.json()) as any);
  };
  // A Uyghur village: its pages speak Uyghur unless the reader chooses otherwise.
  ugVillageId = (await send("POST", "/api/villages", { name: "يېڭىئۆستەڭ كەنتى", code: "YO" }))
    .village.id;
  await send("PATCH", `/api/villages/${ugVillageId}`, { defaultLanguage: "ug" });
  const heads = ["ئايگۈل", "مەمتىمىن", "张建华", "رەھىمە", "ئابلىمىت"];
  const households: string[] = [];
  for (const headName of heads)
    households.push(
      (await send("POST", `/api/villages/${ugVillageId}/households`, { headName })).household.id,
    );
  const rule = async (code: string, title: string, category: string, points: number) =>
    (await send("POST", `/api/villages/${ugVillageId}/rules`, { code, title, category, points }))
      .rule.id as string;
  const clean = await rule("ENV-1", "مەھەللە تازىلىقىغا قاتناشتى", "environment", 10);
  const elders = await rule("FAM-1", "ياشانغانلارنى يوقلىدى", "family", 20);
  const litter = await rule("ENV-2", "ئەخلەت تاشلىدى", "environment", -5);
  const award = (householdId: string, ruleId: string) =>
    send("POST", "/api/entries", { householdId, ruleId });
  for (const ruleId of [clean, elders, clean, elders, elders, litter])
    await award(households[0]!, ruleId);
  for (let i = 1; i < households.length; i++)
    for (let k = 0; k <= i; k++) await award(households[i]!, k % 2 === 0 ? clean : elders);
  ugCard = (await send("POST", `/api/households/${households[0]}/cards`)).url;
  // A sale at the supermarket, so the month shows points spent.
  const goods = (
    await send("POST", `/api/villages/${ugVillageId}/goods`, {
      name: "ئۆسۈملۈك يېغى",
      pricePoints: 25,
      stock: 10,
      imageUrl: "/goods/cooking-oil.svg",
    })
  ).goods;
  const kiosk = (await send("POST", `/api/villages/${ugVillageId}/kiosks`, { name: "1-ئۈسكۈنە" }))
    .token;
  await send(
    "POST",
    "/api/redemptions",
    { cardToken: ugCard.split("/c/")[1], items: [{ goodsId: goods.id, quantity: 1 }] },
    { authorization: `Bearer ${kiosk}`, cookie: "", "idempotency-key": crypto.randomUUID() },
  );
  // Then three days of notice: neighbours' entries wait on the board and the phone.
  await send("PATCH", `/api/villages/${ugVillageId}`, { noticeDays: 3 });
  for (let i = 1; i < households.length; i++)
    await award(households[i]!, i % 2 === 0 ? clean : litter);
  await award(households[0]!, elders);

  // A Chinese village's household with a long history, for the switch and the paging.
  const zhVillage = (await send("POST", "/api/villages", { name: "东河村", code: "DH" })).village
    .id;
  const zhHousehold = (
    await send("POST", `/api/villages/${zhVillage}/households`, { headName: "李秀英" })
  ).household.id;
  const zhRules = [
    await send("POST", `/api/villages/${zhVillage}/rules`, {
      code: "V-1",
      title: "参加志愿服务",
      category: "volunteer",
      points: 3,
    }),
  ];
  for (let i = 0; i < HISTORY_ENTRIES; i++)
    await send("POST", "/api/entries", {
      householdId: zhHousehold,
      ruleId: zhRules[0].rule.id,
      note: `第${i + 1}次`,
    });
  zhCard = (await send("POST", `/api/households/${zhHousehold}/cards`)).url;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  server?.stop();
}, 15_000);

async function open(
  url: string,
  options: BrowserContextOptions,
): Promise<{ page: Page; close: () => Promise<void> }> {
  // CSP bypassed so that axe can be injected into the page.
  const context = await browser.newContext({ bypassCSP: true, ...options });
  const page = await context.newPage();
  await page.goto(url);
  await page.evaluate(() => document.fonts.ready);
  return { page, close: () => context.close() };
}

const dirOf = (page: Page) =>
  page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);

browserTest(
  "the card page of a Uyghur village reads right to left, fits a phone and a television, and passes axe",
  async () => {
    // A phone set to English (as many are left) reads its village's language.
    const { page, close } = await open(ugCard, { viewport: PHONE, locale: "en-US" });
    expect(await dirOf(page)).toEqual(["ug", "rtl"]);
    await expect(page.locator("h1.name bdi").textContent()).resolves.toBe("ئ****ل");
    await expect(page.locator(".balance bdi").textContent()).resolves.toBe("50");
    await page.getByRole("heading", { name: "بۇ ئايلىق نومۇر" }).waitFor();
    // The font is the project's own, not whatever the phone has.
    expect(
      await page.evaluate(() => document.fonts.check('20px "Noto Sans Arabic"', "نومۇر")),
    ).toBe(true);
    // Right to left: the balance's hero starts at the right, the points of an entry sit at the left.
    const what = (await page.locator("#history .list li .what").first().boundingBox())!;
    const pts = (await page.locator("#history .list li .pts").first().boundingBox())!;
    expect(pts.x).toBeLessThan(what.x);
    for (const size of [PHONE, TV]) {
      await page.setViewportSize(size);
      expect({ size, overflowing: await overflowing(page) }).toEqual({ size, overflowing: [] });
    }
    await page.setViewportSize(PHONE);
    // The objection form, opened, is part of what must fit and pass.
    await page.locator("details.object summary").first().click();
    expect(await overflowing(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator("details.object summary").first().click();
    await page.screenshot({ path: screenshotPath("resident-card-ug-phone"), fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath("resident-card-ug-phone-top") });
    await close();
  },
  T_MS,
);

browserTest(
  "an unknown card's friendly page speaks Uyghur to a Uyghur phone and passes axe",
  async () => {
    const { page, close } = await open(`${server.url}/c/${"A".repeat(24)}`, {
      viewport: PHONE,
      locale: "ug-CN",
    });
    expect(await dirOf(page)).toEqual(["ug", "rtl"]);
    await expect(page.locator("h1").textContent()).resolves.toBe("بۇ نومۇر كارتىسى تېپىلمىدى");
    expect(await overflowing(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await close();
  },
  T_MS,
);

browserTest(
  "the language switch is a link, and the page keeps the choice across a reload",
  async () => {
    const { page, close } = await open(zhCard, { viewport: PHONE, locale: "zh-CN" });
    expect(await dirOf(page)).toEqual(["zh-CN", "ltr"]);
    await Promise.all([
      page.waitForURL(zhCard),
      page.getByRole("link", { name: "ئۇيغۇرچە" }).click(),
    ]);
    expect(await dirOf(page)).toEqual(["ug", "rtl"]);
    expect(page.url()).toBe(zhCard);
    await page.reload();
    expect(await dirOf(page)).toEqual(["ug", "rtl"]);
    await expect(page.getByRole("heading", { name: "يېقىنقى خاتىرىلەر" }).count()).resolves.toBe(1);
    await page.getByRole("link", { name: "中文" }).click();
    await page.reload();
    expect(await dirOf(page)).toEqual(["zh-CN", "ltr"]);
    await close();
  },
  T_MS,
);

browserTest(
  "with JavaScript disabled, 更早的记录 pages back through the whole history to the first entry",
  async () => {
    const { page, close } = await open(zhCard, {
      viewport: PHONE,
      locale: "zh-CN",
      javaScriptEnabled: false,
    });
    const seen: string[] = [];
    for (let pages = 1; ; pages++) {
      expect(pages).toBeLessThanOrEqual(Math.ceil(HISTORY_ENTRIES / 10));
      seen.push(...(await page.locator("#history .list li .pts").allTextContents()));
      const older = page.getByRole("link", { name: "更早的记录" });
      if ((await older.count()) === 0) break;
      await Promise.all([page.waitForURL(/before=\d+/), older.click()]);
    }
    expect(seen.length).toBe(HISTORY_ENTRIES);
    await page.getByText("以上是第一条记录").waitFor();
    await page.screenshot({ path: screenshotPath("resident-history-first-phone"), fullPage: true });
    await page.getByRole("link", { name: "回到最新记录" }).click();
    await page.getByRole("heading", { name: "最近记录" }).waitFor();
    await close();
  },
  T_MS,
);

browserTest(
  "the board of a Uyghur village reads right to left and every panel fits a phone and a television, axe clean",
  async () => {
    // The office television's browser speaks English: the board speaks the village's language.
    const { page, close } = await open(`${server.url}/board/${ugVillageId}`, {
      viewport: TV,
      locale: "en-US",
    });
    expect(await dirOf(page)).toEqual(["ug", "rtl"]);
    const panels = await page.locator(".panel").count();
    expect(panels).toBeLessThanOrEqual(BOARD_NOTICE_PANELS_MAX + 4);
    for (const size of [TV, PHONE]) {
      await page.setViewportSize(size);
      for (let panel = 1; panel <= panels; panel++) {
        await page.goto(`${server.url}/board/${ugVillageId}?panel=${panel}`);
        await page.evaluate(() => document.fonts.ready);
        expect({ size, panel, overflowing: await overflowing(page) }).toEqual({
          size,
          panel,
          overflowing: [],
        });
        expect({ size, panel, axe: await seriousViolations(page) }).toEqual({
          size,
          panel,
          axe: [],
        });
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.url}/board/${ugVillageId}?panel=1`);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: screenshotPath("board-ug-notice-tablet") });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: screenshotPath("board-ug-notice-phone") });
    await page.goto(`${server.url}/board/${ugVillageId}?panel=2`);
    await page.setViewportSize(TV);
    await page.screenshot({ path: screenshotPath("board-ug-honour-tv") });
    await close();
  },
  60_000,
);
