/**
 * The resident's phone page in real Chromium: a card opens the masked name, village and balance
 * in large type; an unknown card is a friendly page; screenshots at phone and tablet size.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { chromiumAvailable, launchChromium, screenshotPath, VIEWPORTS } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let browser: Browser;
let cardUrl = "";

beforeAll(async () => {
  if (!chromiumAvailable) return;
  server = startTestServer();
  const cookie = await server.login("admin");
  const post = async (path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return (await res.json()) as any;
  };
  const village = (await post("/api/villages", { name: "东河村", code: "DH" })).village;
  const household = (await post(`/api/villages/${village.id}/households`, { headName: "张建华", address: "东河村3组27号" })).household;
  cardUrl = (await post(`/api/households/${household.id}/cards`)).url;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  server?.stop();
});

test.skipIf(!chromiumAvailable)("shows the masked name, the village and the balance in large type on a phone", async () => {
  const page = await browser.newPage({ viewport: VIEWPORTS.phone, locale: "zh-CN" });
  await page.goto(cardUrl);
  await expect(page.locator(".name").textContent()).resolves.toBe("张*华");
  await expect(page.locator(".village").textContent()).resolves.toBe("东河村");
  const balanceSize = await page.locator(".balance").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(balanceSize).toBeGreaterThanOrEqual(48);
  expect(await page.content()).not.toContain("张建华");
  await page.screenshot({ path: screenshotPath("resident-card-phone"), fullPage: true });
  await page.setViewportSize(VIEWPORTS.tabletPortrait);
  await page.screenshot({ path: screenshotPath("resident-card-tablet"), fullPage: true });
  await page.close();
});

test.skipIf(!chromiumAvailable)("an unknown card opens a friendly page, not an error dump", async () => {
  const page = await browser.newPage({ viewport: VIEWPORTS.phone });
  const res = await page.goto(`${server.url}/c/${"A".repeat(22)}`);
  expect(res?.status()).toBe(404);
  await expect(page.locator(".name").textContent()).resolves.toBe("找不到这张积分卡");
  await page.screenshot({ path: screenshotPath("resident-card-unknown-phone"), fullPage: true });
  await page.close();
});
