/**
 * The points supermarket at the kiosk, in real Chromium against the real server: a purchase whose
 * balance and stock are checked through the API afterwards, goods a household cannot afford,
 * insufficient points and out of stock found at confirm, a lost response after the server
 * committed (charged once, also across a reload), offline on the review screen, no idle timeout
 * while a sale is in flight, and the clerk's void and reprint. axe-core and screenshots on the
 * goods, review and receipt screens, in Chinese, Uyghur and English.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { browserTest, chromiumAvailable, launchChromium, settled } from "../support/browser.ts";
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
const T_MS = 40_000; // bun's own default is 5 s; these drive a browser

let world: KioskWorld;
let browser: Browser;
/** One kiosk for the purchase and the clerk's tests: the kiosk keeps its recent sales in storage. */
let shop: BrowserContext;
let shopPage: Page;
const goods: Record<string, { id: string; pricePoints: number }> = {};
let clerkCookie = "";
/** Every request any kiosk page in this file made, as the browser sent it. */
const requested: string[] = [];

async function kiosk(options: Parameters<typeof kioskContext>[1] = {}): Promise<BrowserContext> {
  const ctx = await kioskContext(browser, options);
  ctx.on("request", (r) => requested.push(r.url()));
  return ctx;
}

const GOODS = [
  {
    key: "rice",
    name: "大米 5kg",
    pricePoints: 35,
    stock: 20,
    imageUrl: "/goods/rice.svg",
    category: "粮油",
  },
  {
    key: "soap",
    name: "香皂",
    pricePoints: 4,
    stock: 50,
    imageUrl: "/goods/soap.svg",
    category: "个人护理",
  },
  {
    key: "towel",
    name: "毛巾",
    pricePoints: 10,
    stock: 30,
    imageUrl: "/goods/towel.svg",
    category: "日用百货",
  },
  {
    key: "thermos",
    name: "保温杯",
    pricePoints: 150,
    stock: 5,
    imageUrl: "/goods/thermos.svg",
    category: "日用百货",
  },
  {
    key: "soy",
    name: "酱油 500ml",
    pricePoints: 8,
    stock: 1,
    imageUrl: "/goods/soy-sauce.svg",
    category: "调味品",
  },
  {
    key: "salt",
    name: "食用盐 400g",
    pricePoints: 3,
    stock: 40,
    imageUrl: "/goods/salt.svg",
    category: "调味品",
  },
] as const;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startKioskWorld({
    张建华: 300,
    李秀英: 40,
    王德明: 100,
    赵桂兰: 200,
    刘芳: 200,
    陈国强: 200,
    杨丽: 200,
  });
  for (const g of GOODS) {
    const { key, ...body } = g;
    const r = await world.api("POST", `/api/villages/${world.villageId}/goods`, body);
    if (r.status !== 201) throw new Error(`goods ${r.status} ${JSON.stringify(r.body)}`);
    goods[key] = { id: r.body.goods.id, pricePoints: g.pricePoints };
  }
  clerkCookie = await world.server.login(CLERK.username, CLERK.password);
  browser = await launchChromium();
  shop = await kiosk();
  shopPage = await openPaired(shop, world);
}, T_MS);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
});

const who = (name: string) => world.households.find((h) => h.headName === name)!;

async function stockOf(key: string): Promise<number> {
  const r = await world.api("GET", `/api/villages/${world.villageId}/goods`);
  return r.body.items.find((g: { id: string }) => g.id === goods[key]!.id).stock;
}

/** Sells through the API with the kiosk's own device token, as another kiosk would. */
async function sellElsewhere(
  cardToken: string,
  items: { goodsId: string; quantity: number }[],
): Promise<number> {
  const r = await world.api(
    "POST",
    "/api/redemptions",
    { cardToken, items },
    {
      authorization: `Bearer ${world.kiosk.token}`,
      cookie: "",
      "idempotency-key": crypto.randomUUID(),
    },
  );
  return r.status;
}

function tile(page: Page, name: string) {
  return page.locator("li.tile").filter({ has: page.getByRole("heading", { name, exact: true }) });
}

