/**
 * The household PIN at the kiosk (issue 20, finding 4), in real Chromium: in a village that
 * requires it, a card typed as its number on the number pad asks for the PIN before the sale; a
 * wrong PIN is said and charges nothing, the right one sells; a scanned card is never asked.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { browserTest, chromiumAvailable, launchChromium } from "../support/browser.ts";
import {
  kioskContext,
  openPaired,
  seriousViolations,
  startKioskWorld,
  wedgeScan,
  type KioskWorld,
} from "../support/e2e/kiosk.ts";

const T_MS = 40_000;
let world: KioskWorld;
let browser: Browser;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startKioskWorld({ 张建华: 100, 李秀英: 100 });
  expect(
    (
      await world.api("POST", `/api/villages/${world.villageId}/goods`, {
        name: "香皂",
        pricePoints: 4,
        stock: 50,
        imageUrl: "/goods/soap.svg",
      })
    ).status,
  ).toBe(201);
  expect(
    (await world.api("PATCH", `/api/villages/${world.villageId}`, { requirePinForNumber: true }))
      .status,
  ).toBe(200);
  for (const h of world.households)
    expect((await world.api("PUT", `/api/households/${h.id}/pin`, { pin: "2580" })).status).toBe(
      204,
    );
  browser = await launchChromium();
}, T_MS);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
});

const who = (name: string) => world.households.find((h) => h.headName === name)!;

async function tapDigits(page: Page, scope: string, digits: string): Promise<void> {
  for (const d of digits)
    await page.locator(scope).getByRole("button", { name: d, exact: true }).tap();
}

/** From the household screen: one soap into the basket, then the review screen. */
async function toReview(page: Page): Promise<void> {
  await page.locator(".household-screen").waitFor({ timeout: 5000 });
  await page.getByRole("button", { name: "去选商品" }).tap();
  await page.locator(".goods-grid").waitFor({ timeout: 5000 });
  await page
    .locator("li.tile")
    .filter({ has: page.getByRole("heading", { name: "香皂", exact: true }) })
    .getByRole("button", { name: "加一件" })
    .tap();
  await page.getByRole("button", { name: "下一步：核对" }).tap();
  await page.getByRole("heading", { name: "请核对" }).waitFor();
}

browserTest(
  "a typed card number asks for the household PIN: a wrong one is said and charges nothing, the right one sells",
  async () => {
    const ctx = await kioskContext(browser);
    const page = await openPaired(ctx, world);
    const zhang = who("张建华");
    await page.getByRole("button", { name: "没带卡或卡看不清？点这里输入卡号" }).tap();
    await tapDigits(page, ".keypad", zhang.card.number);
    await page.getByRole("button", { name: "查询" }).tap();
    await toReview(page);

    await page.getByRole("button", { name: "确认兑换" }).tap();
    const dialog = page.locator(".pin-dialog");
    await dialog.getByRole("heading", { name: "请输入家庭密码" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await tapDigits(page, ".pin-dialog", "1111");
    await expect(dialog.locator(".keypad-display").innerText()).resolves.not.toContain("1");
    await dialog.getByRole("button", { name: "确认", exact: true }).tap();
    await page.getByText("家庭密码不对").waitFor({ timeout: 5000 });
    expect(await world.balanceOf(zhang.id)).toBe(100);

    await page.getByRole("button", { name: "确认兑换" }).tap();
    await dialog.getByRole("heading", { name: "请输入家庭密码" }).waitFor();
    await tapDigits(page, ".pin-dialog", "2580");
    await dialog.getByRole("button", { name: "确认", exact: true }).tap();
    await page.getByRole("heading", { name: "兑换成功" }).waitFor({ timeout: 5000 });
    expect(await world.balanceOf(zhang.id)).toBe(96);
    // The PIN never reached the kiosk's storage.
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain("2580");
    await ctx.close();
  },
  T_MS,
);

browserTest(
  "a scanned card is never asked for the PIN",
  async () => {
    const ctx = await kioskContext(browser);
    const page = await openPaired(ctx, world);
    const li = who("李秀英");
    await wedgeScan(page, li.card.url);
    await toReview(page);
    await page.getByRole("button", { name: "确认兑换" }).tap();
    await page.getByRole("heading", { name: "兑换成功" }).waitFor({ timeout: 5000 });
    expect(await page.locator(".pin-dialog[open]").count()).toBe(0);
    expect(await world.balanceOf(li.id)).toBe(96);
    await ctx.close();
  },
  T_MS,
);
