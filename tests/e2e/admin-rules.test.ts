/**
 * The village rules and new households in real Chromium: a village admin adds a rule, changes
 * it, retires it (a past entry keeps its copy), copies the township's templates; a clerk reads
 * the rules but cannot change them; a household is added with its members from the dialog.
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
  await world.must("POST", "/api/rule-templates", {
    code: "XS-01",
    title: "红白事简办",
    category: "civility",
    points: 10,
  });
  await world.must("POST", "/api/rule-templates", {
    code: "HJ-01",
    title: "庭院整洁",
    category: "environment",
    points: 3,
  });
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, 15_000);

const rulesOf = async () =>
  (await world.must("GET", `/api/villages/${world.villageA}/rules?includeRetired=true`)).items as {
    code: string;
    title: string;
    points: number;
    active: boolean;
  }[];

browserTest(
  "a village admin adds, changes and retires a rule, and copies templates; a past entry keeps its copy",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_admin", "/admin/rules");
    await page.getByRole("button", { name: "新增规则" }).click();
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("请填写编号（最多 20 个字符，不含空格）。").waitFor();
    await page.getByLabel("编号").fill("XF-01");
    await page.getByLabel("内容").fill("参加消防演练");
    await page.getByLabel("类别").selectOption({ label: "志愿服务" });
    await page.getByLabel("分值").fill("4");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("已新增规则“参加消防演练”。").waitFor();
    let rule = (await rulesOf()).find((r) => r.code === "XF-01");
    expect(rule).toMatchObject({ title: "参加消防演练", points: 4, active: true });

    // An entry under it, then a change: the entry keeps what it was recorded with.
    const ruleId = (
      (await world.must("GET", `/api/villages/${world.villageA}/rules`)).items as {
        id: string;
        code: string;
      }[]
    ).find((r) => r.code === "XF-01")!.id;
    const entry = (
      await world.must("POST", "/api/entries", { householdId: world.households[0]!.id, ruleId })
    ).entry;
    await page.getByRole("button", { name: "修改“参加消防演练”" }).click();
    await page.getByLabel("分值").fill("6");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("已修改规则“参加消防演练”。").waitFor();
    await page.getByRole("button", { name: "停用“参加消防演练”" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "停用" }).click();
    await page.getByText("已停用“参加消防演练”。").waitFor();
    rule = (await rulesOf()).find((r) => r.code === "XF-01");
    expect(rule).toMatchObject({ points: 6, active: false });
    const kept = (await world.must("GET", `/api/entries/${entry.id}`)).entry;
    expect({ points: kept.points, ruleTitle: kept.ruleTitle }).toEqual({
      points: 4,
      ruleTitle: "参加消防演练",
    });

    await page.getByRole("button", { name: "从镇模板复制" }).click();
    // HJ-01 is already one of the village's codes: offered, but not selectable.
    expect(await page.getByRole("checkbox", { name: /HJ-01/ }).isDisabled()).toBe(true);
    await page.getByRole("checkbox", { name: /XS-01/ }).check();
    await page.getByRole("button", { name: "复制 1 条" }).click();
    await page.getByText("已复制 1 条规则。").waitFor();
    expect((await rulesOf()).some((r) => r.code === "XS-01" && r.title === "红白事简办")).toBe(
      true,
    );
    await checkPage(page, "rules-after-1366x768");
    await context.close();
  },
  60_000,
);

browserTest(
  "the township adds a template that suspends redemptions; the field shows for a deduction only",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "admin", "/admin/templates");
    await page.getByRole("button", { name: "新增模板" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("编号").fill("LAW-07");
    await dialog.getByLabel("内容", { exact: true }).fill("参与赌博");
    await dialog.getByLabel("分值").fill("20");
    await expect(dialog.getByLabel(/扣分后暂停兑换/).count()).resolves.toBe(0);
    await dialog.getByLabel("分值").fill("-20");
    await dialog.getByLabel(/扣分后暂停兑换/).fill("6");
    await dialog.getByRole("button", { name: "保存" }).click();
    await page.getByText("停兑 6 个月").waitFor();
    const stored = (await world.must("GET", "/api/rule-templates")).items.find(
      (t: { code: string }) => t.code === "LAW-07",
    );
    expect(stored).toMatchObject({ title: "参与赌博", points: -20, suspendMonths: 6 });
    await checkPage(page, "templates-suspending-1366x768");
    await context.close();
  },
  30_000,
);

browserTest(
  "a clerk reads the rules and cannot change them",
  async () => {
    const context = await staffContext(browser, { width: 800, height: 1280 });
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", "/admin/rules");
    await page.getByText("规则由村管理员维护，这里只能查看。").waitFor();
    await expect(page.getByRole("button", { name: "新增规则" }).count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: /^停用/ }).count()).resolves.toBe(0);
    await context.close();
  },
  30_000,
);

browserTest(
  "a household is added with its members from the households page",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", "/admin/households");
    await page.getByRole("button", { name: "新增农户" }).click();
    await page.getByLabel("户主").fill("黄大伟");
    await page.getByLabel("住址").fill("东河村7组6号");
    await page.getByRole("button", { name: "添加成员" }).click();
    await page.getByLabel("成员 1 姓名").fill("林小梅");
    await page.getByLabel("与户主关系").selectOption({ label: "配偶" });
    await page.getByRole("dialog").getByRole("button", { name: "保存" }).click();
    await page.getByRole("heading", { level: 1, name: "黄大伟" }).waitFor();
    const id = new URL(page.url()).pathname.split("/").pop()!;
    const stored = await world.must("GET", `/api/households/${id}`);
    expect(stored).toMatchObject({ headName: "黄大伟", address: "东河村7组6号" });
    expect(
      stored.members.map((m: { name: string; relation: string }) => [m.name, m.relation]),
    ).toEqual([
      ["黄大伟", "head"],
      ["林小梅", "spouse"],
    ]);
    // Found at once by its door plate.
    const found = await world.must(
      "GET",
      `/api/villages/${world.villageA}/households?search=${encodeURIComponent("7组6号")}`,
    );
    expect(found.items.map((h: { id: string }) => h.id)).toEqual([id]);
    await context.close();
  },
  30_000,
);