async function add(page: Page, name: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++)
    await tile(page, name).getByRole("button", { name: "加一件" }).tap();
}

async function startVisit(page: Page, name: string): Promise<void> {
  await wedgeScan(page, who(name).card.url);
  await page.locator(".household-screen").waitFor({ timeout: 15_000 });
  await page.getByRole("button", { name: "去选商品" }).tap();
  await page.locator(".goods-grid").waitFor({ timeout: 15_000 });
}

/** Whether the button is disabled, read until it is `expected` or 3 s pass (a tap lands after tap() returns). */
function disabled(button: ReturnType<Page["locator"]>, expected: boolean): Promise<boolean> {
  return settled(
    () => button.isDisabled(),
    (d) => d === expected,
  );
}

async function expectAxeClean(page: Page, screen: string): Promise<void> {
  expect({ screen, violations: await seriousViolations(page) }).toEqual({ screen, violations: [] });
}

async function freshKiosk(
  options: Parameters<typeof kioskContext>[1] = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await kiosk(options);
  return { ctx, page: await openPaired(ctx, world) };
}

T(
  "a purchase: the bar shows the balance after, review, confirm, receipt; the API shows points and stock moved by exactly the basket",
  async () => {
    const page = shopPage;
    const zhang = who("张建华");
    await startVisit(page, "张建华");
    // Photos come from the project's own /goods/ folder, not a placeholder.
    expect(await tile(page, "大米 5kg").locator("img.goods-img").getAttribute("src")).toBe(
      "/goods/rice.svg",
    );
    await add(page, "大米 5kg", 2);
    await add(page, "香皂", 3);
    await add(page, "香皂");
    await tile(page, "香皂").getByRole("button", { name: "减一件" }).tap();
    // 2 × 35 + 3 × 4 = 82; 300 − 82 = 218
    await expect(page.locator(".hb-after dd").innerText()).resolves.toBe("218");
    await expect(tile(page, "香皂").locator(".step-qty").innerText()).resolves.toBe("3");
    await page.locator(".goods-scroll").evaluate((el) => el.scrollTo(0, 0));
    await shootBoth(page, "goods-zh");
    await expectAxeClean(page, "goods");

    await page.getByRole("button", { name: "下一步：核对" }).tap();
    await page.getByRole("heading", { name: "请核对" }).waitFor();
    await expect(page.locator(".review-line").count()).resolves.toBe(2);
    await expect(page.locator(".sum-after dd").innerText()).resolves.toBe("218");
    await shootBoth(page, "review-zh");
    await expectAxeClean(page, "review");

    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/api/redemptions") && r.method() === "POST")
        posts.push(r.headers()["idempotency-key"] ?? "");
    });
    const confirm = page.getByRole("button", { name: "确认兑换" });
    await confirm.tap();
    await page.getByRole("heading", { name: "兑换成功" }).waitFor({ timeout: 5000 });
    expect(posts.length).toBe(1);

    const sales = await world.api("GET", `/api/villages/${world.villageId}/redemptions`);
    const sale = sales.body.items[0];
    expect(sale.totalPoints).toBe(82);
    expect(sale.balanceAfter).toBe(218);
    await expect(page.locator(".done-after dd").innerText()).resolves.toBe("218");
    await expect(page.locator(".receipt-card .receipt-meta").innerText()).resolves.toContain(
      String(sale.receiptNo).padStart(6, "0"),
    );
    expect(await world.balanceOf(zhang.id)).toBe(218);
    expect(await stockOf("rice")).toBe(18);
    expect(await stockOf("soap")).toBe(47);
    expect(await stockOf("towel")).toBe(30);
    expect(
      await page.evaluate(() => [
        localStorage.getItem("jifen.kiosk.pending"),
        localStorage.getItem("jifen.kiosk.draft"),
      ]),
    ).toEqual([null, null]);
    await shootBoth(page, "receipt-zh");
    await expectAxeClean(page, "receipt");

    // The receipt and the goods in Uyghur and English, right to left and back.
    await page.locator(".lang-button").tap();
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    await shootBoth(page, "receipt-ug");
    await expectAxeClean(page, "receipt ug");
    await page.locator(".lang-button").tap();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await shootBoth(page, "receipt-en");
    await page.locator(".lang-button").tap();
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
    await page.getByRole("button", { name: "完成" }).tap();
    await page.locator(".attract-screen").waitFor();
  },
  T_MS,
);

