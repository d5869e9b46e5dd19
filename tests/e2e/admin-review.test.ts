/**
 * Review in real Chromium: in a village with approval and a notice period, the clerk's entries
 * are approved several at once by the village admin, whose own entry shows the four-eyes rule as
 * a disabled button with its reason; a clerk has no review page; a resident's objection, sent
 * from the card page, is decided next to the entry and the household's history.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser } from "playwright-core";
import { browserTest, chromiumAvailable, launchChromium } from "../support/browser.ts";
import {
  checkPage,
  signIn,
  staffContext,
  startStaffWorld,
  type StaffWorld,
} from "../support/e2e/admin.ts";

let world: StaffWorld;
let browser: Browser;
let clerkEntries: string[] = [];
let ownEntry = "";

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startStaffWorld({ requireApproval: true, noticeDays: 3 });
  const clerk = await world.cookieOf("dh_clerk");
  const admin = await world.cookieOf("dh_admin");
  const [a, b, c] = world.households;
  const batch = await world.must(
    "POST",
    "/api/entries/batch",
    { ruleId: world.rules.volunteer, householdIds: [a!.id, b!.id], note: "周六清扫河道" },
    clerk,
  );
  clerkEntries = batch.entries.map((e: { id: string }) => e.id);
  ownEntry = (
    await world.must(
      "POST",
      "/api/entries",
      { householdId: c!.id, ruleId: world.rules.clean },
      admin,
    )
  ).entry.id;
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, 15_000);

const statusOf = async (id: string) =>
  (await world.must("GET", `/api/entries/${id}`)).entry.status as string;

browserTest(
  "the village admin approves the clerk's entries at once and cannot approve their own",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_admin");
    await page.getByText("条记录等你审核").waitFor();
    await checkPage(page, "today-1366x768");
    await page
      .getByRole("navigation", { name: "主导航" })
      .getByRole("link", { name: "审核" })
      .click();
    await page.getByRole("tab", { name: "待审核" }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 3);
    // The admin's own entry: the buttons are disabled, and the reason is on the page.
    const own = page.locator("tbody tr", { hasText: "陈国庆" });
    expect(await own.getByRole("button", { name: "通过" }).isDisabled()).toBe(true);
    await expect(own.getByText("本人录入，须由另一位村干部审核").count()).resolves.toBe(1);
    await checkPage(page, "review-approve-1366x768");
    await page.getByLabel("全选（不含本人录入）").check();
    await expect(page.getByText("已选 2 条").count()).resolves.toBe(1);
    await page.getByRole("button", { name: "通过所选" }).click();
    await page.getByText("已通过 2 条。").waitFor();
    for (const id of clerkEntries) expect(await statusOf(id)).toBe("in_notice");
    expect(await statusOf(ownEntry)).toBe("proposed");
    // The server keeps the rule too: the recorder's approval is refused.
    const refused = await world.api(
      "POST",
      `/api/entries/${ownEntry}/approve`,
      undefined,
      await world.cookieOf("dh_admin"),
    );
    expect(refused.status).toBe(403);
    await page.getByRole("tab", { name: "公示中" }).click();
    await page.getByText("还有 3 天").first().waitFor();
    await expect(page.locator("tbody tr").count()).resolves.toBe(2);
    await expect(page.getByText("还有 3 天").count()).resolves.toBe(2);
    await checkPage(page, "review-notice-1366x768");
    await context.close();
  },
  60_000,
);

browserTest(
  "a clerk sees no review page, and the address says so in words",
  async () => {
    const context = await staffContext(browser, { width: 800, height: 1280 });
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk");
    const nav = page.getByRole("navigation", { name: "主导航" });
    await expect(nav.getByRole("link", { name: "审核" }).count()).resolves.toBe(0);
    await expect(nav.getByRole("link", { name: "记分" }).count()).resolves.toBe(1);
    await page.goto(`${world.server.url}/admin/review`);
    await page.getByRole("heading", { name: "没有权限" }).waitFor();
    await checkPage(page, "forbidden-800x1280");
    await context.close();
  },
  40_000,
);

browserTest(
  "an objection sent from the resident's page is decided beside the entry and the household's history",
  async () => {
    // An entry of 王桂兰's, recorded by the clerk and approved: on notice for three days.
    const wang = world.households[3]!;
    const recorded = await world.must(
      "POST",
      "/api/entries",
      { householdId: wang.id, ruleId: world.rules.volunteer },
      await world.cookieOf("dh_clerk"),
    );
    const disputed = recorded.entry.id as string;
    await world.must(
      "POST",
      `/api/entries/${disputed}/approve`,
      undefined,
      await world.cookieOf("dh_admin"),
    );
    // A resident objects from the card page, with no script.
    const resident = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: "zh-CN",
      javaScriptEnabled: false,
    });
    const phone = await resident.newPage();
    await phone.goto(wang.cardUrl!);
    // The page lists every entry on notice in the village; object to 王桂兰's.
    const item = phone.getByRole("listitem").filter({ hasText: "王*兰" });
    await item.getByText("我有异议").click();
    await item.locator("textarea[name=reason]").fill("那天王家没有参加清扫，是邻居代替的");
    await Promise.all([
      phone.waitForURL(/objected=/),
      item.getByRole("button", { name: "提交异议" }).click(),
    ]);
    await resident.close();
    expect(await statusOf(disputed)).toBe("disputed");

    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_admin", "/admin/review?tab=objections");
    await page.getByText("那天王家没有参加清扫，是邻居代替的").first().waitFor();
    await page.getByRole("heading", { name: "这户最近的记录" }).waitFor();
    await checkPage(page, "review-objection-1366x768");
    await page.getByRole("button", { name: "提交决定" }).click();
    await page.getByText("请选择维持还是撤销。").waitFor();
    await page.getByRole("radio", { name: /撤销这条记录/ }).check();
    await page.getByLabel("理由（村民会看到）").fill("经核实，王家当天未参加");
    await page.getByRole("button", { name: "提交决定" }).click();
    await page.getByText("已撤销 王桂兰 的记录。").waitFor();
    expect(await statusOf(disputed)).toBe("revoked");
    await page.getByText("没有待处理的异议").waitFor();
    await context.close();
  },
  60_000,
);
