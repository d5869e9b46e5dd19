/**
 * The kiosk's voice in real Chromium. This machine's Chromium has no speech voices, so the page
 * gets a recording stand-in for `speechSynthesis` (one Mandarin voice) before it loads; the test
 * proves the kiosk speaks the balance with the same words and figure as the screen, and that the
 * mute button silences it. It does not prove that a real voice sounds right.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser } from "playwright-core";
import { browserTest, chromiumAvailable, launchChromium } from "../support/browser.ts";
import {
  kioskContext,
  openPaired,
  startKioskWorld,
  wedgeScan,
  type KioskWorld,
} from "../support/e2e/kiosk.ts";
import { recordingSpeech } from "../support/e2e/speech.ts";

let world: KioskWorld;
let browser: Browser;
const T = browserTest;
const T_MS = 30_000;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startKioskWorld({ 张建华: 120, 李秀英: 35 });
  browser = await launchChromium();
}, T_MS);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, T_MS);

T(
  "speaks the balance shown on screen, in the screen's words, and stays silent when muted",
  async () => {
    const ctx = await kioskContext(browser);
    await ctx.addInitScript(recordingSpeech);
    const page = await openPaired(ctx, world);
    const spoken = () =>
      page.evaluate(
        () => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken,
      );

    await wedgeScan(page, world.households[0]!.card.url);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    await expect(page.locator(".welcome-balance").innerText()).resolves.toMatch(/^120\s*积分$/);
    await page.waitForFunction(
      () => (window as unknown as { __spoken: unknown[] }).__spoken.length > 0,
      undefined,
      { timeout: 3000 },
    );
    const first = await spoken();
    expect(first).toEqual([{ text: "您好。可用积分 120。", lang: "zh-CN" }]);

    await page.getByRole("button", { name: /声音：开/ }).click();
    await expect(page.getByRole("button", { name: /声音：关/ }).count()).resolves.toBe(1);
    await page.getByRole("button", { name: /结束，回首页/ }).click();
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    await wedgeScan(page, world.households[1]!.card.url);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    await expect(page.locator(".welcome-balance").innerText()).resolves.toMatch(/^35\s*积分$/);
    await page.waitForTimeout(300);
    expect(await spoken()).toEqual(first);
    await ctx.close();
  },
  T_MS,
);