T(
  "goods the household cannot afford are listed, marked 积分不够, and their + is disabled",
  async () => {
    const { ctx, page } = await freshKiosk();
    await startVisit(page, "李秀英"); // 40 points
    for (const name of ["保温杯"]) {
      await expect(tile(page, name).locator(".tile-blocked").innerText()).resolves.toContain(
        "积分不够",
      );
      expect(await disabled(tile(page, name).getByRole("button", { name: "加一件" }), true)).toBe(
        true,
      );
    }
    // Affordable until the basket uses the points up: one rice (35) leaves 5, so a second is blocked.
    await add(page, "大米 5kg");
    await expect(tile(page, "大米 5kg").locator(".tile-blocked").innerText()).resolves.toContain(
      "积分不够",
    );
    expect(
      await disabled(tile(page, "大米 5kg").getByRole("button", { name: "加一件" }), true),
    ).toBe(true);
    expect(await disabled(tile(page, "香皂").getByRole("button", { name: "加一件" }), false)).toBe(
      false,
    );
    await shootBoth(page, "goods-cannot-afford-zh");
    await expectAxeClean(page, "goods, cannot afford");
    await page.locator(".lang-button").tap();
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    await page.locator(".goods-scroll").evaluate((el) => el.scrollTo(0, 0));
    await shootBoth(page, "goods-ug");
    await expectAxeClean(page, "goods ug");
    await ctx.close();
  },
  T_MS,
);

T(
  "insufficient points at confirm: spent elsewhere after review → 积分不够…, balance refreshed, nothing charged",
  async () => {
    const { ctx, page } = await freshKiosk();
    const wang = who("王德明"); // 100
    await startVisit(page, "王德明");
    await add(page, "大米 5kg", 2); // 70
    await page.getByRole("button", { name: "下一步：核对" }).tap();
    await page.getByRole("heading", { name: "请核对" }).waitFor();
    expect(
      await sellElsewhere(wang.card.token, [{ goodsId: goods["towel"]!.id, quantity: 4 }]),
    ).toBe(201); // 100 → 60
    const riceBefore = await stockOf("rice");
    await page.getByRole("button", { name: "确认兑换" }).tap();
    await page.getByText("积分不够，请减少商品后再试").waitFor({ timeout: 5000 });
    await expect(page.locator(".review-sum div").first().locator("dd").innerText()).resolves.toBe(
      "60",
    );
    await expect(page.locator(".sum-after dd").innerText()).resolves.toBe("−10"); // a real minus sign, U+2212
    expect(await page.getByRole("button", { name: "确认兑换" }).isDisabled()).toBe(true);
    expect(await world.balanceOf(wang.id)).toBe(60);
    expect(await stockOf("rice")).toBe(riceBefore);
    await shootBoth(page, "review-insufficient-zh");
    await expectAxeClean(page, "review, insufficient");
    await ctx.close();
  },
  T_MS,
);

T(
  "a good taken off sale after review: the sale is refused in words (409 conflict, no Retry-After), not retried, nothing charged",
  async () => {
    const { ctx, page } = await freshKiosk();
    const chen = who("陈国强"); // 200
    await startVisit(page, "陈国强");
    await add(page, "食用盐 400g", 2);
    await page.getByRole("button", { name: "下一步：核对" }).tap();
    await page.getByRole("heading", { name: "请核对" }).waitFor();
    const before = await world.balanceOf(chen.id);
    expect(
      (await world.api("PATCH", `/api/goods/${goods["salt"]!.id}`, { active: false })).status,
    ).toBe(200);
    try {
      await page.getByRole("button", { name: "确认兑换" }).tap();
      await page.getByText("这次不能兑换", { exact: false }).waitFor({ timeout: 5000 });
      // Refused, not "network unsteady, trying again": no second attempt is made.
      await page.waitForTimeout(1500);
      expect(await page.getByText("网络不稳", { exact: false }).count()).toBe(0);
      expect(await world.balanceOf(chen.id)).toBe(before);
      // The goods were read again: the salt left the basket, so 确认兑换 has nothing to send.
      await expect(page.getByText("食用盐 400g").count()).resolves.toBe(0);
      await shootBoth(page, "review-conflict-zh");
    } finally {
      await world.api("PATCH", `/api/goods/${goods["salt"]!.id}`, { active: true });
      await ctx.close();
    }
  },
  T_MS,
);

