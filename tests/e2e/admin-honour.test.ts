/**
 * The staff pages in real Chromium show a household's two figures (issue 18): the households list
 * has a column of the honour score with its stars beside the spendable points, and a household's
 * page says both in plain words, the honour with its star tier. axe clean; screenshots at a
 * computer's size and on a tablet.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser } from "playwright-core";
import { browserTest, chromiumAvailable, launchChromium } from "../support/browser.ts";
import {
  checkPage,
  overflowingWidth,
  signIn,
  staffContext,
  startStaffWorld,
  type StaffWorld,
} from "../support/e2e/admin.ts";

let world: StaffWorld;
let browser: Browser;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startStaffWorld();
  const [zhang, liu] = world.households;
  await world.must("PATCH", `/api/villages/${world.villageA}`, { starThresholds: [5, 10, 20] });
  // 张建华: 5 + 5 + 3 − 5 = 8 earned (one star); a sale of 6 leaves 2 to spend.
  for (const ruleId of [
    world.rules.volunteer,
    world.rules.capped,
    world.rules.clean,
    world.rules.litter,
  ])
    await world.must("POST", "/api/entries", { householdId: zhang!.id, ruleId });
  for (let i = 0; i < 4; i++)
    await world.must("POST", "/api/entries", {
      householdId: liu!.id,
      ruleId: world.rules.volunteer,
    });
  const goods = (
    await world.must("POST", `/api/villages/${world.villageA}/goods`, {
      name: "肥皂",
      pricePoints: 6,
      stock: 10,
    })
  ).goods;
  const kiosk = (
    await world.must("POST", `/api/villages/${world.villageA}/kiosks`, { name: "一号机" })
  ).token;
  const token = world.server.db
    .query<{ token: string }, [number]>("SELECT token FROM cards WHERE id = ?")
    .get(Number(zhang!.cardId))!.token;
  const sale = await fetch(`${world.server.url}/api/redemptions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${kiosk}`,
      "content-type": "application/json",
      "idempotency-key": "admin-honour-1",
    },
    body: JSON.stringify({ cardToken: token, items: [{ goodsId: goods.id, quantity: 1 }] }),
  });
  if (sale.status !== 201) throw new Error(`sale ${sale.status}`);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, 15_000);

browserTest(
  "the households list shows the spendable points and the honour score with its stars",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", "/admin/households");
    const heads = await page.locator(".households-table thead th").allInnerTexts();
    expect(heads.slice(-2)).toEqual(["可用积分", "荣誉积分"]);
    const row = page.locator(".households-table tbody tr", { hasText: "张建华" });
    const cells = await row.locator("td").allInnerTexts();
    expect(cells.slice(-2)).toEqual(["2", "8 ★"]);
    await expect(row.locator(".household-stars").getAttribute("aria-label")).resolves.toBe("1 星");
    const liu = await page
      .locator(".households-table tbody tr", { hasText: "刘德明" })
      .locator("td")
      .allInnerTexts();
    expect(liu.slice(-2)).toEqual(["20", "20 ★★★"]);
    expect(await overflowingWidth(page)).toBe(0);
    await checkPage(page, "households-honour-1366x768");
    await context.close();
  },
  60_000,
);

browserTest(
  "a household's page says both figures in plain words, on a computer and a tablet",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", `/admin/households/${world.households[0]!.id}`);
    const card = page.locator(".balance-card");
    await expect(card.locator("#balance-title").innerText()).resolves.toBe("可用积分");
    await expect(card.locator(".balance-big").innerText()).resolves.toBe("2");
    await expect(card.locator("#honour-title").innerText()).resolves.toBe("荣誉积分");
    await expect(card.locator(".honour-big").innerText()).resolves.toBe("8 ★");
    await expect(card.innerText()).resolves.toContain("兑换和年底清零都不减少");
    await checkPage(page, "household-honour-1366x768");
    await page.setViewportSize({ width: 800, height: 1280 });
    expect(await overflowingWidth(page)).toBe(0);
    await checkPage(page, "household-honour-800x1280");
    await context.close();
  },
  60_000,
);
