/**
 * The kiosk's last rough edges for elderly users, in real Chromium against the real server, by
 * touch as a villager would: a purchase chosen by tapping goods' pictures and names only (with the
 * same voice and badge as 加一件, and a screen reader told so); 上一页 / 下一页 that reach the last
 * of 18 goods at each tablet size; the same card scanned again within 3 s after a network error
 * still read once; a clerk signing in by tapping their name and a PIN on the on-screen keypad;
 * and no heading or instruction on any screen breaking inside a word, in Chinese and Uyghur, at
 * 1280×800, 1024×768 and 800×1280.
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
import { recordingSpeech, spokenOn } from "../support/e2e/speech.ts";
import { textOutside, wordsBroken } from "../support/e2e/layout.ts";

const T = browserTest;
const T_MS = 60_000;
const SIZES = [
  VIEWPORTS.tabletLandscape,
  { width: 1024, height: 768 },
  VIEWPORTS.tabletPortrait,
] as const;
/** The headings and instructions of every screen, as kiosk.css keeps their words whole. */
const WORDS =
  "h1, h2, h3, .attract-lead, .attract-how, .attract-hint, .camera-label, .keypad-hint, .action-note, .notice-card p, .idle-dialog p, .scan-status, .review-status, .form-error, .staff-message, .staff-note, .welcome-label, .pager-page, .pager-btn";

/** Every picture in public/goods, so the shelf is longer than one screen. */
const GOODS: [string, number, string][] = [
  ["大米 5kg", 35, "rice"],
  ["食用油 1.8L", 45, "cooking-oil"],
  ["洗洁精", 8, "dish-soap"],
  ["鸡蛋 10个", 12, "eggs"],
  ["作业本", 3, "exercise-books"],
  ["洗衣粉", 15, "laundry-powder"],
  ["挂面", 6, "noodles"],
  ["食用盐 400g", 3, "salt"],
  ["书包", 60, "schoolbag"],
  ["洗发水", 20, "shampoo"],
  ["香皂", 4, "soap"],
  ["酱油 500ml", 8, "soy-sauce"],
  ["保温杯", 150, "thermos"],
  ["卫生纸", 18, "toilet-paper"],
  ["牙膏", 9, "toothpaste"],
  ["毛巾", 10, "towel"],
  ["脸盆", 14, "basin"],
  ["雨伞", 30, "umbrella"],
];
const PIN = "2580";
const CLERK_NAME = "王会计";

let world: KioskWorld;
let browser: Browser;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startKioskWorld({ 张建华: 300, 李秀英: 40, 王德明: 500 });
  for (const [name, pricePoints, file] of GOODS) {
    const r = await world.api("POST", `/api/villages/${world.villageId}/goods`, {
      name,
      pricePoints,
      stock: 20,
      imageUrl: `/goods/${file}.svg`,
    });
    if (r.status !== 201) throw new Error(`goods ${r.status} ${JSON.stringify(r.body)}`);
  }
  // The clerk sets a kiosk PIN on the staff pages (the API they use) and has a display name.
  const users = await world.api("GET", "/api/users");
  const clerk = users.body.items.find((u: { username: string }) => u.username === CLERK.username);
  await world.api("PATCH", `/api/users/${clerk.id}`, { displayName: CLERK_NAME });
  const clerkCookie = await world.server.login(CLERK.username, CLERK.password);
  const set = await fetch(`${world.server.url}/api/me/pin`, {
    method: "PUT",
    headers: { cookie: clerkCookie, "content-type": "application/json" },
    body: JSON.stringify({ pin: PIN, password: CLERK.password }),
  });
  if (set.status !== 204) throw new Error(`PIN ${set.status}`);
  browser = await launchChromium();
}, T_MS);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, T_MS);

const who = (name: string) => world.households.find((h) => h.headName === name)!;

function tile(page: Page, name: string) {
  return page.locator("li.tile").filter({ has: page.getByRole("heading", { name, exact: true }) });
}

async function startVisit(page: Page, name: string): Promise<void> {
  await wedgeScan(page, who(name).card.url);
  await page.locator(".household-screen").waitFor({ timeout: 5000 });
  await page.getByRole("button", { name: "去选商品" }).tap();
  await page.locator(".goods-grid").waitFor({ timeout: 5000 });
}

