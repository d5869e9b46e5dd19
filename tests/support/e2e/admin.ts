/**
 * Shared set-up for the staff pages' end-to-end tests: a real server with two villages (东河村
 * and 柳湾村), each with a village admin and a clerk, rules, households with members, door
 * plates and cards; signing in through the real form; reading results back through the API.
 */
import { expect } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { screenshotPath } from "../browser.ts";
import { seriousViolations } from "../axe.ts";
import { startTestServer, type TestServer } from "../server.ts";
import type { Clock } from "../../../src/shared/clock.ts";
import { settle } from "./kiosk.ts";

export const STAFF_PASSWORD = "staff-password-123";

export type Seeded = {
  id: string;
  headName: string;
  address: string;
  cardId: string | null;
  cardNumber: string | null;
  cardUrl: string | null;
};

export type StaffWorld = {
  server: TestServer;
  adminCookie: string;
  villageA: string;
  villageB: string;
  rules: { capped: string; volunteer: string; clean: string; litter: string };
  households: Seeded[];
  householdB: Seeded;
  api: (
    method: string,
    path: string,
    body?: unknown,
    cookie?: string,
  ) => Promise<{ status: number; body: any }>;
  must: (method: string, path: string, body?: unknown, cookie?: string) => Promise<any>;
  cookieOf: (username: string) => Promise<string>;
};

/** People of 东河村: name, door plate, members; the first four get cards. */
const PEOPLE: [string, string, string[]][] = [
  ["张建华", "东河村3组27号", ["李秀英", "张浩宇"]],
  ["刘德明", "东河村1组5号", ["刘小红"]],
  ["陈国庆", "东河村2组8号", []],
  ["王桂兰", "东河村2组11号", ["周明"]],
  ["赵永福", "东河村4组3号", []],
  ["孙丽", "东河村4组9号", []],
  ["张伟", "东河村1组14号", []],
  ["张伟", "东河村5组2号", []],
];

export async function startStaffWorld(
  options: { requireApproval?: boolean; noticeDays?: number; clock?: Clock } = {},
): Promise<StaffWorld> {
  const server = startTestServer(options.clock ? { clock: options.clock } : {});
  const adminCookie = await server.login("admin");
  const api: StaffWorld["api"] = async (method, path, body, cookie = adminCookie) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === "" ? null : JSON.parse(text) };
  };
  const must: StaffWorld["must"] = async (method, path, body, cookie) => {
    const r = await api(method, path, body, cookie);
    if (r.status >= 300)
      throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const villageA: string = (await must("POST", "/api/villages", { name: "东河村", code: "DH" }))
    .village.id;
  const villageB: string = (await must("POST", "/api/villages", { name: "柳湾村", code: "LW" }))
    .village.id;
  for (const [v, p] of [
    [villageA, "dh"],
    [villageB, "lw"],
  ] as const) {
    await must("POST", "/api/users", {
      username: `${p}_admin`,
      password: STAFF_PASSWORD,
      role: "village_admin",
      villageId: v,
      displayName: p === "dh" ? "孙主任" : "李主任",
    });
    await must("POST", "/api/users", {
      username: `${p}_clerk`,
      password: STAFF_PASSWORD,
      role: "clerk",
      villageId: v,
      displayName: p === "dh" ? "王会计" : "周会计",
    });
  }
  if (options.requireApproval !== undefined || options.noticeDays !== undefined) {
    await must("PATCH", `/api/villages/${villageA}`, {
      requireApproval: options.requireApproval ?? false,
      noticeDays: options.noticeDays ?? 0,
    });
  }
  const rule = async (
    code: string,
    title: string,
    category: string,
    points: number,
    monthlyCap?: number,
  ) =>
    (
      await must("POST", `/api/villages/${villageA}/rules`, {
        code,
        title,
        category,
        points,
        monthlyCap,
      })
    ).rule.id as string;
  const rules = {
    capped: await rule("HJ-02", "门前三包", "environment", 5, 5),
    volunteer: await rule("ZY-01", "参加志愿服务", "volunteer", 5),
    clean: await rule("HJ-01", "庭院整洁", "environment", 3),
    litter: await rule("HJ-09", "乱倒垃圾", "environment", -5),
  };
  const households: Seeded[] = [];
  for (const [i, [headName, address, members]] of PEOPLE.entries()) {
    const h = (
      await must("POST", `/api/villages/${villageA}/households`, {
        headName,
        address,
        members: members.map((name) => ({ name, relation: "other" })),
      })
    ).household;
    const card = i < 4 ? await must("POST", `/api/households/${h.id}/cards`) : null;
    households.push({
      id: h.id,
      headName,
      address,
      cardId: card?.id ?? null,
      cardNumber: card?.number ?? null,
      cardUrl: card?.url ?? null,
    });
  }
  const hb = (
    await must("POST", `/api/villages/${villageB}/households`, {
      headName: "马秀兰",
      address: "柳湾村1组1号",
    })
  ).household;
  const householdB: Seeded = {
    id: hb.id,
    headName: "马秀兰",
    address: "柳湾村1组1号",
    cardId: null,
    cardNumber: null,
    cardUrl: null,
  };
  const cookieOf = (username: string) => server.login(username, STAFF_PASSWORD);
  return {
    server,
    adminCookie,
    villageA,
    villageB,
    rules,
    households,
    householdB,
    api,
    must,
    cookieOf,
  };
}

/** A fresh browser context at a computer's size, in Chinese, with the CSP bypassed for axe. */
export async function staffContext(
  browser: Browser,
  viewport = { width: 1366, height: 768 },
): Promise<BrowserContext> {
  return browser.newContext({
    viewport,
    locale: "zh-CN",
    bypassCSP: true,
    timezoneId: "Asia/Shanghai",
  });
}

/** Signs in through the real form and waits for the page it leads to. */
export async function signIn(
  page: Page,
  world: StaffWorld,
  username: string,
  path = "/admin",
): Promise<void> {
  await page.goto(`${world.server.url}${path}`);
  await page.getByLabel("用户名").fill(username);
  await page
    .getByLabel("密码")
    .fill(username === "admin" ? "admin-password-for-tests" : STAFF_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  // Back where it was asked for, and still there once the page has settled.
  const want = path.split("?")[0]!;
  await page.waitForURL((u) => u.pathname === want);
  await page.locator("main h1").first().waitFor();
  await page.waitForLoadState("networkidle");
  if (new URL(page.url()).pathname !== want)
    throw new Error(`signed in at ${page.url()}, not ${want}`);
}

/** axe-core finds nothing serious, and a screenshot is kept under tests/e2e/screenshots/. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await settle(page);
  const violations = await seriousViolations(page);
  expect({ page: name, violations }).toEqual({ page: name, violations: [] });
  await page.screenshot({ path: screenshotPath(`admin-${name}`), fullPage: true });
}

/** Nothing on the page is wider than the window (no sideways scrolling of the whole page). */
export async function overflowingWidth(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}
