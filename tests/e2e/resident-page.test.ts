/**
 * The resident's phone page in real Chromium: a card opens the masked name, village and balance
 * in large type; an unknown card is a friendly page; a resident objects to an entry on notice
 * from the page (no script needed); screenshots at phone and tablet size.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser } from "playwright-core";
import {
  browserTest,
  chromiumAvailable,
  launchChromium,
  screenshotPath,
  VIEWPORTS,
} from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let browser: Browser;
let cardUrl = "";
let noticeEntryId = "";

beforeAll(async () => {
  if (!chromiumAvailable) return;
  server = startTestServer();
  const cookie = await server.login("admin");
  const post = async (path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as any;
  };
  const village = (await post("/api/villages", { name: "东河村", code: "DH" })).village;
  const household = (
    await post(`/api/villages/${village.id}/households`, {
      headName: "张建华",
      address: "东河村3组27号",
    })
  ).household;
  cardUrl = (await post(`/api/households/${household.id}/cards`)).url;
  // A neighbour's award on public notice, for the objection form.
  await fetch(`${server.url}/api/villages/${village.id}`, {
    method: "PATCH",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ noticeDays: 3 }),
  });
  const neighbour = (await post(`/api/villages/${village.id}/households`, { headName: "李秀英" }))
    .household;
  const rule = (
    await post(`/api/villages/${village.id}/rules`, {
      code: "VOL-1",
      title: "参加志愿服务",
      category: "volunteer",
      points: 10,
    })
  ).rule;
  noticeEntryId = (await post("/api/entries", { householdId: neighbour.id, ruleId: rule.id })).entry
    .id;
  browser = await launchChromium();
}, 15_000);
afterAll(async () => {
  await browser?.close();
  server?.stop();
}, 15_000);

browserTest(
  "shows the masked name, the village and the balance in large type on a phone",
  async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS.phone, locale: "zh-CN" });
    await page.goto(cardUrl);
    await expect(page.locator(".name").textContent()).resolves.toBe("张*华");
    await expect(page.locator(".village").textContent()).resolves.toBe("东河村");
    const balanceSize = await page
      .locator(".balance")
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(balanceSize).toBeGreaterThanOrEqual(48);
    expect(await page.content()).not.toContain("张建华");
    await page.screenshot({ path: screenshotPath("resident-card-phone"), fullPage: true });
    await page.setViewportSize(VIEWPORTS.tabletPortrait);
    await page.screenshot({ path: screenshotPath("resident-card-tablet"), fullPage: true });
    await page.close();
  },
  15_000,
);

browserTest(
  "an unknown card opens a friendly page, not an error dump",
  async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS.phone });
    const res = await page.goto(`${server.url}/c/${"A".repeat(22)}`);
    expect(res?.status()).toBe(404);
    await expect(page.locator(".name").textContent()).resolves.toBe("找不到这张积分卡");
    await page.screenshot({ path: screenshotPath("resident-card-unknown-phone"), fullPage: true });
    await page.close();
  },
  15_000,
);

browserTest(
  "a resident objects to an entry on notice from the phone page, with no script",
  async () => {
    const context = await browser.newContext({
      viewport: VIEWPORTS.phone,
      locale: "zh-CN",
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(cardUrl);
    await expect(page.locator(".list li.notice").count()).resolves.toBe(1);
    await page.getByText("我有异议").click();
    await page.locator("textarea[name=reason]").fill("那天李家没有来参加志愿服务");
    await page.screenshot({
      path: screenshotPath("resident-objection-form-phone"),
      fullPage: true,
    });
    await Promise.all([
      page.waitForURL(/objected=/),
      page.getByRole("button", { name: "提交异议" }).click(),
    ]);
    await expect(page.locator(".banner.ok").textContent()).resolves.toContain("异议已提交");
    await expect(page.locator(".tag-disputed").textContent()).resolves.toBe("有异议，待村委会复核");
    const stored = server.db
      .query<{ status: string }, [number]>("SELECT status FROM entries WHERE id = ?")
      .get(Number(noticeEntryId));
    expect(stored?.status).toBe("disputed");
    await page.screenshot({
      path: screenshotPath("resident-objection-sent-phone"),
      fullPage: true,
    });
    await page.setViewportSize(VIEWPORTS.tabletPortrait);
    await page.screenshot({
      path: screenshotPath("resident-objection-sent-tablet"),
      fullPage: true,
    });
    await context.close();
  },
  15_000,
);
