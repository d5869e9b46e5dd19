/**
 * The supermarket's back office and the township's view in real Chromium: a kiosk registered and
 * paired by its QR code (read back from a screenshot with zxing); a good added with a photo,
 * stocked from a donor, sold at that kiosk, counted and written off until it is sold out; the
 * sale voided and found again in the audit log by its receipt number; a staff account added and
 * disabled (its session ends); a report downloaded and its Excel read back with the chart's
 * figures; a clerk kept out of the settings. Results are checked through the API.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import ExcelJS from "exceljs";
import QRCode from "qrcode";
import type { Browser } from "playwright-core";
import { browserTest, chromiumAvailable, launchChromium } from "../support/browser.ts";
import { readQrCodes } from "../support/qr.ts";
import {
  checkPage,
  signIn,
  staffContext,
  startStaffWorld,
  STAFF_PASSWORD,
  type StaffWorld,
} from "../support/e2e/admin.ts";
import { kioskContext, wedgeScan } from "../support/e2e/kiosk.ts";

let world: StaffWorld;
let browser: Browser;
let goodsId = "";
let receiptNo = "";

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startStaffWorld();
  // 张建华 earns 20 points (the village posts at once: no notice, no approval).
  await world.must("POST", "/api/entries/batch", {
    ruleId: world.rules.volunteer,
    householdIds: [world.households[0]!.id],
    quantity: 4,
  });
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, 15_000);

const goodOf = async (id: string) =>
  (await world.must("GET", `/api/goods/${id}`)).goods as {
    stock: number;
    imageUrl: string | null;
    low: boolean;
  };

browserTest(
  "a kiosk is registered and paired by its QR; a good with a photo is stocked by a donor, sold there, counted and written off",
  async () => {
    const admin = await staffContext(browser);
    const page = await admin.newPage();
    await signIn(page, world, "dh_admin", "/admin/kiosks");
    await page.getByRole("button", { name: "登记新终端" }).click();
    await page.getByLabel("终端名称").fill("超市一号机");
    await page.getByRole("button", { name: "登记并显示配对码" }).click();
    const qr = page.locator(".qr-box svg");
    await qr.waitFor();
    await checkPage(page, "kiosk-pairing-1366x768");
    const [pairUrl] = await readQrCodes(new Uint8Array(await page.locator(".qr-box").screenshot()));
    expect(pairUrl).toStartWith(`${world.server.url}/kiosk?pair=`);
    await page.getByRole("button", { name: "完成" }).click();
    await page.getByText("还未连接").waitFor();

    // The good, with a photo chosen from a file (shrunk in the browser before it is sent).
    await page.goto(`${world.server.url}/admin/goods`);
    await page.getByRole("button", { name: "新增商品" }).click();
    await page.getByLabel("商品名称").fill("香皂礼盒");
    await page.getByLabel("兑换价（积分）").fill("5");
    await page.getByLabel("库存提醒线").fill("1");
    const photo = await QRCode.toBuffer("a photo of a gift box of soap", {
      type: "png",
      width: 600,
    });
    await page
      .locator("#goods-photo")
      .setInputFiles({ name: "soap.png", mimeType: "image/png", buffer: photo });
    await page.getByRole("img", { name: "商品照片" }).waitFor();
    await page.getByRole("dialog").getByRole("button", { name: "保存" }).click();
    await page.getByRole("heading", { level: 1, name: "香皂礼盒" }).waitFor();
    goodsId = new URL(page.url()).pathname.split("/").pop()!;
    expect((await goodOf(goodsId)).imageUrl).toMatch(/^\/goods-images\//);

    // Stocked from a donor: the donor is named, or the page says so.
    await page.getByRole("button", { name: "入库" }).click();
    await page.getByLabel("数量").fill("4");
    await page.getByRole("radio", { name: "企业或个人捐赠" }).check();
    await page.getByRole("button", { name: "确认入库" }).click();
    await page.getByText("捐赠的请写明捐赠单位或个人。").waitFor();
    await page.getByLabel("捐赠单位或个人").fill("青石镇供销社");
    await page.getByRole("button", { name: "确认入库" }).click();
    await page.getByText("已入库 4 件“香皂礼盒”。").waitFor();
    await page.getByRole("cell", { name: /青石镇供销社/ }).waitFor();
    expect((await goodOf(goodsId)).stock).toBe(4);

    // Sold at the kiosk paired a moment ago: three of them on 张建华's card.
    const kioskCtx = await kioskContext(browser);
    const kiosk = await kioskCtx.newPage();
    await kiosk.goto(pairUrl!);
    await kiosk.locator(".attract-screen").waitFor({ timeout: 10_000 });
    await wedgeScan(kiosk, world.households[0]!.cardUrl!);
    await kiosk.locator(".household-screen").waitFor({ timeout: 5000 });
    await kiosk.getByRole("button", { name: "去选商品" }).tap();
    const tile = kiosk
      .locator("li.tile")
      .filter({ has: kiosk.getByRole("heading", { name: "香皂礼盒", exact: true }) });
    for (let i = 0; i < 3; i++) await tile.getByRole("button", { name: "加一件" }).tap();
    await kiosk.getByRole("button", { name: "下一步：核对" }).tap();
    await kiosk.getByRole("button", { name: "确认兑换" }).tap();
    await kiosk.getByRole("heading", { name: "兑换成功" }).waitFor({ timeout: 10_000 });
    expect((await goodOf(goodsId)).stock).toBe(1);
    const sale = (await world.must("GET", `/api/villages/${world.villageA}/redemptions`)).items[0];
    receiptNo = String(sale.receiptNo);
    expect(sale.kioskName).toBe("超市一号机");

    // The shelf is counted: nothing is left (one was broken), so the difference is written off.
    await page.reload();
    await page.getByRole("button", { name: "盘点" }).click();
    await page.getByLabel("货架上实有").fill("0");
    await page.getByText("比系统少 1 件，将按报损记录。").waitFor();
    await page.getByRole("button", { name: "确认盘点" }).click();
    await page.getByText("请写明原因。").waitFor();
    await page.getByLabel("原因").fill("包装破损");
    await page.getByRole("button", { name: "确认盘点" }).click();
    await page.getByText("“香皂礼盒”盘点完成，差异 -1 件已记录。").waitFor();
    const after = await goodOf(goodsId);
    expect({ stock: after.stock, low: after.low }).toEqual({ stock: 0, low: true });
    const ledger = await world.must("GET", `/api/goods/${goodsId}/stock`);
    expect(ledger.items.map((m: { kind: string; delta: number }) => [m.kind, m.delta])).toEqual([
      ["count", -1],
      ["sale", -3],
      ["intake", 4],
    ]);
    await checkPage(page, "good-1366x768");
    // Sold out: the kiosk, when it next reads its shelf, can no longer add the good.
    await kiosk.reload();
    await kiosk.locator(".attract-screen").waitFor({ timeout: 10_000 });
    await wedgeScan(kiosk, world.households[0]!.cardUrl!);
    await kiosk.getByRole("button", { name: "去选商品" }).tap();
    await tile.waitFor();
    expect(await tile.getByRole("button", { name: "加一件" }).isDisabled()).toBe(true);
    await kioskCtx.close();
    await admin.close();
  },
  90_000,
);

browserTest(
  "the sale is voided with a reason, once, and the audit log finds the void by its receipt number",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", "/admin/sales");
    await page.getByRole("button", { name: `查看小票 ${receiptNo}` }).click();
    await page.getByRole("button", { name: "作废这笔兑换" }).click();
    await page.getByLabel("作废原因").fill("拿错了商品");
    await page.getByRole("button", { name: "确认作废" }).click();
    await page.getByText("已作废：拿错了商品。积分和商品都已退回。").waitFor();
    await expect(page.getByRole("button", { name: "作废这笔兑换" }).count()).resolves.toBe(0);
    expect((await goodOf(goodsId)).stock).toBe(3);
    await checkPage(page, "sales-voided-1366x768");
    await context.close();

    const audit = await staffContext(browser);
    const auditPage = await audit.newPage();
    await signIn(auditPage, world, "dh_admin", "/admin/audit");
    await auditPage.getByLabel("小票号").fill(receiptNo);
    await auditPage.getByRole("button", { name: "查找" }).click();
    await auditPage.waitForURL(/receiptNo=/);
    const row = auditPage.locator("tbody tr", { hasText: "作废兑换" });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain("王会计");
    await checkPage(auditPage, "audit-receipt-1366x768");
    await audit.close();
  },
  60_000,
);

browserTest(
  "a staff account is added and disabled, and its session ends at once",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_admin", "/admin/users");
    await page.getByRole("button", { name: "新增账号" }).click();
    await page.getByLabel("姓名").fill("赵出纳");
    await page.getByLabel("用户名").fill("dh_cashier");
    await page.getByLabel("初始密码").fill(STAFF_PASSWORD);
    await page.getByRole("dialog").getByRole("button", { name: "保存" }).click();
    await page.getByText("已新增账号：赵出纳。").waitFor();
    const cookie = await world.cookieOf("dh_cashier");
    expect((await world.api("GET", "/api/me", undefined, cookie)).status).toBe(200);
    await page.getByRole("button", { name: "停用 赵出纳" }).click();
    await page.getByText("赵出纳 的账号已停用，已退出所有设备。").waitFor();
    expect((await world.api("GET", "/api/me", undefined, cookie)).status).toBe(401);
    await checkPage(page, "users-1366x768");
    await context.close();
  },
  40_000,
);

browserTest(
  "a report is downloaded from the page, and its Excel holds the figures of the chart's table",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_admin", "/admin/reports");
    await page.getByRole("heading", { name: "各类积分" }).waitFor();
    await page
      .getByRole("figure", { name: "各类积分" })
      .getByRole("button", { name: "查看数据表" })
      .click();
    const table = page.locator('table[data-chart="chart-category"]');
    await table.waitFor();
    const chartRows = await table
      .locator("tbody tr")
      .evaluateAll((rows) =>
        rows.map((r) =>
          Array.from(r.querySelectorAll("td")).map((td) =>
            Number(td.textContent!.replace(/[,\u2212]/g, "")),
          ),
        ),
      );
    expect(chartRows.length).toBeGreaterThan(0);
    await checkPage(page, "reports-1366x768");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "下载 Excel" }).click(),
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheet = workbook.getWorksheet("By category")!;
    const fromExcel: number[][] = [];
    sheet.eachRow((row, n) => {
      if (n <= 2) return; // the title and the header
      const cells = row.values as (string | number)[];
      const [awarded, deducted] = [Number(cells[2]), Number(cells[3])];
      if (awarded !== 0 || deducted !== 0) fromExcel.push([awarded, deducted]);
    });
    const sorted = (rows: number[][]) => rows.map((r) => r.join("/")).sort();
    expect(sorted(fromExcel)).toEqual(sorted(chartRows));
    await context.close();
  },
  40_000,
);

browserTest(
  "a clerk cannot open the settings, the staff accounts or the audit log",
  async () => {
    const context = await staffContext(browser, { width: 800, height: 1280 });
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk");
    await expect(
      page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "设置" }).count(),
    ).resolves.toBe(0);
    for (const path of ["/admin/settings", "/admin/users", "/admin/audit", "/admin/kiosks"]) {
      await page.goto(`${world.server.url}${path}`);
      await page.getByRole("heading", { name: "没有权限" }).waitFor();
    }
    expect(
      (
        await world.api(
          "PATCH",
          `/api/villages/${world.villageA}`,
          { noticeDays: 5 },
          await world.cookieOf("dh_clerk"),
        )
      ).status,
    ).toBe(403);
    await context.close();
  },
  40_000,
);