T(
  "out of stock at confirm: the last unit sold elsewhere → 有商品刚刚兑完…, basket trimmed to the stock, nothing charged",
  async () => {
    const { ctx, page } = await freshKiosk();
    const zhao = who("赵桂兰"); // 200
    await startVisit(page, "赵桂兰");
    await add(page, "酱油 500ml"); // the only one
    expect(
      await disabled(tile(page, "酱油 500ml").getByRole("button", { name: "加一件" }), true),
    ).toBe(true);
    await add(page, "食用盐 400g", 2);
    await page.getByRole("button", { name: "下一步：核对" }).tap();
    await page.getByRole("heading", { name: "请核对" }).waitFor();
    expect(
      await sellElsewhere(who("刘芳").card.token, [{ goodsId: goods["soy"]!.id, quantity: 1 }]),
    ).toBe(201);
    await page.getByRole("button", { name: "确认兑换" }).tap();
    await page.getByText("有商品刚刚兑完，数量已更新，请再核对一次").waitFor({ timeout: 5000 });
    await expect(page.locator(".review-line").count()).resolves.toBe(1);
    await expect(page.locator(".review-line .rl-name").innerText()).resolves.toBe("食用盐 400g");
    expect(await world.balanceOf(zhao.id)).toBe(200);
    await shootBoth(page, "review-out-of-stock-zh");
    // What is left can be confirmed as it stands.
    await page.getByRole("button", { name: "确认兑换" }).tap();
    await page.getByRole("heading", { name: "兑换成功" }).waitFor({ timeout: 5000 });
    expect(await world.balanceOf(zhao.id)).toBe(194);
    expect(await stockOf("soy")).toBe(0);
    await ctx.close();
  },
  T_MS,
);

T(
  "a response lost after the server committed: the same key goes again, the receipt shows, charged once",
  async () => {
    const { ctx, page } = await freshKiosk();
    const chen = who("陈国强"); // 200
    const keys: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/api/redemptions") && r.method() === "POST")
        keys.push(r.headers()["idempotency-key"] ?? "");
    });
    let lost = 0;
    await page.route("**/api/redemptions", async (route) => {
      if (lost === 0) {
        lost++;
        await route.fetch(); // the server commits…
        await route.abort("connectionreset"); // …and the answer never arrives
      } else await route.continue();
    });
    await startVisit(page, "陈国强");
    await add(page, "毛巾", 2); // 20
    await page.getByRole("button", { name: "下一步：核对" }).tap();
    await page.getByRole("button", { name: "确认兑换" }).tap();
    await page.getByRole("heading", { name: "兑换成功" }).waitFor({ timeout: 15_000 });
    expect(lost).toBe(1);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    await expect(page.locator(".done-after dd").innerText()).resolves.toBe("180");
    expect(await world.balanceOf(chen.id)).toBe(180);
    const sales = (
      await world.api("GET", `/api/villages/${world.villageId}/redemptions`)
    ).body.items.filter((s: { householdId: string }) => s.householdId === chen.id);
    expect(sales.length).toBe(1);
    await ctx.close();
  },
  T_MS,
);

