/**
 * Record points in real Chromium, as a clerk does it: one rule, households found six ways from
 * the keyboard (name, pinyin initials, door plate, card number, a scanned card, a pasted list),
 * one batch, one Idempotency-Key (a lost answer is retried and counted once), then `撤销`.
 * Every result is read back through the API.
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

beforeAll(async () => {
  if (!chromiumAvailable) return;
  world = await startStaffWorld();
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, 15_000);

const balances = async () =>
  Promise.all(
    world.households.map(
      async (h) => (await world.must("GET", `/api/households/${h.id}`)).balance as number,
    ),
  );

async function addByTyping(
  page: import("playwright-core").Page,
  text: string,
  name: string,
  count: number,
) {
  const box = page.getByRole("combobox", { name: "农户" });
  await box.fill(text);
  await box.press("Enter");
  await expect(
    page
      .locator(".chosen tbody tr")
      .nth(count - 1)
      .textContent(),
  ).resolves.toContain(name);
  expect(await box.inputValue()).toBe("");
}

browserTest(
  "a clerk records one batch for six households found six ways, a lost answer counts once, and 撤销 takes it back",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk");
    await page
      .getByRole("navigation", { name: "主导航" })
      .getByRole("link", { name: "记分" })
      .click();
    await page.getByRole("heading", { level: 1, name: "记分" }).waitFor();
    await page.getByLabel("规则").selectOption({ label: "ZY-01 参加志愿服务（+5）" });

    const [zhang, liu, chen, wang, zhao] = world.households as [
      StaffWorld["households"][0],
      ...StaffWorld["households"],
    ];
    await addByTyping(page, "张建华", zhang.headName, 1); // the name
    await addByTyping(page, "ldm", liu!.headName, 2); // the pinyin initials of 刘德明
    await addByTyping(
      page,
      `${chen!.cardNumber!.slice(0, 4)} ${chen!.cardNumber!.slice(4)}`,
      chen!.headName,
      3,
    ); // the printed card number
    await addByTyping(page, "4组3号", zhao!.headName, 4); // the door plate of 赵永福
    // The USB scanner types the card's address and Enter, faster than a person.
    const box = page.getByRole("combobox", { name: "农户" });
    await box.focus();
    await page.keyboard.type(wang!.cardUrl!, { delay: 5 });
    await page.keyboard.press("Enter");
    await expect(page.locator(".chosen tbody tr").nth(4).textContent()).resolves.toContain(
      wang!.headName,
    );
    // A card already in the list is not added twice, and the page says so.
    await box.fill(liu!.cardUrl!);
    await box.press("Enter");
    await page.getByText("刘德明 已在名单中。").waitFor();
    await page.getByRole("button", { name: "粘贴名单" }).click();
    await page.getByLabel("名单", { exact: true }).fill("赵永福、孙丽\n张伟 查无此人");
    await page.getByRole("button", { name: "核对名单" }).click();
    await page.getByText("找到 2 户，1 个同名需要选择，1 个没有找到。").waitFor();
    // 张伟 names two households: choose the one in 5组.
    await page.getByRole("radio", { name: /张伟 · 东河村5组2号/ }).check();
    await page.getByRole("button", { name: "添加 3 户" }).click();
    await expect(page.locator(".chosen tbody tr").count()).resolves.toBe(7);
    const names = await page.locator(".chosen tbody tr td:first-child").allTextContents();
    expect(names).toEqual(["张建华", "刘德明", "陈国庆", "赵永福", "王桂兰", "孙丽", "张伟"]);
    await page.getByLabel("数量").fill("2");
    await checkPage(page, "record-filled-1366x768");

    // The first answer is lost on the way back: the server recorded the batch, the page heard nothing.
    let dropped = 0;
    await page.route("**/api/entries/batch", async (route) => {
      if (dropped++ === 0) {
        await route.fetch();
        await route.abort("connectionreset");
      } else {
        await route.continue();
      }
    });
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("同一批只会记录一次").waitFor();
    await page.getByRole("button", { name: "重新保存（不会重复记录）" }).click();
    await page.getByText("已为 7 户记录“参加志愿服务”").waitFor();
    const after = await balances();
    // 张伟 of 5组 (the last seeded household) got points; 张伟 of 1组 did not.
    expect(after).toEqual([10, 10, 10, 10, 10, 10, 0, 10]);
    const batches = world.server.db
      .query<{ n: number }, []>(
        "SELECT count(DISTINCT batch_id) AS n FROM entries WHERE batch_id IS NOT NULL",
      )
      .get();
    expect(batches?.n).toBe(1);
    await checkPage(page, "record-saved-1366x768");

    await page.getByRole("button", { name: "撤销" }).click();
    await page.getByText("已撤销这一批（7 条）").waitFor();
    expect(await balances()).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const reversals = world.server.db
      .query<{ n: number }, []>("SELECT count(*) AS n FROM entries WHERE kind = 'reversal'")
      .get();
    expect(reversals?.n).toBe(7);
    await context.close();
  },
  60_000,
);

browserTest(
  "refusals are said next to their field and nothing typed is lost",
  async () => {
    const context = await staffContext(browser, { width: 800, height: 1280 });
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", "/admin/record");
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page.getByText("请选择一条规则。").count()).resolves.toBe(1);
    await expect(page.getByText("请至少添加一户。").count()).resolves.toBe(1);
    await page.getByLabel("规则").selectOption({ label: "HJ-01 庭院整洁（+3）" });
    await addByTyping(page, "张建华", "张建华", 1);
    await page.getByLabel("数量").fill("0");
    await page.getByLabel("备注").fill("周六清扫");
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page.getByText("数量应为 1 到 1000 之间的整数。").count()).resolves.toBe(1);
    expect(await page.getByLabel("数量").getAttribute("aria-invalid")).toBe("true");
    // A refusal only the server can make (the rule's monthly cap) is said in words, beside the households.
    await page.getByLabel("规则").selectOption({ label: "HJ-02 门前三包（+5）" });
    await page.getByLabel("数量").fill("2");
    await page.getByRole("button", { name: "保存" }).click();
    await page
      .getByText(
        "超过每月上限：“门前三包”每户每月最多 5 分，张建华 本月已有 0 分，再记 10 分就超了。",
        { exact: false },
      )
      .first()
      .waitFor();
    expect(await page.getByRole("combobox", { name: "农户" }).getAttribute("aria-invalid")).toBe(
      "true",
    );
    await page.getByLabel("规则").selectOption({ label: "HJ-01 庭院整洁（+3）" });
    await page.getByLabel("数量").fill("0");
    // A reload keeps the draft: rule, household, note.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "记分" }).waitFor();
    await expect(page.locator(".chosen tbody tr").count()).resolves.toBe(1);
    expect(await page.getByLabel("备注").inputValue()).toBe("周六清扫");
    await checkPage(page, "record-errors-800x1280");
    await context.close();
  },
  40_000,
);
