/**
 * The kiosk in real Chromium against the real server, before any goods are involved: pairing and
 * its not-paired and revoked screens, a card read by a wedge scanner and by the number pad (also
 * alone, from the attract screen's "no card?" button), the offline banner, the idle question
 * with page.clock, Uyghur right to left, the clerk's sign-in, axe-core on every screen,
 * screenshots at both orientations, and no request leaving the origin.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  browserTest,
  chromiumAvailable,
  launchChromium,
  settled,
  VIEWPORTS,
} from "../support/browser.ts";
import {
  CLERK,
  kioskContext,
  openPaired,
  seriousViolations,
  settle,
  shootBoth,
  startKioskWorld,
  wedgeScan,
  type KioskWorld,
} from "../support/e2e/kiosk.ts";

let world: KioskWorld;
let browser: Browser;
const requested: string[] = [];
const T = browserTest;
const T_MS = 30_000; // bun's own default is 5 s; these drive a browser

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startKioskWorld({ 张建华: 120, 李秀英: 5, 王德明: 0 });
  browser = await launchChromium();
}, T_MS);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, T_MS);

async function context(options: Parameters<typeof kioskContext>[1] = {}): Promise<BrowserContext> {
  const ctx = await kioskContext(browser, options);
  ctx.on("request", (r) => requested.push(r.url()));
  return ctx;
}

async function expectAxeClean(page: Page, screen: string): Promise<void> {
  const v = await seriousViolations(page);
  expect({ screen, violations: v }).toEqual({ screen, violations: [] });
}

const zhang = () => world.households[0]!;
const li = () => world.households[1]!;

T(
  "pairing: the token moves from the address bar into storage and survives a reload",
  async () => {
    const ctx = await context();
    const page = await openPaired(ctx, world);
    expect(page.url()).toBe(`${world.server.url}/kiosk`);
    expect(await page.evaluate(() => localStorage.getItem("jifen.kiosk.token"))).toBe(
      world.kiosk.token,
    );
    await expect(page.locator(".brand-village").textContent()).resolves.toBe("东河村");
    await page.reload();
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    await shootBoth(page, "attract-zh");
    await expectAxeClean(page, "attract");
    await ctx.close();
  },
  T_MS,
);

T(
  "without a token the kiosk says it is not paired; a bad token is locked",
  async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${world.server.url}/kiosk`);
    await page.getByRole("heading", { name: "本机还没有配对" }).waitFor({ timeout: 5000 });
    await shootBoth(page, "unpaired-zh");
    await expectAxeClean(page, "unpaired");
    await page.goto(`${world.server.url}/kiosk?pair=${"x".repeat(43)}`);
    await page.getByRole("heading", { name: "本机已停用" }).waitFor({ timeout: 5000 });
    await ctx.close();
  },
  T_MS,
);

T(
  "a revoked kiosk shows the locked screen on reload and on its next card read",
  async () => {
    const extra = await world.api("POST", `/api/villages/${world.villageId}/kiosks`, {
      name: "待停用",
    });
    expect(extra.status).toBe(201);
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${world.server.url}/kiosk?pair=${extra.body.token}`);
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    expect((await world.api("DELETE", `/api/kiosks/${extra.body.id}`)).status).toBe(204);
    // Without a reload: the next card read meets a 401 and locks the screen, showing nobody.
    await wedgeScan(page, zhang().card.url);
    await page.getByRole("heading", { name: "本机已停用" }).waitFor({ timeout: 5000 });
    expect(await page.locator(".household-screen").count()).toBe(0);
    await page.reload();
    await page.getByRole("heading", { name: "本机已停用" }).waitFor({ timeout: 5000 });
    await shootBoth(page, "locked-zh");
    await expectAxeClean(page, "locked");
    await ctx.close();
  },
  T_MS,
);

T(
  "a wedge scanner's burst reads the card on the attract screen; a person typing does not",
  async () => {
    const ctx = await context();
    const page = await openPaired(ctx, world);
    const lookups: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/kiosk/cards/")) lookups.push(r.url());
    });

    // Slow typing (120 ms a key) is a person, not a scanner: nothing is looked up.
    expect(await wedgeScan(page, zhang().card.number, 120)).toBeGreaterThan(100);
    await page.waitForTimeout(300);
    expect(lookups).toEqual([]);
    expect(await page.locator(".attract-screen").count()).toBe(1);

    // The same code scanned twice back to back: one lookup, one household screen.
    await wedgeScan(page, zhang().card.url);
    await wedgeScan(page, zhang().card.url);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    await expect(page.locator(".welcome-name").textContent()).resolves.toBe("张*华");
    await expect(page.locator(".welcome-balance").innerText()).resolves.toMatch(/^120\s*积分$/);
    expect(lookups.length).toBe(1);
    expect(await page.content()).not.toContain("张建华");
    await shootBoth(page, "household-zh");
    await expectAxeClean(page, "household");

    // Home, then the bare token and the printed number, as some scanners type them.
    await page.getByRole("button", { name: "结束，回首页" }).tap();
    await page.locator(".attract-screen").waitFor();
    await wedgeScan(page, li().card.token);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    await expect(page.locator(".welcome-name").textContent()).resolves.toBe("李*英");
    await page.getByRole("button", { name: "结束，回首页" }).tap();
    await wedgeScan(page, zhang().card.number);
    await expect(page.locator(".welcome-name").textContent()).resolves.toBe("张*华");
    await ctx.close();
  },
  T_MS,
);

T(
  "an unknown card and a text that is no card say so in words on the scan screen",
  async () => {
    const ctx = await context();
    const page = await openPaired(ctx, world);
    await wedgeScan(page, `${world.server.url}/c/${"A".repeat(22)}`);
    await page.getByText("没有找到这张卡。请再试一次，或找工作人员").waitFor({ timeout: 5000 });
    await wedgeScan(page, "hello-world-123");
    await page.getByText("这不是积分卡，请扫描积分卡上的二维码").waitFor({ timeout: 5000 });
    await shootBoth(page, "scan-not-a-card-zh");
    await ctx.close();
  },
  T_MS,
);

T(
  "the number pad: 7 digits keep 查询 disabled, the 8th enables it and the card opens",
  async () => {
    const ctx = await context();
    const page = await openPaired(ctx, world);
    await page.getByRole("button", { name: "开始兑换" }).tap();
    await page.locator(".scan-screen").waitFor();
    // No camera in this browser: the screen says so and points to the scanner and the pad.
    await page.locator(".camera-unavailable").waitFor({ timeout: 5000 });
    await shootBoth(page, "scan-zh");
    await expectAxeClean(page, "scan");
    const number = li().card.number;
    const query = page.getByRole("button", { name: "查询" });
    for (const d of number.slice(0, 7))
      await page.locator(".keypad-keys").getByRole("button", { name: d, exact: true }).tap();
    const seven = number.slice(0, 7).split("").join("\n");
    expect(
      await settled(
        () => page.locator(".keypad-display").innerText(),
        (t) => t === seven,
      ),
    ).toBe(seven);
    expect(await query.isDisabled()).toBe(true);
    await page.locator(".keypad-keys").getByRole("button", { name: number[7]!, exact: true }).tap();
    expect(
      await settled(
        () => query.isEnabled(),
        (on) => on,
      ),
    ).toBe(true);
    await query.tap();
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    await expect(page.locator(".welcome-name").textContent()).resolves.toBe("李*英");
    await expect(page.locator(".welcome-balance").innerText()).resolves.toMatch(/^5\s*积分$/);
    await ctx.close();
  },
  T_MS,
);

T(
  "没带卡？ on the attract screen is an 80 px button that opens the number pad alone",
  async () => {
    const ctx = await context();
    const page = await openPaired(ctx, world);
    const hint = page.getByRole("button", { name: "没带卡或卡看不清？点这里输入卡号" });
    for (const size of [VIEWPORTS.tabletLandscape, VIEWPORTS.tabletPortrait]) {
      await page.setViewportSize(size);
      const box = (await hint.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(80);
      expect(box.width).toBeGreaterThanOrEqual(80);
    }
    await page.setViewportSize(VIEWPORTS.tabletLandscape);
    await hint.tap();
    await page.getByRole("heading", { name: "请输入卡号", level: 1 }).waitFor({ timeout: 5000 });
    // No card to show: the pad stands alone and the camera is never asked for.
    expect(await page.locator(".camera").count()).toBe(0);
    await shootBoth(page, "keypad-only-zh");
    await expectAxeClean(page, "keypad only");
    for (const d of zhang().card.number)
      await page.locator(".keypad-keys").getByRole("button", { name: d, exact: true }).tap();
    await page.getByRole("button", { name: "查询" }).tap();
    await expect(page.locator(".welcome-name").textContent()).resolves.toBe("张*华");
    // 开始兑换 still opens the camera beside the pad.
    await page.getByRole("button", { name: "结束，回首页" }).tap();
    await page.getByRole("button", { name: "开始兑换" }).tap();
    await page.locator(".camera").waitFor({ timeout: 5000 });
    await ctx.close();
  },
  T_MS,
);

T(
  "offline: the banner stands while /healthz fails and goes when it answers again",
  async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.clock.install();
    await page.goto(`${world.server.url}/kiosk?pair=${world.kiosk.token}`);
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    await wedgeScan(page, zhang().card.url);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });

    await page.route("**/healthz", (r) => r.abort("connectionrefused"));
    await page.clock.fastForward(10_500); // the next poll (every 10 s while online)
    const banner = page.getByRole("alert").filter({ hasText: "网络中断，暂停兑换，积分未扣除" });
    await banner.waitFor({ timeout: 3000 });
    await shootBoth(page, "offline-zh");
    await expectAxeClean(page, "offline");
    // While offline a card read fails with words, not a spinner that never ends.
    await page.getByRole("button", { name: "结束，回首页" }).tap();
    await page.route("**/api/kiosk/cards/**", (r) => r.abort("connectionrefused"));
    await wedgeScan(page, li().card.url);
    await page.getByText("网络不通，请稍后再试").waitFor({ timeout: 5000 });

    await page.unroute("**/healthz");
    await page.unroute("**/api/kiosk/cards/**");
    await page.clock.fastForward(4500); // polls every 4 s while offline
    await banner.waitFor({ state: "detached", timeout: 3000 });
    await ctx.close();
  },
  T_MS,
);