T(
  "a response lost and the kiosk reloaded: it resumes the stored request and shows the receipt, charged once",
  async () => {
    const { ctx, page } = await freshKiosk();
    const yang = who("杨丽"); // 200
    let committed = 0;
    await page.route("**/api/redemptions", async (route) => {
      committed++;
      await route.fetch();
      await route.abort("connectionreset");
    });
    await startVisit(page, "杨丽");
    await add(page, "香皂", 5); // 20
    await page.getByRole("button", { name: "下一步：核对" }).tap();
    await page.getByRole("button", { name: "确认兑换" }).tap();
    await page.waitForFunction(() => localStorage.getItem("jifen.kiosk.pending") !== null);
    await page.getByText("网络不稳，正在重试。请不要离开，不会重复扣分").waitFor({ timeout: 5000 });
    await shootBoth(page, "review-retrying-zh");
    expect(committed).toBeGreaterThanOrEqual(1);
    const pending = JSON.parse(
      (await page.evaluate(() => localStorage.getItem("jifen.kiosk.pending")))!,
    );

    await page.unroute("**/api/redemptions");
    const keysAfter: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/api/redemptions") && r.method() === "POST")
        keysAfter.push(r.headers()["idempotency-key"] ?? "");
    });
    await page.reload();
    await page.getByRole("heading", { name: "兑换成功" }).waitFor({ timeout: 10_000 });
    expect(keysAfter).toEqual([pending.key]);
    expect(await world.balanceOf(yang.id)).toBe(180);
    const sales = (
      await world.api("GET", `/api/villages/${world.villageId}/redemptions`)
    ).body.items.filter((s: { householdId: string }) => s.householdId === yang.id);
    expect(sales.length).toBe(1);
    expect(await page.evaluate(() => localStorage.getItem("jifen.kiosk.pending"))).toBeNull();
    await ctx.close();
  },
  T_MS,
);

T(
  "offline on the review screen: the banner stands and 确认兑换 is disabled until /healthz answers again",
  async () => {
    const ctx = await kiosk();
    const page = await ctx.newPage();
    await page.clock.install();
    await page.goto(`${world.server.url}/kiosk?pair=${world.kiosk.token}`);
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    await startVisit(page, "张建华");
    await add(page, "毛巾");
    await page.getByRole("button", { name: "下一步：核对" }).tap();
    const confirm = page.getByRole("button", { name: "确认兑换" });
    expect(await confirm.isEnabled()).toBe(true);
    await page.route("**/healthz", (r) => r.abort("connectionrefused"));
    await page.clock.fastForward(10_500);
    await page
      .getByRole("alert")
      .filter({ hasText: "网络中断，暂停兑换，积分未扣除" })
      .waitFor({ timeout: 3000 });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByText("网络中断，暂时不能确认").waitFor();
    await shootBoth(page, "review-offline-zh");
    await expectAxeClean(page, "review offline");
    await page.unroute("**/healthz");
    await page.clock.fastForward(4500);
    await page.getByRole("alert").waitFor({ state: "detached", timeout: 3000 });
    expect(await confirm.isEnabled()).toBe(true);
    await ctx.close();
  },
  T_MS,
);

T(
  "no idle question while a sale is in flight; the sale completes once the network answers",
  async () => {
    const ctx = await kiosk();
    const page = await ctx.newPage();
    await page.clock.install();
    await page.goto(`${world.server.url}/kiosk?pair=${world.kiosk.token}`);
    await page.locator(".attract-screen").waitFor({ timeout: 5000 });
    const before = await world.balanceOf(who("张建华").id);
    await page.route("**/api/redemptions", (r) => r.abort("connectionreset")); // never reaches the server
    await startVisit(page, "张建华");
    await add(page, "食用盐 400g");
    await page.getByRole("button", { name: "下一步：核对" }).tap();
    await page.getByRole("button", { name: "确认兑换" }).tap();
    await page.waitForFunction(() => localStorage.getItem("jifen.kiosk.pending") !== null);
    await page.clock.fastForward("03:00");
    const dialog = page.getByRole("dialog", { name: "还需要时间吗？" });
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.locator(".review-screen").count()).toBe(1);
    expect(await page.getByRole("button", { name: "结束，回首页" }).isDisabled()).toBe(true);
    await page.unroute("**/api/redemptions");
    // Retries back off to at most 10 s; an attempt may still be on its way when the route goes,
    // so move the clock on in steps until the next attempt has gone out and come back.
    const done = page.getByRole("heading", { name: "兑换成功" });
    for (let step = 0; step < 6 && !(await done.isVisible()); step++) {
      await page.clock.fastForward("00:10");
      await done.waitFor({ timeout: 1500 }).catch(() => {});
    }
    await done.waitFor({ timeout: 1000 });
    expect(await world.balanceOf(who("张建华").id)).toBe(before - 3);
    await ctx.close();
  },
  T_MS,
);

