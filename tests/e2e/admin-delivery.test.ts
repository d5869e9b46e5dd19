/**
 * Issue 18's staff pages in real Chromium (zh-CN): a rule marked to suspend redemptions, added in
 * the rules form; the household page saying why a household may not redeem (rule, entry, end
 * day); the village's opening days and hours set in the settings; a home delivery recorded on the
 * sales page for a household chosen by name (no card), then confirmed with who delivered it and
 * when. Every result is read back through the API; each page is checked with axe and kept as a
 * screenshot at a computer's, a tablet's and a phone's size.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { browserTest, chromiumAvailable, launchChromium, VIEWPORTS } from "../support/browser.ts";
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
let rice = "";

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startStaffWorld();
  // 张建华 earns 20 points; the village posts at once (no notice, no approval).
  await world.must("POST", "/api/entries/batch", {
    ruleId: world.rules.volunteer,
    householdIds: [world.households[0]!.id],
    quantity: 4,
  });
  rice = (
    await world.must("POST", `/api/villages/${world.villageA}/goods`, {
      name: "大米 5kg",
      pricePoints: 5,
      stock: 10,
      category: "粮油",
    })
  ).goods.id;
  await world.must("POST", `/api/villages/${world.villageA}/goods`, {
    name: "洗衣粉",
    pricePoints: 3,
    stock: 4,
    category: "日用",
  });
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, 15_000);

browserTest(
  "a suspending rule is added in the rules form, and the household page says why the household may not redeem",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_admin", "/admin/rules");
    await page.getByRole("button", { name: "新增规则" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("编号").fill("FZ-01");
    await dialog.getByLabel("内容").fill("参与赌博");
    await dialog.getByLabel("扣分", { exact: true }).check();
    await dialog.getByLabel("分值").fill("20");
    await dialog.getByLabel(/扣分后暂停兑换/).fill("3");
    await dialog.getByRole("button", { name: "保存" }).click();
    await page.getByText("停兑 3 个月").waitFor();
    const rules = (await world.must("GET", `/api/villages/${world.villageA}/rules`)).items as {
      id: string;
      code: string;
      suspendMonths: number | null;
      points: number;
    }[];
    const rule = rules.find((r) => r.code === "FZ-01")!;
    expect(rule).toMatchObject({ points: -20, suspendMonths: 3 });

    // 刘德明 is deducted under it: his redemptions stop until three months from today.
    const household = world.households[1]!;
    const entry = (
      await world.must("POST", "/api/entries", { householdId: household.id, ruleId: rule.id })
    ).entry;
    const { suspension } = await world.must("GET", `/api/households/${household.id}/suspension`);
    expect(suspension).toMatchObject({ ruleTitle: "参与赌博", months: 3, entryId: entry.id });
    await page.goto(`${world.server.url}/admin/households/${household.id}`);
    const notice = page.getByRole("status").filter({ hasText: "这户暂停兑换" });
    await notice.waitFor();
    const [y, m, d] = (suspension.until as string).split("-").map(Number);
    await expect(notice.textContent()).resolves.toContain(`${y}年${m}月${d}日 起可以再兑换`);
    await expect(notice.textContent()).resolves.toContain(`记录 ${entry.id}`);
    await checkPage(page, "household-suspended-1366x768");
    await context.close();
  },
  60_000,
);

browserTest(
  "the village's opening days and hours are set in the settings",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_admin", "/admin/settings");
    await page.getByLabel("超市只在固定时间开门").check();
    await page.getByLabel("周六").check();
    await page.getByLabel("周日").check();
    await page.getByLabel("开门时间").fill("08:30");
    await page.getByLabel("关门时间").fill("11:30");
    // A closing time before the opening is said beside the fields, and nothing is saved.
    await page.getByLabel("关门时间").fill("07:00");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("关门时间要晚于开门时间。").waitFor();
    expect(
      (await world.must("GET", `/api/villages/${world.villageA}`)).village.openingHours,
    ).toBeNull();
    await page.getByLabel("关门时间").fill("11:30");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("设置已保存。").waitFor();
    expect(
      (await world.must("GET", `/api/villages/${world.villageA}`)).village.openingHours,
    ).toEqual({ weekdays: [6, 7], opens: "08:30", closes: "11:30" });
    await page.locator(".opening-hours").scrollIntoViewIfNeeded();
    await checkPage(page, "settings-hours-1366x768");
    // Days of the month instead.
    await page.getByLabel("每月", { exact: true }).check();
    await page.getByLabel(/每月几号/).fill("1, 15");
    await page.getByRole("button", { name: "保存" }).click();
    const want = { monthDays: [1, 15], opens: "08:30", closes: "11:30" };
    let saved: unknown = null;
    for (let i = 0; i < 50 && JSON.stringify(saved) !== JSON.stringify(want); i++) {
      await page.waitForTimeout(100);
      saved = (await world.must("GET", `/api/villages/${world.villageA}`)).village.openingHours;
    }
    expect(saved).toEqual(want);
    await context.close();
  },
  60_000,
);

async function recordDelivery(page: Page): Promise<void> {
  await page.getByRole("button", { name: "登记送货上门" }).click();
  const picker = page.getByLabel("农户", { exact: true });
  await picker.fill("zjh");
  await picker.press("Enter");
  await page.locator(".chosen-household").getByText("张建华").waitFor();
  await page.getByLabel(/大米 5kg/).fill("2");
  await page.getByText("合计 10").waitFor();
  await page.getByRole("button", { name: "兑换", exact: true }).click();
  await page.getByText(/已为 张建华 兑换，小票/).waitFor();
}

browserTest(
  "a clerk records a home delivery for a household chosen by name and confirms who delivered it and when",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", "/admin/sales");
    await page.getByText("没有等待送达的兑换。").waitFor();
    await recordDelivery(page);
    const waiting = (await world.must("GET", `/api/villages/${world.villageA}/deliveries`)).items;
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      householdName: "张建华",
      totalPoints: 10,
      deliveredBy: null,
      items: [{ goodsId: rice, quantity: 2 }],
    });
    const item = page.locator(".delivery-item").filter({ hasText: "张建华" });
    await item.waitFor();
    // The sale is in the sales list below too, and its receipt says 送货上门.
    await page
      .locator("table")
      .filter({ hasText: "大米 5kg×2" })
      .first()
      .getByText("待送货")
      .waitFor();
    const receipt = await fetch(
      `${world.server.url}/api/redemptions/${waiting[0].redemptionId}/receipt`,
      { headers: { cookie: await world.cookieOf("dh_clerk") } },
    );
    expect(await receipt.text()).toContain("送货上门");
    await checkPage(page, "sales-delivery-waiting-1366x768");
    // 今日 lists it as a task that leads back here.
    await page.goto(`${world.server.url}/admin`);
    const task = page.locator("a.task").filter({ hasText: "送货上门待确认" });
    await task.waitFor();
    await expect(task.locator(".task-count").textContent()).resolves.toBe("1");
    await task.click();
    await page.waitForURL((u) => u.pathname === "/admin/sales");

    await item.getByRole("button", { name: "确认送达：张建华" }).click();
    // Nobody named: said beside the field, nothing confirmed.
    await item.getByRole("button", { name: "确认送达" }).click();
    await item.getByText("请填写送货人").waitFor();
    await item.getByLabel("送货人").fill("王五");
    const at = await item.getByLabel("送达时间").inputValue();
    expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await item.getByRole("button", { name: "确认送达" }).click();
    await page.getByText("已确认送达，送货人 王五").waitFor();
    await page.getByRole("table").filter({ hasText: "王五" }).waitFor();
    const confirmed = (
      await world.must("GET", `/api/villages/${world.villageA}/deliveries?status=confirmed`)
    ).items;
    expect(confirmed[0]).toMatchObject({ deliveredBy: "王五", confirmedBy: "王会计" });
    // The time typed is Beijing time, whatever the browser's zone.
    expect(
      new Date(Date.parse(confirmed[0].deliveredAt) + 8 * 3600_000).toISOString().slice(0, 16),
    ).toBe(at);
    expect((await world.must("GET", `/api/villages/${world.villageA}/deliveries`)).items).toEqual(
      [],
    );
    await checkPage(page, "sales-delivery-confirmed-1366x768");
    await context.close();
  },
  90_000,
);

browserTest(
  "the delivery form fits a tablet and a phone",
  async () => {
    for (const [name, viewport] of [
      ["1280x800", VIEWPORTS.tabletLandscape],
      ["390x844", VIEWPORTS.phone],
    ] as const) {
      const context = await staffContext(browser, viewport);
      const page = await context.newPage();
      await signIn(page, world, "dh_clerk", "/admin/sales");
      await page.getByRole("button", { name: "登记送货上门" }).click();
      const picker = page.getByLabel("农户", { exact: true });
      await picker.fill("zjh");
      await picker.press("Enter");
      await page.locator(".chosen-household").getByText("张建华").waitFor();
      expect(await overflowingWidth(page)).toBeLessThanOrEqual(0);
      await checkPage(page, `sales-delivery-form-${name}`);
      await context.close();
    }
  },
  90_000,
);