/** A finger on the middle of an element, wherever the page has it (not Playwright's click on it). */
async function fingerOn(page: Page, selector: ReturnType<Page["locator"]>): Promise<void> {
  await selector.scrollIntoViewIfNeeded();
  const box = (await selector.boundingBox())!;
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
}

/** Waits for the page number to read `text` (it follows the box's scroll event). */
async function pageShown(page: Page, text: string): Promise<void> {
  await page.locator(".pager-page", { hasText: text }).waitFor({ timeout: 3000 });
}

async function stockOf(name: string): Promise<number> {
  const r = await world.api("GET", `/api/villages/${world.villageId}/goods`);
  return r.body.items.find((g: { name: string }) => g.name === name).stock;
}

T(
  "a purchase chosen by tapping pictures and names only: the same voice and badge as 加一件, told to a screen reader",
  async () => {
    const ctx = await kioskContext(browser);
    await ctx.addInitScript(recordingSpeech);
    const page = await openPaired(ctx, world);
    await startVisit(page, "张建华");
    const rice = tile(page, "大米 5kg");
    const soap = tile(page, "香皂");
    await fingerOn(page, rice.locator(".goods-img"));
    await fingerOn(page, rice.locator(".goods-img"));
    await fingerOn(page, soap.getByRole("heading"));
    expect(
      await settled(
        () => rice.locator(".step-qty").innerText(),
        (t) => t === "2",
      ),
    ).toBe("2");
    expect(
      await settled(
        () => soap.locator(".step-qty").innerText(),
        (t) => t === "1",
      ),
    ).toBe("1");
    await expect(rice.locator(".tile-badge").textContent()).resolves.toBe("已选 2 件");
    // The badge is drawn afresh with each one added, and swells as 加一件's does.
    expect(
      await rice.locator(".tile-badge").evaluate((el) => getComputedStyle(el).animationName),
    ).toBe("tile-bump");
    // 加一件 itself says the same words.
    await soap.getByRole("button", { name: "加一件" }).tap();
    await page.waitForFunction(
      () => (window as unknown as { __spoken: unknown[] }).__spoken.length >= 5,
    );
    expect((await spokenOn(page)).map((s) => s.text)).toEqual([
      "您好。可用积分 300。荣誉积分 300，4 星。",
      "大米 5kg，已选 1 件",
      "大米 5kg，已选 2 件",
      "香皂，已选 1 件",
      "香皂，已选 2 件",
    ]);
    // A screen reader meets the picture as a button named by the good, described as adding one.
    const pick = rice.getByRole("button", { name: "大米 5kg", exact: true });
    const described = await pick.getAttribute("aria-describedby");
    await expect(page.locator(`[id="${described}"]`).textContent()).resolves.toBe(
      "点图片或名称也能加一件",
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shootBoth(page, "goods-tapped-zh");

    await page.getByRole("button", { name: "下一步：核对" }).tap();
    await page.getByRole("button", { name: "确认兑换" }).tap();
    await page.getByRole("heading", { name: "兑换成功" }).waitFor({ timeout: 5000 });
    expect(await world.balanceOf(who("张建华").id)).toBe(300 - 2 * 35 - 2 * 4);
    expect(await stockOf("大米 5kg")).toBe(18);
    expect(await stockOf("香皂")).toBe(18);
    await ctx.close();
  },
  T_MS,
);

T(
  "a good the household cannot afford does nothing when its picture is tapped",
  async () => {
    const ctx = await kioskContext(browser);
    const page = await openPaired(ctx, world);
    await startVisit(page, "李秀英"); // 40 points
    const thermos = tile(page, "保温杯"); // 150
    expect(await thermos.getByRole("button", { name: "保温杯", exact: true }).isDisabled()).toBe(
      true,
    );
    await fingerOn(page, thermos.locator(".goods-img"));
    await page.waitForTimeout(300); // time for a click that should do nothing to have done something
    await expect(thermos.locator(".step-qty").innerText()).resolves.toBe("0");
    await ctx.close();
  },
  T_MS,
);

T(
  "上一页 / 下一页 (80 px) page through 18 goods to the last one and back, at each tablet size",
  async () => {
    const ctx = await kioskContext(browser);
    const page = await openPaired(ctx, world);
    await startVisit(page, "王德明");
    const up = page.getByRole("button", { name: "上一页" });
    const down = page.getByRole("button", { name: "下一页" });
    const last = page.locator("li.tile").last();
    const first = page.locator("li.tile").first();
    const inBox = async (el: ReturnType<Page["locator"]>) => {
      const box = (await page.locator(".goods-scroll").boundingBox())!;
      const r = (await el.boundingBox())!;
      return r.y >= box.y - 1 && r.y + r.height <= box.y + box.height + 1;
    };
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await settle(page);
      await page.locator(".goods-scroll").evaluate((el) => el.scrollTo(0, 0));
      await page.locator(".pager-page").waitFor();
      const pages = Number(/\/(\d+)/.exec(await page.locator(".pager-page").innerText())![1]);
      expect(pages).toBeGreaterThan(1);
      for (const button of [up, down]) {
        const box = (await button.boundingBox())!;
        expect({ size, h: box.height >= 80, w: box.width >= 80 }).toEqual({
          size,
          h: true,
          w: true,
        });
      }
      expect(await up.isDisabled()).toBe(true);
      await pageShown(page, `第 1/${pages} 页`);
      for (let p = 2; p <= pages; p++) {
        await down.tap();
        await pageShown(page, `第 ${p}/${pages} 页`);
      }
      await page.waitForFunction(() =>
        document.querySelectorAll(".pager-btn")[1]?.hasAttribute("disabled"),
      );
      // The last good shows whole, and a tap on its picture takes it.
      expect({ size, lastWhole: await inBox(last) }).toEqual({ size, lastWhole: true });
      const before = await last.locator(".step-qty").innerText();
      const picture = (await last.locator(".goods-img").boundingBox())!;
      await page.touchscreen.tap(picture.x + picture.width / 2, picture.y + picture.height / 2);
      const want = String(Number(before) + 1);
      expect(
        await settled(
          () => last.locator(".step-qty").innerText(),
          (t) => t === want,
        ),
      ).toBe(want);
      if (size === SIZES[0]) await shootBoth(page, "goods-last-page-zh");
      for (let p = pages - 1; p >= 1; p--) {
        await up.tap();
        await pageShown(page, `第 ${p}/${pages} 页`);
      }
      expect({ size, firstWhole: await inBox(first) }).toEqual({ size, firstWhole: true });
    }
    expect(await seriousViolations(page)).toEqual([]);
    await ctx.close();
  },
  T_MS,
);