T(
  "idle: after 90 s the kiosk asks 还需要时间吗？, keeps the visit on 需要，继续, and clears it 20 s later",
  async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.clock.install();
    await page.goto(`${world.server.url}/kiosk?pair=${world.kiosk.token}`);
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    await wedgeScan(page, zhang().card.url);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    const dialog = page.getByRole("dialog", { name: "还需要时间吗？" });

    await page.clock.fastForward("01:00");
    expect(await dialog.isVisible()).toBe(false);
    await page.clock.fastForward("00:31");
    await dialog.waitFor({ timeout: 3000 });
    await expect(dialog.locator(".countdown").innerText()).resolves.toMatch(/^(19|20)$/);
    await shootBoth(page, "idle-zh");
    await expectAxeClean(page, "idle dialog");
    await dialog.getByRole("button", { name: "需要，继续" }).tap();
    await dialog.waitFor({ state: "hidden", timeout: 3000 });
    expect(await page.locator(".household-screen").count()).toBe(1);

    await page.clock.fastForward("01:31");
    await dialog.waitFor({ timeout: 3000 });
    await page.clock.fastForward("00:21");
    await page.locator(".attract-screen").waitFor({ timeout: 3000 });
    await dialog.waitFor({ state: "hidden", timeout: 1000 });
    expect(await page.locator(".household-bar, .household-screen").count()).toBe(0);
    expect(
      await page.evaluate(() => [
        localStorage.getItem("jifen.kiosk.draft"),
        localStorage.getItem("jifen.kiosk.pending"),
      ]),
    ).toEqual([null, null]);
    // The attract screen itself never times out.
    await page.clock.fastForward("05:00");
    expect(await dialog.isVisible()).toBe(false);
    await ctx.close();
  },
  T_MS,
);

