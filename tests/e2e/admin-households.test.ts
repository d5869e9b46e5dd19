/**
 * Households in real Chromium: search as you type; a GBK CSV with one bad row previewed line by
 * line, imported with a progress bar and its new cards printed; a household's page with its
 * cards (issue, print); a village admin kept out of another village's records; a session that
 * expires in the middle of a form keeps the form.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import type { Browser } from "playwright-core";
import { forgetPrincipals } from "../../src/auth/sessions.ts";
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
  "search as you type finds a household by pinyin initials and by door plate",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", "/admin/households");
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 8);
    await checkPage(page, "households-1366x768");
    await page.getByLabel("搜索农户").fill("zjh");
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 1);
    await expect(page.locator("tbody tr").first().textContent()).resolves.toContain("张建华");
    await page.getByLabel("搜索农户").fill("2组11号");
    await page.waitForFunction(
      () => document.querySelector("tbody tr")?.textContent?.includes("王桂兰") ?? false,
    );
    await page.getByLabel("搜索农户").fill("没有这个人");
    await page.getByText("没有找到“没有这个人”").waitFor();
    // The search is in the address: a reload keeps it.
    expect(new URL(page.url()).searchParams.get("q")).toBe("没有这个人");
    await context.close();
  },
  40_000,
);

browserTest(
  "a GBK file with one bad row is previewed line by line, imported, and its new cards printed",
  async () => {
    const rows = [
      "户主,住址,成员,编号",
      "钱进,东河村6组1号,钱多多,DH-101",
      ",东河村6组2号,,DH-102",
      "吴芳,东河村6组3号,,DH-103",
      "张建华,东河村3组27号,,",
    ];
    const dir = mkdtempSync(join(tmpdir(), "jifen-import-"));
    const file = join(dir, "名单.csv");
    writeFileSync(file, new Uint8Array(iconv.encode(rows.join("\r\n") + "\r\n", "gbk")));
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_admin", "/admin/households");
    await page.getByRole("link", { name: "导入名单" }).click();
    await page.getByRole("heading", { level: 1, name: "导入农户名单" }).waitFor();
    await page.locator("#import-file").setInputFiles(file);
    await page.getByText("新增 2 户").waitFor();
    await expect(page.getByText("有错误 1 行").count()).resolves.toBe(1);
    await expect(page.getByText("GBK").count()).resolves.toBe(1);
    // The bad row is shown on its own line (line 3 of the file), and the existing household as skipped.
    const bad = page.locator("tr.error-row");
    await expect(bad.locator("td").first().textContent()).resolves.toBe("3");
    await expect(
      page.locator("tr", { hasText: "张建华" }).getByText("已有，跳过").count(),
    ).resolves.toBe(1);
    await checkPage(page, "import-preview-1366x768");
    await page.getByRole("button", { name: "导入 2 户" }).click();
    await page.getByText("导入完成：新增 2 户").waitFor();
    const list = await world.must(
      "GET",
      `/api/villages/${world.villageA}/households?search=${encodeURIComponent("钱进")}`,
    );
    expect(list.items.length).toBe(1);
    expect(list.items[0].card).not.toBeNull();
    await checkPage(page, "import-done-1366x768");
    const [sheet] = await Promise.all([
      context.waitForEvent("page"),
      page.getByRole("link", { name: "打印 2 张新卡" }).click(),
    ]);
    await sheet.waitForLoadState();
    await expect(sheet.locator("article.card").count()).resolves.toBe(2);
    // Importing the same file again adds nothing.
    await page.getByRole("button", { name: "再导入一个文件" }).click();
    await page.locator("#import-file").setInputFiles(file);
    await page.getByText("新增 0 户").waitFor();
    await context.close();
  },
  60_000,
);

browserTest(
  "a household's page issues a card and prints it; another village's household answers not found",
  async () => {
    const context = await staffContext(browser, { width: 800, height: 1280 });
    const page = await context.newPage();
    const zhao = world.households[4]!; // no card yet
    await signIn(page, world, "dh_admin", `/admin/households/${zhao.id}`);
    await page.getByRole("heading", { level: 1, name: zhao.headName }).waitFor();
    await page.getByText("这户还没有积分卡。").waitFor();
    await page.getByRole("button", { name: "发卡" }).click();
    await page.getByText(/已发卡，卡号 \d{4} \d{4}/).waitFor();
    const cards = await world.must("GET", `/api/households/${zhao.id}/cards`);
    expect(cards.items.filter((c: { revoked: boolean }) => !c.revoked).length).toBe(1);
    await checkPage(page, "household-800x1280");
    const [sheet] = await Promise.all([
      context.waitForEvent("page"),
      page.getByRole("link", { name: "打印" }).click(),
    ]);
    await sheet.waitForLoadState();
    await expect(sheet.locator("article.card").count()).resolves.toBe(1);
    // 柳湾村's household, opened by 东河村's admin: not found, nothing shown of it.
    await page.goto(`${world.server.url}/admin/households/${world.householdB.id}`);
    await page.getByText("找不到这户").waitFor();
    expect(await page.content()).not.toContain(world.householdB.headName);
    await context.close();
  },
  40_000,
);

browserTest(
  "a session that expires in the middle of a form keeps the form, and signing in returns to it",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", "/admin/record");
    await page.getByLabel("规则").selectOption({ label: "HJ-01 庭院整洁（+3）" });
    const box = page.getByRole("combobox", { name: "农户" });
    await box.fill("孙丽");
    await box.press("Enter");
    await page.locator(".chosen tbody tr").first().waitFor();
    await page.getByLabel("备注").fill("门前三包做得好");
    // The session ends behind the page's back (idle expiry, or an administrator ended it).
    world.server.db.run("DELETE FROM sessions");
    forgetPrincipals(world.server.db);
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("登录已过期，请重新登录。").waitFor();
    expect(new URL(page.url()).pathname).toBe("/admin/login");
    await page.getByLabel("用户名").fill("dh_clerk");
    await page.getByLabel("密码").fill("staff-password-123");
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByRole("heading", { level: 1, name: "记分" }).waitFor();
    expect(await page.getByLabel("备注").inputValue()).toBe("门前三包做得好");
    await expect(page.locator(".chosen tbody tr").first().textContent()).resolves.toContain("孙丽");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("已为 1 户记录“庭院整洁”").waitFor();
    await context.close();
  },
  40_000,
);
