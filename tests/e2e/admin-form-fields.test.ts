/**
 * The wiring of the staff pages' text fields (admin/components/Field.tsx, TextField) in real
 * Chromium. Forms are sent empty or wrong (a rule, a good, my password and PIN, a household's
 * PIN, the settings, a password reset, a new village) and every input of a field is read back
 * from the page: each has a label for it; its aria-describedby names exactly its hint and its
 * error, in that order, both in its field; aria-invalid is set with an error only; the error is
 * an alert; axe finds nothing serious. Then the form is corrected and sent, and the server is
 * asked whether what was typed is what was saved.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { browserTest, chromiumAvailable, launchChromium } from "../support/browser.ts";
import {
  checkPage,
  signIn,
  staffContext,
  STAFF_PASSWORD,
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

type FieldSeen = {
  id: string;
  label: string | null;
  describedBy: string | null;
  invalid: string | null;
  hint: string | null;
  error: string | null;
  errorRole: string | null;
  /** Ids named by aria-describedby that are not in the same field. */
  strays: string[];
};

/** Every input that is the control of a `.field` on the page, as the browser has it. */
const fieldsOf = (page: Page): Promise<FieldSeen[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>(".field")].flatMap((field) => {
      const input = field.querySelector<HTMLInputElement>(":scope > input");
      if (input === null) return [];
      const id = input.id;
      const describedBy = input.getAttribute("aria-describedby");
      const error = field.querySelector(`#${id}-error`);
      return [
        {
          id,
          label: field.querySelector(`label[for="${id}"]`)?.textContent ?? null,
          describedBy,
          invalid: input.getAttribute("aria-invalid"),
          hint: field.querySelector(`#${id}-hint`)?.textContent ?? null,
          error: error?.textContent ?? null,
          errorRole: error?.getAttribute("role") ?? null,
          strays: (describedBy ?? "")
            .split(" ")
            .filter((ref) => ref !== "" && field.querySelector(`#${ref}`) === null),
        },
      ];
    }),
  );

/** What the wiring must be for a field, given the hint and the error it shows. */
const expectWired = (f: FieldSeen) => {
  const refs = [f.hint !== null ? `${f.id}-hint` : null, f.error !== null ? `${f.id}-error` : null]
    .filter((x) => x !== null)
    .join(" ");
  expect({ id: f.id, describedBy: f.describedBy, invalid: f.invalid, strays: f.strays }).toEqual({
    id: f.id,
    describedBy: refs === "" ? null : refs,
    invalid: f.error !== null ? "true" : null,
    strays: [],
  });
  expect(f.label).not.toBeNull();
  if (f.error !== null) expect(f.errorRole).toBe("alert");
};

browserTest(
  "the rule form's fields name their hint and error, are invalid only with an error, and clear when corrected",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_admin", "/admin/rules");
    await page.getByRole("button", { name: "新增规则" }).click();
    await page.getByRole("radio", { name: "扣分" }).check();
    await page.getByLabel("每户每月上限").fill("0");
    await page.getByLabel("扣分后暂停兑换（个月）").fill("99");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("请填写编号（最多 20 个字符，不含空格）。").waitFor();

    const fields = await fieldsOf(page);
    const byId = new Map(fields.map((f) => [f.id, f]));
    expect([...byId.keys()]).toEqual(
      expect.arrayContaining([
        "rule-code",
        "rule-title",
        "rule-points",
        "rule-cap",
        "rule-suspend",
      ]),
    );
    for (const f of fields) expectWired(f);
    // Hint and error together, an error alone, and an optional label.
    expect(byId.get("rule-code")).toMatchObject({
      describedBy: "rule-code-hint rule-code-error",
      hint: "如 HJ-01，保存后不能修改。",
      error: "请填写编号（最多 20 个字符，不含空格）。",
      invalid: "true",
    });
    expect(byId.get("rule-title")!.describedBy).toBe("rule-title-error");
    expect(byId.get("rule-cap")!.label).toBe("每户每月上限 （选填）");
    expect(byId.get("rule-cap")!.describedBy).toBe("rule-cap-hint rule-cap-error");
    expect(byId.get("rule-suspend")!.label).toBe("扣分后暂停兑换（个月） （选填）");
    expect(byId.get("rule-suspend")!.invalid).toBe("true");
    await checkPage(page, "rule-form-errors-1280x800");

    // What is typed reaches the form: corrected values clear their errors on the next send.
    await page.getByLabel("编号").fill("XF-09");
    await page.getByLabel("内容").fill("参加防汛值守");
    await page.getByLabel("分值").fill("2");
    await page.getByLabel("每户每月上限").fill("");
    await page.getByLabel("扣分后暂停兑换（个月）").fill("3");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("已新增规则“参加防汛值守”。").waitFor();
    const rules = (await world.must("GET", `/api/villages/${world.villageA}/rules`)).items as {
      code: string;
      points: number;
      monthlyCap: number | null;
      suspendMonths: number | null;
    }[];
    expect(rules.find((r) => r.code === "XF-09")).toMatchObject({
      points: -2,
      monthlyCap: null,
      suspendMonths: 3,
    });
    await context.close();
  },
  60_000,
);