T(
  "Uyghur: one button turns the kiosk right to left with Latin digits, <bdi> names and its own font",
  async () => {
    const ctx = await context();
    const page = await openPaired(ctx, world);
    const fonts: string[] = [];
    page.on("response", (r) => {
      if (r.url().includes("/fonts/") && r.status() === 200) fonts.push(new URL(r.url()).pathname);
    });
    await page.locator(".lang-button").tap();
    await expect(
      page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
    ).resolves.toEqual(["ug", "rtl"]);
    await settle(page);
    expect(
      await page.evaluate(() => document.fonts.check('32px "Noto Sans Arabic"', "ئۇيغۇرچە")),
    ).toBe(true);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => f.startsWith("/kiosk/fonts/"))).toBe(true);
    await shootBoth(page, "attract-ug");
    await expectAxeClean(page, "attract ug");

    await page.locator(".attract-action .btn-hero").tap();
    await page.locator(".scan-screen").waitFor();
    // The back button leads the line, which in Uyghur is the right-hand side.
    const back = await page.locator(".scan-screen .screen-head .btn").first().boundingBox();
    expect(back!.x).toBeGreaterThan(1280 / 2);
    await shootBoth(page, "scan-ug");

    await wedgeScan(page, zhang().card.url);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    await expect(page.locator("bdi.welcome-name").textContent()).resolves.toBe("张*华");
    await expect(
      page.locator(".welcome-balance .num, .welcome-balance bdi").first().textContent(),
    ).resolves.toMatch(/^[0-9]+$/);
    expect((await page.locator(".welcome-balance").innerText()).replace(/\D/g, "")).toBe("120");
    await shootBoth(page, "household-ug");
    await expectAxeClean(page, "household ug");

    // Once more to English, and the direction comes back.
    await page.locator(".lang-button").tap();
    await expect(
      page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
    ).resolves.toEqual(["en", "ltr"]);
    await shootBoth(page, "household-en");
    await ctx.close();
  },
  T_MS,
);