T(
  "after a network error the same card scanned again within 3 s is still read once",
  async () => {
    const ctx = await kioskContext(browser);
    const page = await ctx.newPage();
    await page.clock.install();
    await page.goto(`${world.server.url}/kiosk?pair=${world.kiosk.token}`);
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    const lookups: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/kiosk/cards/")) lookups.push(r.url());
    });
    await page.route("**/api/kiosk/cards/**", (r) => r.abort("connectionreset"));
    await wedgeScan(page, who("张建华").card.url);
    await page.getByText("网络不通，请稍后再试").waitFor({ timeout: 5000 });
    expect(lookups.length).toBe(1);
    await page.unroute("**/api/kiosk/cards/**");
    // A scanner's second read of the same card, a moment later: no second look-up.
    await wedgeScan(page, who("张建华").card.url);
    await page.waitForTimeout(300);
    expect(lookups.length).toBe(1);
    expect(await page.locator(".household-screen").count()).toBe(0);
    // Held away for 3 s, the card is read again, and the network is back.
    await page.clock.fastForward(3500);
    await wedgeScan(page, who("张建华").card.url);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    expect(lookups.length).toBe(2);
    await ctx.close();
  },
  T_MS,
);

T(
  "a clerk signs in on the kiosk by tapping their name and a PIN on the keypad; a wrong PIN is refused in words",
  async () => {
    const ctx = await kioskContext(browser);
    const page = await openPaired(ctx, world);
    const keys = page.locator(".keypad-keys");
    const type = async (pin: string) => {
      for (const d of pin) await keys.getByRole("button", { name: d, exact: true }).tap();
    };
    await page.getByRole("button", { name: "工作人员" }).tap();
    await page.getByRole("heading", { name: "请点您的名字" }).waitFor({ timeout: 5000 });
    expect(await seriousViolations(page)).toEqual([]);
    await shootBoth(page, "staff-names-zh");
    await page.getByRole("button", { name: CLERK_NAME }).tap();
    await page.getByRole("heading", { name: `${CLERK_NAME}，请输入您的自助机密码` }).waitFor();
    const login = page.getByRole("button", { name: "登录" });
    await type("258");
    expect(
      await settled(
        () => page.locator(".pin-display").innerText(),
        (t) => t === "•\n•\n•",
      ),
    ).toBe("•\n•\n•");
    expect(await login.isDisabled()).toBe(true);
    await type("1");
    expect(
      await settled(
        () => page.locator(".pin-display").innerText(),
        (t) => t === "•\n•\n•\n•",
      ),
    ).toBe("•\n•\n•\n•");
    expect(await seriousViolations(page)).toEqual([]);
    await shootBoth(page, "staff-pin-zh");
    await login.tap();
    await page
      .getByRole("alert")
      .filter({ hasText: "密码不对，请再试一次" })
      .waitFor({ timeout: 5000 });
    await type(PIN);
    await login.tap();
    await page.getByRole("heading", { name: "工作人员", exact: true }).waitFor({ timeout: 5000 });
    await page.getByText(`已登录：${CLERK.username}`).waitFor();
    // The session is the clerk's own, as a password sign-in's is.
    const me = await page.evaluate(async () => (await fetch("/api/me")).json());
    expect(me.user.displayName).toBe(CLERK_NAME);
    await page.getByRole("button", { name: "退出登录" }).tap();
    await page.locator(".attract-screen").waitFor();
    // The username and password remain, one tap away.
    await page.getByRole("button", { name: "工作人员" }).tap();
    await page.getByRole("button", { name: "用用户名和密码登录" }).tap();
    await page.getByLabel("用户名").waitFor();
    await ctx.close();
  },
  T_MS,
);

