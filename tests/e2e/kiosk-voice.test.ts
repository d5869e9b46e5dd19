/**
 * The kiosk's voice in real Chromium. This machine's Chromium has no speech voices, so the page
 * gets a recording stand-in for `speechSynthesis` (one Mandarin voice) before it loads; the test
 * proves the kiosk speaks the balance with the same words and figure as the screen, then the honour
 * score and its stars (none spoken below the first star), and that the mute button silences it. It
 * does not prove that a real voice sounds right.
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
  // 张建华 earned 300 and spent 180: 120 to spend, honour 300, three stars (100, 200, 300).
  // 李秀英 earned 35: below the first star, so no star words.
  world = await startKioskWorld({ 张建华: 300, 李秀英: 35 });
  const must = async (r: Promise<{ status: number; body: any }>) => {
    const { status, body } = await r;
    if (status >= 300) throw new Error(`${status} ${JSON.stringify(body)}`);
    return body;
  };
  await must(
    world.api("PATCH", `/api/villages/${world.villageId}`, { starThresholds: [100, 200, 300] }),
  );
  const goods = (
    await must(
      world.api("POST", `/api/villages/${world.villageId}/goods`, {
        name: "食用油",
        pricePoints: 180,
        stock: 5,
      }),
    )
  ).goods;
  await must(
    world.api(
      "POST",
      "/api/redemptions",
      { cardToken: world.households[0]!.card.token, items: [{ goodsId: goods.id, quantity: 1 }] },
      { cookie: "", authorization: `Bearer ${world.kiosk.token}`, "idempotency-key": "voice-1" },
    ),
  );
  browser = await launchChromium();
}, T_MS);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, T_MS);

T(
  "speaks the balance, honour score and stars shown on screen, in the screen's words, and stays silent when muted",
  async () => {
    const ctx = await kioskContext(browser);
    await ctx.addInitScript(recordingSpeech);
    const page = await openPaired(ctx, world);
    const spoken = () =>
      page.evaluate(
        () => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken,
      );
    const spokenCount = (n: number) =>
      page.waitForFunction(
        (n) => (window as unknown as { __spoken: unknown[] }).__spoken.length >= n,
        n,
        { timeout: 3000 },
      );

    await wedgeScan(page, world.households[0]!.card.url);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    await expect(page.locator(".welcome-balance").innerText()).resolves.toMatch(/^120\s*积分$/);
    await expect(page.locator(".honour-value").innerText()).resolves.toMatch(/^300/);
    await expect(page.locator(".honour-stars").innerText()).resolves.toBe("★★★ 3 星");
    await spokenCount(1);
    expect(await spoken()).toEqual([
      { text: "您好。可用积分 120。荣誉积分 300，3 星。", lang: "zh-CN" },
    ]);

    // Below the first star: the honour score, and no star words at all.
    await page.getByRole("button", { name: /结束，回首页/ }).click();
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    await wedgeScan(page, world.households[1]!.card.url);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    await expect(page.locator(".welcome-balance").innerText()).resolves.toMatch(/^35\s*积分$/);
    await expect(page.locator(".honour-stars").count()).resolves.toBe(0);
    await spokenCount(2);
    const second = await spoken();
    expect(second[1]).toEqual({ text: "您好。可用积分 35。荣誉积分 35。", lang: "zh-CN" });
    expect(second[1]!.text).not.toContain("星");

    await page.getByRole("button", { name: /声音：开/ }).click();
    await expect(page.getByRole("button", { name: /声音：关/ }).count()).resolves.toBe(1);
    await page.getByRole("button", { name: /结束，回首页/ }).click();
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    await wedgeScan(page, world.households[0]!.card.url);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    await expect(page.locator(".welcome-balance").innerText()).resolves.toMatch(/^120\s*积分$/);
    await page.waitForTimeout(300);
    expect(await spoken()).toEqual(second);
    await ctx.close();
  },
  T_MS,
);