browserTest(
  "the goods form's fields, hint-only ones included, are wired to what they show",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", "/admin/goods");
    await page.getByRole("button", { name: "新增商品" }).click();
    await page.getByLabel("库存提醒线").fill("-1");
    await page.getByRole("button", { name: "保存" }).click();
    await page.locator(".field-error").first().waitFor();

    const fields = await fieldsOf(page);
    for (const f of fields) expectWired(f);
    const byId = new Map(fields.map((f) => [f.id, f]));
    expect(byId.get("goods-name")).toMatchObject({
      describedBy: "goods-name-error",
      invalid: "true",
    });
    expect(byId.get("goods-threshold")!.describedBy).toBe(
      "goods-threshold-hint goods-threshold-error",
    );
    // A hint and no error: described by the hint, not invalid.
    expect(byId.get("goods-category")).toMatchObject({
      label: "类别 （选填）",
      describedBy: "goods-category-hint",
      invalid: null,
      error: null,
    });
    expect(await page.locator("#goods-category").getAttribute("list")).toBe("goods-categories");
    expect(fields.filter((f) => f.error !== null).length).toBeGreaterThanOrEqual(2);
    await checkPage(page, "goods-form-errors-1280x800");
    await context.close();
  },
  60_000,
);

browserTest(
  "my account's password and PIN fields show their errors wired, and what is typed is what is saved",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_clerk", "/admin");
    await page.getByRole("button", { name: "我的账号" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.locator("#pw-old").fill(STAFF_PASSWORD);
    await dialog.getByLabel("新密码", { exact: true }).fill("short");
    await dialog.getByRole("button", { name: "修改密码" }).click();
    await dialog.locator("#pw-new-error").waitFor();
    await dialog.locator("#pin-new").fill("12a4");
    await dialog.getByRole("button", { name: "设置 PIN" }).click();
    await dialog.locator("#pin-new-error").waitFor();

    const fields = await fieldsOf(page);
    for (const f of fields) expectWired(f);
    const byId = new Map(fields.map((f) => [f.id, f]));
    expect(byId.get("pw-new")).toMatchObject({
      describedBy: "pw-new-hint pw-new-error",
      invalid: "true",
    });
    expect(byId.get("pw-old")).toMatchObject({ describedBy: null, invalid: null });
    expect(byId.get("pin-new")).toMatchObject({
      describedBy: "pin-new-error",
      error: "PIN 应为 4 到 6 位数字。",
      invalid: "true",
    });
    for (const id of ["pw-old", "pw-new", "pw-again", "pin-password", "pin-new", "pin-again"])
      expect(await page.locator(`#${id}`).getAttribute("type")).toBe("password");
    expect(await page.locator("#pin-new").getAttribute("inputmode")).toBe("numeric");
    expect(await page.locator("#pin-new").getAttribute("maxlength")).toBe("6");
    expect(await page.locator("#pw-new").getAttribute("autocomplete")).toBe("new-password");
    await checkPage(page, "my-account-errors-1280x800");

    // Corrected, both are saved with what was typed.
    await dialog.locator("#pin-password").fill(STAFF_PASSWORD);
    await dialog.locator("#pin-new").fill("2468");
    await dialog.locator("#pin-again").fill("2468");
    await dialog.getByRole("button", { name: "设置 PIN" }).click();
    await dialog.getByText("PIN 已设置。").waitFor();
    // The password form keeps its own error until it is sent again.
    expect(await dialog.locator("#pw-new-error").count()).toBe(1);
    const cookie = await world.cookieOf("dh_clerk");
    expect((await world.must("GET", "/api/me", undefined, cookie)).user.hasPin).toBe(true);
    const fresh = "a-new-password-456";
    await dialog.locator("#pw-new").fill(fresh);
    await dialog.locator("#pw-again").fill(fresh);
    await dialog.getByRole("button", { name: "修改密码" }).click();
    await dialog.getByText("密码已修改，其他设备已退出登录。").waitFor();
    expect(await world.server.login("dh_clerk", fresh)).toContain("=");
    await context.close();
  },
  60_000,
);

browserTest(
  "a household's PIN and a statement's withdrawal reason are typed into wired fields and saved as typed",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    const liu = world.households[1]!;
    await signIn(page, world, "dh_admin", `/admin/households/${liu.id}`);
    await page.getByRole("button", { name: "设置 PIN" }).click();
    await page.locator("#hhpin-new").fill("1357");
    await page.locator("#hhpin-again").fill("1358");
    await page.getByRole("button", { name: "保存户密码" }).click();
    await page.locator("#hhpin-again-error").waitFor();
    const fields = await fieldsOf(page);
    for (const f of fields) expectWired(f);
    const byId = new Map(fields.map((f) => [f.id, f]));
    expect(byId.get("hhpin-again")).toMatchObject({
      label: "再输一次",
      describedBy: "hhpin-again-error",
      error: "两次输入的不一样。",
      invalid: "true",
    });
    expect(byId.get("hhpin-new")).toMatchObject({ describedBy: null, invalid: null });
    await checkPage(page, "household-pin-errors-1280x800");
    await page.locator("#hhpin-again").fill("1357");
    await page.getByRole("button", { name: "保存户密码" }).click();
    await page.getByText("户密码已设置，请只告诉户主本人。").waitFor();
    expect((await world.must("GET", `/api/households/${liu.id}`)).hasPin).toBe(true);

    await page.getByRole("button", { name: "开具积分证明" }).click();
    await page.getByText(/已开具积分证明 JF-/).waitFor();
    const statements = page.locator("section[aria-labelledby='statements-title']");
    await statements.getByRole("button", { name: "撤回" }).first().click();
    await page.getByLabel("撤回原因").fill("写错了农户");
    await statements.locator("form").getByRole("button", { name: "撤回" }).click();
    await page.getByText(/已撤回，银行核对时会看到/).waitFor();
    const [withdrawn] = (await world.must("GET", `/api/households/${liu.id}/statements`)).items;
    expect(withdrawn.withdrawnReason).toBe("写错了农户");
    await context.close();
  },
  60_000,
);