T(
  "the clerk voids the last sale on the kiosk: points and stock come back (API); reprint prints the receipt",
  async () => {
    const page = shopPage;
    const zhang = who("张建华");
    const balanceBefore = await world.balanceOf(zhang.id);
    const riceBefore = await stockOf("rice");
    await page.getByRole("button", { name: "工作人员" }).tap();
    await page.getByLabel("用户名").fill(CLERK.username);
    await page.getByLabel("密码").fill(CLERK.password);
    await page.getByRole("button", { name: "登录" }).tap();
    await page.getByRole("heading", { name: "上一笔兑换" }).waitFor({ timeout: 5000 });
    await shootBoth(page, "staff-zh");
    await expectAxeClean(page, "staff with a sale");

    await page.evaluate(() => {
      const w = window as unknown as { __printed: string[] };
      w.__printed = [];
      window.print = () =>
        w.__printed.push(document.querySelector(".receipt-print")?.textContent ?? "");
    });
    await page.getByRole("button", { name: "重打小票" }).first().tap();
    await page.waitForFunction(
      () => (window as unknown as { __printed: string[] }).__printed.length === 1,
    );
    const printed: string[] = await page.evaluate(
      () => (window as unknown as { __printed: string[] }).__printed,
    );
    expect(printed[0]).toContain("大米 5kg");
    expect(printed[0]).toContain("218");

    await page.getByRole("button", { name: "作废这一笔" }).tap();
    await page.getByRole("button", { name: "选错了商品" }).tap();
    await page.getByText("已作废，积分和库存已退回").waitFor({ timeout: 5000 });
    expect(await world.balanceOf(zhang.id)).toBe(balanceBefore + 82);
    expect(await stockOf("rice")).toBe(riceBefore + 2);
    expect(
      await page.locator(".panel").first().getByRole("button", { name: "已作废" }).isDisabled(),
    ).toBe(true);
    await shootBoth(page, "staff-voided-zh");

    // A sale voided elsewhere (the admin pages) meets 409 here and says so.
    await page.getByRole("button", { name: "退出登录" }).tap();
    await startVisit(page, "张建华");
    await add(page, "毛巾");
    await page.getByRole("button", { name: "下一步：核对" }).tap();
    await page.getByRole("button", { name: "确认兑换" }).tap();
    await page.getByRole("heading", { name: "兑换成功" }).waitFor({ timeout: 5000 });
    const sale = (await world.api("GET", `/api/villages/${world.villageId}/redemptions`)).body
      .items[0];
    const voided = await fetch(`${world.server.url}/api/redemptions/${sale.id}/void`, {
      method: "POST",
      headers: { cookie: clerkCookie, "content-type": "application/json" },
      body: JSON.stringify({ reason: "顾客不要了" }),
    });
    expect(voided.status).toBe(201);
    const afterVoid = await world.balanceOf(zhang.id);
    await page.getByRole("button", { name: "完成" }).tap();
    await page.getByRole("button", { name: "工作人员" }).tap();
    await page.getByLabel("用户名").fill(CLERK.username);
    await page.getByLabel("密码").fill(CLERK.password);
    await page.getByRole("button", { name: "登录" }).tap();
    await page.getByRole("button", { name: "作废这一笔" }).tap();
    await page.getByRole("button", { name: "顾客不要了" }).tap();
    await page.getByText("这一笔已经作废过了").waitFor({ timeout: 5000 });
    expect(await world.balanceOf(zhang.id)).toBe(afterVoid);
  },
  T_MS,
);

T(
  "no request of any kiosk in this file left the server's origin",
  () => {
    expect(requested.length).toBeGreaterThan(50);
    expect(requested.some((u) => u.includes("/goods/"))).toBe(true);
    expect(requested.filter((u) => !u.startsWith(world.server.url + "/"))).toEqual([]);
  },
  T_MS,
);
