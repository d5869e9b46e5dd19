/**
 * Issue 18 at the kiosk, in real Chromium against the real server (zh-CN, a tablet, touch): a
 * household suspended by a deduction (一票否决) is told kindly, before any goods, why and from
 * which Beijing day it may exchange again, and nothing is sold; outside the village's opening days
 * the attract screen and the household screen say when the supermarket opens next; a clerk signed
 * in on the kiosk opens it for one household's sale, which the audit log records. Each screen is
 * checked with axe and kept as screenshots (landscape and portrait); the suspension notice fits a
 * 1280×800 tablet without scrolling in Chinese, Uyghur and English.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { browserTest, chromiumAvailable, launchChromium } from "../support/browser.ts";
import {
  CLERK,
  kioskContext,
  openPaired,
  seriousViolations,
  shootBoth,
  startKioskWorld,
  wedgeScan,
  type KioskWorld,
} from "../support/e2e/kiosk.ts";

const T = browserTest;
const T_MS = 60_000;

let world: KioskWorld;
let browser: Browser;
let soapId = "";

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startKioskWorld({ 张建华: 100, 李秀英: 50 });
  const soap = await world.api("POST", `/api/villages/${world.villageId}/goods`, {
    name: "香皂",
    pricePoints: 4,
    stock: 20,
    category: "日用",
  });
  soapId = soap.body.goods.id;
  browser = await launchChromium();
}, T_MS);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, T_MS);

const who = (name: string) => world.households.find((h) => h.headName === name)!;

async function expectAxeClean(page: Page, screen: string): Promise<void> {
  expect({ screen, violations: await seriousViolations(page) }).toEqual({ screen, violations: [] });
}

/**
 * Nothing on the page scrolls: neither the document nor the household screen, which scrolls by
 * itself when its content is taller than the space under the top bar (the document never does).
 */
async function expectNoScroll(page: Page, where: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const sizes = await page.evaluate(() => {
    const screen = document.querySelector(".household-screen")!;
    return {
      document: document.scrollingElement!.scrollHeight <= innerHeight,
      screen: screen.scrollHeight <= screen.clientHeight,
      heights: `${document.scrollingElement!.scrollHeight}/${innerHeight}, ${screen.scrollHeight}/${screen.clientHeight}`,
    };
  });
  expect({ where, ...sizes }).toEqual({
    where,
    document: true,
    screen: true,
    heights: sizes.heights,
  });
}