browserTest(
  "the settings, a password reset and a new village show their errors wired and save what is typed",
  async () => {
    const context = await staffContext(browser);
    const page = await context.newPage();
    await signIn(page, world, "dh_admin", "/admin/settings");
    await page.getByLabel("每户每天最多兑换积分").fill("0");
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await page.locator("#set-limit-error").waitFor();
    let fields = await fieldsOf(page);
    for (const f of fields) expectWired(f);
    expect(fields.find((f) => f.id === "set-limit")).toMatchObject({
      label: "每户每天最多兑换积分 （选填）",
      describedBy: "set-limit-hint set-limit-error",
      error: "应为正整数，或留空。",
    });
    expect(await page.locator("#set-limit").getAttribute("class")).toBe("short");
    await checkPage(page, "settings-errors-1280x800");
    await page.getByLabel("每户每天最多兑换积分").fill("30");
    await page.getByLabel("1 星", { exact: true }).fill("60");
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await page.getByText("设置已保存。").waitFor();
    const { village } = await world.must("GET", `/api/villages/${world.villageA}`);
    expect(village.dailyRedeemLimitPoints).toBe(30);
    expect(village.starThresholds).toEqual([60, 100, 200, 300, 500]);

    await page.goto(`${world.server.url}/admin/users`);
    await page.getByRole("button", { name: "重置密码：王会计" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("新密码").fill("reset-password-789");
    await dialog.getByLabel("再输一次").fill("reset-password-780");
    await dialog.getByRole("button", { name: "重置密码" }).click();
    await dialog.locator("#reset-again-error").waitFor();
    fields = await fieldsOf(page);
    for (const f of fields) expectWired(f);
    expect(fields.find((f) => f.id === "reset-again")).toMatchObject({
      describedBy: "reset-again-error",
      error: "两次输入的密码不一样。",
    });
    await dialog.getByLabel("再输一次").fill("reset-password-789");
    await dialog.getByRole("button", { name: "重置密码" }).click();
    await page.getByText("已重置 王会计 的密码。").waitFor();
    expect(await world.server.login("dh_clerk", "reset-password-789")).toContain("=");
    await context.close();

    const township = await staffContext(browser);
    const tpage = await township.newPage();
    await signIn(tpage, world, "admin", "/admin/villages");
    await tpage.getByRole("button", { name: "新增村" }).click();
    const form = tpage.getByRole("dialog");
    await form.getByRole("button", { name: "保存" }).click();
    await form.locator("#village-name-error").waitFor();
    fields = await fieldsOf(tpage);
    for (const f of fields) expectWired(f);
    expect(fields.find((f) => f.id === "village-name")).toMatchObject({
      describedBy: "village-name-error",
      error: "请填写村名（最多 60 个字）。",
    });
    await form.getByLabel("村名").fill("南岗村");
    await form.getByLabel("代码").fill("NG");
    await form.getByRole("button", { name: "保存" }).click();
    await tpage.getByText("已新增 南岗村。").waitFor();
    const { items } = await world.must("GET", "/api/villages");
    expect(items.map((v: { code: string; name: string }) => `${v.code} ${v.name}`)).toContain(
      "NG 南岗村",
    );
    await township.close();
  },
  60_000,
);
