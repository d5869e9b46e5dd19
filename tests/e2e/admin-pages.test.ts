/**
 * Every staff page, as each role sees it, in real Chromium at 1366×768 and 800×1280: axe-core
 * finds nothing serious, nothing is wider than the window, and a screenshot is kept. The same
 * pages in Uyghur are right to left. The township administrator switches villages; a deep link
 * opened before signing in comes back after.
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
let goodsId = "";

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startStaffWorld({ noticeDays: 3 });
  const clerk = await world.cookieOf("dh_clerk");
  await world.must(
    "POST",
    "/api/entries/batch",
    { ruleId: world.rules.volunteer, householdIds: world.households.slice(0, 3).map((h) => h.id) },
    clerk,
  );
  // The supermarket: two goods (one low on stock), a kiosk, a sale.
  const rice = (
    await world.must("POST", `/api/villages/${world.villageA}/goods`, {
      name: "大米 5kg",
      pricePoints: 3,
      imageUrl: "/goods/rice.svg",
      category: "粮油",
    })
  ).goods;
  await world.must("POST", `/api/goods/${rice.id}/stock`, {
    delta: 20,
    source: "donation",
    donor: "青石镇供销社",
  });
  goodsId = rice.id;
  const soap = (
    await world.must("POST", `/api/villages/${world.villageA}/goods`, {
      name: "香皂",
      pricePoints: 2,
      imageUrl: "/goods/soap.svg",
    })
  ).goods;
  await world.must("POST", `/api/goods/${soap.id}/stock`, { delta: 2, source: "government" });
  const kiosk = await world.must("POST", `/api/villages/${world.villageA}/kiosks`, {
    name: "超市一号机",
  });
  // Points that count at once, for the sale: the notice is switched off for one award.
  await world.must("PATCH", `/api/villages/${world.villageA}`, { noticeDays: 0 });
  await world.must("POST", "/api/entries/batch", {
    ruleId: world.rules.clean,
    householdIds: [world.households[0]!.id],
    quantity: 3,
  });
  await world.must("PATCH", `/api/villages/${world.villageA}`, { noticeDays: 3 });
  const res = await fetch(`${world.server.url}/api/redemptions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${kiosk.token}`,
      "content-type": "application/json",
      "idempotency-key": crypto.randomUUID(),
    },
    body: JSON.stringify({
      cardToken: world.households[0]!.cardUrl!.split("/c/")[1],
      items: [{ goodsId: rice.id, quantity: 2 }],
    }),
  });
  if (res.status !== 201) throw new Error(`sale → ${res.status} ${await res.text()}`);
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, 15_000);

const PAGES = [
  "/admin",
  "/admin/record",
  "/admin/review",
  "/admin/review?tab=notice",
  "/admin/review?tab=objections",
  "/admin/households",
  "/admin/import",
  "/admin/rules",
  "/admin/goods",
  "/admin/sales",
  "/admin/reports",
  "/admin/reports?period=year&year=2026",
  "/admin/settings",
  "/admin/users",
  "/admin/kiosks",
  "/admin/audit",
];

for (const [width, height] of [
  [1366, 768],
  [800, 1280],
] as const) {
  browserTest(
    `every page of a village admin passes axe and fits at ${width}×${height}`,
    async () => {
      const context = await staffContext(browser, { width, height });
      const page = await context.newPage();
      await signIn(page, world, "dh_admin");
      for (const path of [
        ...PAGES,
        `/admin/households/${world.households[0]!.id}`,
        `/admin/goods/${goodsId}`,
      ]) {
        await page.goto(`${world.server.url}${path}`);
        await page.locator("main h1").first().waitFor();
        await page.waitForLoadState("networkidle");
        expect({ path, overflow: await overflowingWidth(page) }).toEqual({ path, overflow: 0 });
        const name = path.replace(/^\/admin\/?/, "").replace(/[/?=&]+/g, "-") || "today";
        await checkPage(
          page,
          `${name.replace(/households-\d+/, "household").replace(/goods-\d+/, "good")}-${width}x${height}`,
        );
      }
      await context.close();
    },
    90_000,
  );
}

browserTest(
  "in Uyghur the pages are right to left, from the same catalog, and nothing overflows",
  async () => {
    const context = await staffContext(browser, { width: 800, height: 1280 });
    const page = await context.newPage();
    await signIn(page, world, "dh_admin", "/admin/record");
    await page.getByLabel("语言").selectOption("ug");
    await page.getByRole("heading", { level: 1, name: "نومۇر خاتىرىلەش" }).waitFor();
    expect(
      await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
    ).toEqual(["ug", "rtl"]);
    for (const path of [
      "/admin/record",
      "/admin/review",
      "/admin/households",
      "/admin/rules",
      "/admin/goods",
      "/admin/reports",
      "/admin/settings",
    ]) {
      await page.goto(`${world.server.url}${path}`);
      await page.locator("main h1").first().waitFor();
      await page.waitForLoadState("networkidle");
      expect({ path, overflow: await overflowingWidth(page) }).toEqual({ path, overflow: 0 });
      await checkPage(page, `ug-${path.replace(/^\/admin\/?/, "") || "today"}-800x1280`);
    }
    await context.close();
  },
  60_000,
);

browserTest(
  "the township administrator switches villages, and a deep link opened before signing in comes back after",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "admin", `/admin/households/${world.householdB.id}`);
    await page.getByRole("heading", { level: 1, name: world.householdB.headName }).waitFor();
    // The pages followed the household to its village.
    expect(await page.getByLabel("村").inputValue()).toBe(world.villageB);
    await page.goto(`${world.server.url}/admin/households`);
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 1);
    await page.getByLabel("村").selectOption(world.villageA);
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 8);
    await checkPage(page, "township-households-1366x768");
    // The township's own pages: its villages compared, its villages, its rule templates.
    for (const path of ["/admin/reports?scope=township", "/admin/villages", "/admin/templates"]) {
      await page.goto(`${world.server.url}${path}`);
      await page.locator("main h1").first().waitFor();
      await page.waitForLoadState("networkidle");
      expect({ path, overflow: await overflowingWidth(page) }).toEqual({ path, overflow: 0 });
      await checkPage(
        page,
        `township-${path.replace(/^\/admin\//, "").replace(/[/?=&]+/g, "-")}-1366x768`,
      );
    }
    await page.goto(`${world.server.url}/admin/households/${world.householdB.id}`);
    // Back and forward work.
    await page.goto(`${world.server.url}/admin/households`);
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: world.householdB.headName }).waitFor();
    await context.close();
  },
  40_000,
);

browserTest(
  "a wrong password is said in words beside the form, and 退出 signs out",
  async () => {
    const context = await staffContext(browser, { width: 800, height: 1280 });
    const page = await context.newPage();
    await page.goto(`${world.server.url}/admin/login`);
    await page.getByLabel("用户名").fill("dh_admin");
    await page.getByLabel("密码").fill("not-the-password");
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByText("用户名或密码不正确，请再试一次。").waitFor();
    await checkPage(page, "login-error-800x1280");
    await page.getByLabel("密码").fill("staff-password-123");
    await page.getByRole("button", { name: "登录" }).click();
    await page.locator("main h1").first().waitFor();
    await page.getByRole("button", { name: "退出" }).click();
    await page.getByText("你已退出。").waitFor();
    const me = await page.evaluate(async () => (await fetch("/api/me")).status);
    expect(me).toBe(401);
    await context.close();
  },
  40_000,
);