const WEEKDAYS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];
/** How the kiosk writes a Beijing day: 2026年6月2日（星期二）. */
function zhDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日（${WEEKDAYS[d.getUTCDay()]}）`;
}

T(
  "a suspended household is told kindly why and until when, before any goods, and nothing is sold",
  async () => {
    const zhang = who("张建华");
    const rule = (
      await world.api("POST", `/api/villages/${world.villageId}/rules`, {
        code: "FZ-01",
        title: "参与赌博",
        category: "law",
        points: -10,
        suspendMonths: 3,
      })
    ).body.rule;
    const entry = await world.api("POST", "/api/entries", {
      householdId: zhang.id,
      ruleId: rule.id,
    });
    expect(entry.body.entry.status).toBe("posted");
    const { suspension } = (await world.api("GET", `/api/households/${zhang.id}/suspension`)).body;
    const balance = await world.balanceOf(zhang.id);

    const ctx = await kioskContext(browser);
    const page = await openPaired(ctx, world);
    await wedgeScan(page, zhang.card.url);
    const notice = page.locator(".suspended-notice");
    await notice.waitFor({ timeout: 5000 });
    await page.getByRole("heading", { name: "暂时不能兑换" }).waitFor();
    const text = (await notice.textContent()) ?? "";
    expect(text).toContain("因为“参与赌博”，村里暂停了您家的积分兑换。");
    expect(text).toContain(`${zhDay(suspension.until)}起可以再来兑换`);
    expect(text).toContain("有疑问，请找村委会。");
    // No way to the goods: the notice stands where 去选商品 would be.
    expect(await page.getByRole("button", { name: "去选商品" }).count()).toBe(0);
    // The whole notice fits a 1280×800 tablet: an elderly reader never has to scroll to 好的.
    await expectNoScroll(page, "zh-CN 1280×800");
    await shootBoth(page, "suspended-zh");
    await expectAxeClean(page, "suspended");
    // In Uyghur, right to left, the same notice in its own words.
    await page.locator(".lang-button").tap();
    await page.getByRole("heading", { name: "ۋاقتىنچە ئالماشتۇرغىلى بولمايدۇ" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    // Uyghur's longer words and taller lines still fit 1280×800 (the notice beside the balance).
    await expectNoScroll(page, "ug 1280×800");
    await shootBoth(page, "suspended-ug");
    await expectAxeClean(page, "suspended ug");
    await page.locator(".lang-button").tap();
    await page.getByRole("heading", { name: "No exchanges for now" }).waitFor();
    await expectNoScroll(page, "en 1280×800");
    await page.locator(".lang-button").tap();
    await page.getByRole("heading", { name: "暂时不能兑换" }).waitFor();

    await page.getByRole("button", { name: "好的" }).tap();
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    expect(await world.balanceOf(zhang.id)).toBe(balance);
    expect(
      (await world.api("GET", `/api/villages/${world.villageId}/redemptions`)).body.items,
    ).toEqual([]);

    // Another household is not touched by it.
    await wedgeScan(page, who("李秀英").card.url);
    await page.getByRole("button", { name: "去选商品" }).waitFor({ timeout: 5000 });
    await ctx.close();
  },
  T_MS,
);

T(
  "outside the opening days the kiosk says when the supermarket opens next; a clerk signed in on it opens it for one sale",
  async () => {
    // Open only on a day that is not today in Beijing, so the kiosk is closed now whenever this runs.
    const todayIso =
      new Date(Date.now() + 8 * 3600_000).getUTCDay() === 0
        ? 7
        : new Date(Date.now() + 8 * 3600_000).getUTCDay();
    const otherDay = (todayIso % 7) + 1;
    const set = await world.api("PATCH", `/api/villages/${world.villageId}`, {
      openingHours: { weekdays: [otherDay], opens: "08:00", closes: "12:00" },
    });
    expect(set.status).toBe(200);
    const hours = (
      await world.api("GET", "/api/kiosk/market-hours", undefined, {
        authorization: `Bearer ${world.kiosk.token}`,
        cookie: "",
      })
    ).body;
    expect(hours.open).toBe(false);
    const opens = new Date(Date.parse(hours.opensAt) + 8 * 3600_000);
    const expected = `${zhDay(opens.toISOString().slice(0, 10))} 08:00`;

    const ctx = await kioskContext(browser);
    const page = await openPaired(ctx, world);
    const closed = page.locator(".attract-screen .closed-notice");
    await closed.waitFor({ timeout: 5000 });
    await expect(closed.textContent()).resolves.toContain(`下次开门：${expected}`);
    await shootBoth(page, "closed-zh");
    await expectAxeClean(page, "closed attract");

    // A card read still shows the household its points, and when to come back, but no goods.
    const li = who("李秀英");
    await wedgeScan(page, li.card.url);
    await page.locator(".household-screen .closed-notice").waitFor({ timeout: 5000 });
    expect(await page.getByRole("button", { name: "去选商品" }).count()).toBe(0);
    await shootBoth(page, "closed-household-zh");
    await expectAxeClean(page, "closed household");
    await page.getByRole("button", { name: "好的" }).tap();
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });

    // The clerk signs in on the kiosk and opens it for one household.
    await page.getByRole("button", { name: "工作人员" }).tap();
    await page.getByRole("heading", { name: "工作人员登录" }).waitFor();
    await page.getByLabel("用户名").fill(CLERK.username);
    await page.getByLabel("密码").pressSequentially(CLERK.password, { delay: 5 });
    await page.getByRole("button", { name: "登录" }).tap();
    await page.getByRole("button", { name: "为一户开门兑换" }).tap();
    await wedgeScan(page, li.card.url);
    await page.getByRole("button", { name: "去选商品" }).tap();
    await page
      .locator("li.tile")
      .filter({ has: page.getByRole("heading", { name: "香皂", exact: true }) })
      .getByRole("button", { name: "加一件" })
      .tap();
    await page.getByRole("button", { name: "下一步：核对" }).tap();
    await page.getByRole("button", { name: "确认兑换" }).tap();
    await page.getByRole("heading", { name: "兑换成功" }).waitFor({ timeout: 5000 });
    expect(await world.balanceOf(li.id)).toBe(46);
    const sales = (await world.api("GET", `/api/villages/${world.villageId}/redemptions`)).body
      .items;
    expect(sales[0]).toMatchObject({
      householdId: li.id,
      totalPoints: 4,
      kioskName: "超市一号机",
      items: [{ goodsId: soapId, quantity: 1 }],
    });
    const audit = (
      await world.api("GET", `/api/audit?villageId=${world.villageId}&action=open_outside_hours`)
    ).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0].entityId).toBe(sales[0].id);
    await ctx.close();
  },
  T_MS,
);