/** At each size, no heading or instruction of the screen breaks inside a word or runs out of its box. */
async function wordsWhole(page: Page, screen: string, findings: string[]): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await settle(page);
    const lang = await page.evaluate(() => document.documentElement.lang);
    for (const f of [...(await wordsBroken(page, WORDS)), ...(await textOutside(page, WORDS))])
      findings.push(`${lang} ${screen} ${size.width}×${size.height}: ${f}`);
  }
  await page.setViewportSize(SIZES[0]);
}

async function everyScreen(
  ctx: BrowserContext,
  lang: "zh-CN" | "ug",
  findings: string[],
): Promise<void> {
  const page = await openPaired(ctx, world);
  if (lang === "ug") {
    await page.locator(".lang-button").tap();
    await page.waitForFunction(() => document.documentElement.lang === "ug");
  }
  const by = (zh: string, ug: string) => (lang === "zh-CN" ? zh : ug);
  await wordsWhole(page, "attract", findings);
  await page.locator(".attract-action .btn-hero").tap();
  await page.locator(".camera-unavailable").waitFor({ timeout: 5000 });
  await wordsWhole(page, "scan", findings);
  await wedgeScan(page, `${world.server.url}/c/${"A".repeat(22)}`);
  await page.locator(".scan-status-not-found").waitFor({ timeout: 5000 });
  await wordsWhole(page, "scan, not found", findings);
  await page.locator(".scan-screen .screen-head .btn").first().tap();
  await page.locator(".attract-hint").tap();
  await wordsWhole(page, "keypad only", findings);
  await page.locator(".scan-screen .screen-head .btn").first().tap();
  await wedgeScan(page, who("王德明").card.url);
  await page.locator(".household-screen").waitFor({ timeout: 5000 });
  await wordsWhole(page, "household", findings);
  await page.locator(".household-screen .btn-hero").tap();
  await page.locator(".goods-grid").waitFor();
  await wordsWhole(page, "goods, empty basket", findings);
  await tile(page, "香皂").locator(".step-add").tap();
  await page.locator(".action-bar .btn-primary").tap();
  await page.locator(".review-screen").waitFor();
  await wordsWhole(page, "review", findings);
  await page.locator(".btn-confirm").tap();
  await page.locator(".receipt-screen").waitFor({ timeout: 5000 });
  await wordsWhole(page, "receipt", findings);
  await page.locator(".receipt-screen .btn-primary").last().tap();
  await page.locator(".attract-screen").waitFor();
  await page.getByRole("button", { name: by("工作人员", "خىزمەتچى") }).tap();
  await page.locator(".staff-names").waitFor({ timeout: 5000 });
  await wordsWhole(page, "staff names", findings);
  await page.getByRole("button", { name: CLERK_NAME }).tap();
  await page.locator(".staff-pin").waitFor();
  await wordsWhole(page, "staff PIN", findings);
  for (const d of "1357")
    await page.locator(".keypad-keys").getByRole("button", { name: d, exact: true }).tap();
  await page.locator(".staff-pin .btn-primary").tap();
  await page.locator(".staff-pin .form-error").waitFor({ timeout: 5000 });
  await wordsWhole(page, "staff PIN, wrong", findings);
  await page.locator(".staff-login-screen .screen-head .btn").first().tap();
  await page.locator(".staff-other").tap();
  await wordsWhole(page, "staff password", findings);
  await page.close();
}