T(
  "staff sign in on the kiosk: a wrong password is refused in words, the clerk gets the staff screen",
  async () => {
    const ctx = await context();
    const page = await openPaired(ctx, world);
    await page.getByRole("button", { name: "工作人员" }).tap();
    await page.getByRole("heading", { name: "工作人员登录" }).waitFor();
    await shootBoth(page, "staff-login-zh");
    await expectAxeClean(page, "staff login");
    await page.getByLabel("用户名").fill(CLERK.username);
    await page.getByLabel("密码").fill("wrong-password-00");
    await page.getByRole("button", { name: "登录" }).tap();
    await page
      .getByRole("alert")
      .filter({ hasText: "用户名或密码不对" })
      .waitFor({ timeout: 5000 });
    // Typing a password fast is not a card scan.
    await page.getByLabel("密码").pressSequentially(CLERK.password, { delay: 5 });
    await page.getByRole("button", { name: "登录" }).tap();
    await page.getByRole("heading", { name: "工作人员", exact: true }).waitFor({ timeout: 5000 });
    await page.getByText("本机还没有兑换记录").waitFor();
    await shootBoth(page, "staff-empty-zh");
    await expectAxeClean(page, "staff");
    await page.getByRole("button", { name: "退出登录" }).tap();
    await page.locator(".attract-screen").waitFor();
    await ctx.close();
  },
  T_MS,
);

T(
  "no request of any test in this file left the server's origin",
  () => {
    expect(requested.length).toBeGreaterThan(20);
    expect(
      requested.filter((u) => !u.startsWith(world.server.url + "/") && !u.startsWith("data:")),
    ).toEqual([]);
  },
  T_MS,
);