T(
  "on a phone-wide screen the top bar keeps the kiosk's name whole and no button lies over it, in Chinese and Uyghur",
  async () => {
    // A kiosk is a tablet; a clerk trying it on a phone still gets a usable bar.
    const ctx = await kioskContext(browser, { viewport: VIEWPORTS.phone });
    const page = await openPaired(ctx, world);
    const findings: string[] = [];
    for (const lang of ["zh-CN", "ug"]) {
      if (lang === "ug") {
        await page.locator(".lang-button").tap();
        await page.waitForFunction(() => document.documentElement.lang === "ug");
      }
      await settle(page);
      for (const f of await wordsBroken(page, ".brand-name")) findings.push(`${lang}: ${f}`);
      const brand = (await page.locator(".brand").boundingBox())!;
      for (const button of await page.locator(".topbar .btn").all()) {
        const b = (await button.boundingBox())!;
        const apart =
          b.x >= brand.x + brand.width ||
          b.x + b.width <= brand.x ||
          b.y >= brand.y + brand.height ||
          b.y + b.height <= brand.y;
        if (!apart) findings.push(`${lang}: "${await button.textContent()}" lies over the brand`);
      }
    }
    expect(findings).toEqual([]);
    await ctx.close();
  },
  T_MS,
);

T(
  "no heading or instruction breaks inside a word, in Chinese and Uyghur, at 1280×800, 1024×768 and 800×1280",
  async () => {
    const findings: string[] = [];
    const ctx = await kioskContext(browser);
    await everyScreen(ctx, "zh-CN", findings);
    await ctx.close();
    const ug = await kioskContext(browser);
    await everyScreen(ug, "ug", findings);
    await ug.close();
    // The screens a kiosk shows before it is paired, and when its device token is refused.
    const bare = await kioskContext(browser);
    const page = await bare.newPage();
    await page.goto(`${world.server.url}/kiosk`);
    await page.locator(".notice-screen").waitFor({ timeout: 5000 });
    await wordsWhole(page, "unpaired", findings);
    await page.goto(`${world.server.url}/kiosk?pair=${"x".repeat(43)}`);
    await page.getByRole("heading", { name: "本机已停用" }).waitFor({ timeout: 5000 });
    await wordsWhole(page, "locked", findings);
    // The idle question, with page.clock moved past 90 s.
    await page.clock.install();
    await page.goto(`${world.server.url}/kiosk?pair=${world.kiosk.token}`);
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    await wedgeScan(page, who("王德明").card.url);
    await page.locator(".household-screen").waitFor({ timeout: 5000 });
    await page.clock.fastForward("01:31");
    await page.locator(".idle-dialog[open]").waitFor({ timeout: 3000 });
    await wordsWhole(page, "idle", findings);
    await bare.close();
    expect(findings).toEqual([]);
  },
  120_000,
);
