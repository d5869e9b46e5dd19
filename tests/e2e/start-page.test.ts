/**
 * The start page at `/` and the docs it links. Over HTTP: a production server's page links every
 * part and lists no password or pairing link; the docs are served as pages and nothing else under
 * /docs is. In real Chromium, on demos built for three days of a month (the 1st, the 4th, the
 * 28th, each served on a clock at the demo's present): the page's links are walked one by one,
 * and the boards show entries on notice, this month's honour board and this month's points, the
 * card page shows entries on notice, the kiosk's "no card?" button opens the number pad, the
 * staff links point at the staff pages and the card sheet (marked as needing sign-in, it refuses
 * a browser without a session), and every doc opens. Screenshots at 1366×768 and 390×844; axe on the page.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "bun:sqlite";
import type { Browser, Page } from "playwright-core";
import {
  browserTest,
  chromiumAvailable,
  launchChromium,
  screenshotPath,
} from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { seriousViolations } from "../support/axe.ts";
import { ADMIN_PASSWORD } from "../support/harness.ts";
import { buildDemoDatabase } from "../../src/demo/build.ts";
import { demoShowcase } from "../../src/demo/showcase.ts";
import { openDatabase } from "../../src/db/open.ts";
import { createApp } from "../../src/http/app.ts";
import { HOUR_MS, type Clock } from "../../src/shared/clock.ts";
import { shanghaiDayStartMs } from "../../src/shared/calendar.ts";

const T_MS = 60_000;
const DEMO_DAYS = ["2026-12-01", "2026-12-04", "2026-12-28"] as const;
/** DEMO_TODAY's hour. */
const DEMO_TIME_MS = 15 * HOUR_MS;
const WIDE = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

type DemoServer = { url: string; stop: () => void };

/** A demo built for `day` through the real use cases (20 households a village), served on a clock running from its present. */
async function startDemoServer(dir: string, day: string): Promise<DemoServer> {
  const nowMs = shanghaiDayStartMs(day) + DEMO_TIME_MS;
  const path = join(dir, `${day}.db`);
  const summary = await buildDemoDatabase(path, {
    seed: 20261123,
    nowMs,
    publicUrl: "http://demo.test",
    log: () => {},
    householdsPerVillage: 20,
  });
  const db: Database = openDatabase(path);
  const startedMs = Date.now();
  const clock: Clock = { nowMs: () => nowMs + (Date.now() - startedMs) };
  let app: ReturnType<typeof createApp> | null = null;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req, srv) => app!.fetch(req, srv),
  });
  const url = `http://127.0.0.1:${server.port}`;
  app = createApp(db, clock, {
    publicUrl: url,
    log: null,
    validateResponses: true,
    demo: demoShowcase(summary),
  });
  return { url, stop: () => (server.stop(true), db.close()) };
}

let production: TestServer;
let villageId = "";
let dir = "";
const demos = new Map<string, DemoServer>();
let browser: Browser | undefined;

beforeAll(async () => {
  production = startTestServer();
  const cookie = await production.login("admin");
  const res = await fetch(`${production.url}/api/villages`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: "东河村", code: "DH" }),
  });
  villageId = ((await res.json()) as { village: { id: string } }).village.id;
  if (!chromiumAvailable) return;
  dir = mkdtempSync(join(tmpdir(), "jifen-start-"));
  for (const day of DEMO_DAYS) demos.set(day, await startDemoServer(dir, day));
  browser = await launchChromium();
}, T_MS);
afterAll(async () => {
  await browser?.close();
  for (const d of demos.values()) d.stop();
  production?.stop();
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
}, T_MS);

test("a production server's start page links every part of jifen and lists no password", async () => {
  const res = await fetch(`${production.url}/`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/html");
  expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
  const html = await res.text();
  expect(html).toContain('<html lang="zh-CN">');
  for (const href of [
    "/kiosk",
    "/admin",
    "/admin/login",
    `/board/${villageId}`,
    "/docs/domain.md",
    "/docs/api.md",
    "/api/docs",
  ])
    expect(html).toContain(`href="${href}"`);
  expect(html).toContain("东河村");
  expect(html).not.toContain("<script");
  for (const secret of [ADMIN_PASSWORD, "密码都是", "pair=", "/c/", "/cards/print"])
    expect(html).not.toContain(secret);
  // English where the browser asks for it.
  expect(
    await (
      await fetch(`${production.url}/`, { headers: { "accept-language": "en-GB,en;q=0.9" } })
    ).text(),
  ).toContain("Open the staff pages");
});

test("the docs are served as pages; nothing else under /docs is", async () => {
  for (const path of [
    "/docs/",
    "/docs/domain.md",
    "/docs/api.md",
    "/docs/admin.md",
    "/docs/kiosk.md",
    "/docs/operations.md",
    "/docs/style.md",
  ]) {
    const res = await fetch(`${production.url}${path}`);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    expect(await res.text()).toMatch(/<h1>.+?<\/h1>/);
  }
  expect(
    (await fetch(`${production.url}/docs`, { redirect: "manual" })).headers.get("location"),
  ).toBe("/docs/");
  for (const path of ["/docs/nothing.md", "/docs/..%2Fpackage.json", "/docs/README.txt"])
    expect({ path, status: (await fetch(`${production.url}${path}`)).status }).toEqual({
      path,
      status: 404,
    });
});

/** The start page's links in one section, as absolute addresses. */
async function linksIn(page: Page, selector: string): Promise<string[]> {
  return page
    .locator(`${selector} a[href]`)
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
}

/** What a board shows, counted from its panels (the panels take turns, but all are in the page). */
async function boardFigures(
  page: Page,
): Promise<{ notice: number; honour: number; awarded: number }> {
  const panelRows = (title: string) =>
    page
      .locator(".panel", { has: page.locator("h2", { hasText: title }) })
      .locator("tbody tr")
      .count();
  const awarded = Number(await page.locator(".panel .figure .value.plus").first().innerText());
  return { notice: await panelRows("公示中"), honour: await panelRows("红榜"), awarded };
}

for (const day of DEMO_DAYS) {
  browserTest(
    `on a demo built for ${day}, the start page's links lead to a board with notices, an honour board and this month's points`,
    async () => {
      const demo = demos.get(day)!;
      // CSP bypassed so that axe can be injected.
      const context = await browser!.newContext({
        viewport: WIDE,
        locale: "zh-CN",
        timezoneId: "Asia/Shanghai",
        hasTouch: true,
        bypassCSP: true,
      });
      const page = await context.newPage();
      await page.goto(`${demo.url}/`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await expect(page.locator(".badge").innerText()).resolves.toBe("演示");
      // The township's month at a glance, before any link is followed.
      const glance = async (label: string) =>
        Number(
          (
            await page.locator(".figure", { hasText: label }).locator(".value").innerText()
          ).replaceAll(",", ""),
        );
      expect(await glance("公示中")).toBeGreaterThan(0);
      expect(await glance("本月加分")).toBeGreaterThan(0);
      if (day === DEMO_DAYS[0]) {
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: screenshotPath("start-page-1366x768"), fullPage: true });
        await page.setViewportSize(PHONE);
        await page.screenshot({ path: screenshotPath("start-page-390x844") });
        await page.setViewportSize(WIDE);
      }

      const tiles = await linksIn(page, ".tiles");
      const villages = await linksIn(page, ".villages");
      const staff = await linksIn(page, ".staff-links");
      const docs = await linksIn(page, ".docs");
      expect(tiles.map((u) => new URL(u).pathname)).toEqual([
        "/kiosk",
        expect.stringMatching(/^\/c\//),
        "/board/1",
        "/admin",
      ]);
      // The logins are on the page, with the one password.
      await expect(page.locator(".logins caption").innerText()).resolves.toContain(
        "demo-password-2026",
      );
      expect(await page.locator(".logins tbody tr").count()).toBe(7);

      // Every board the page links; between them they show everything.
      const boards = [];
      for (const url of villages.filter((u) => u.includes("/board/"))) {
        await page.goto(url);
        boards.push(await boardFigures(page));
      }
      expect(boards).toHaveLength(3);
      expect(boards.some((b) => b.notice > 0)).toBe(true);
      expect(boards.some((b) => b.honour >= 5)).toBe(true);
      expect(boards.some((b) => b.awarded > 0)).toBe(true);
      if (day === "2026-12-28") for (const b of boards) expect(b.honour).toBeGreaterThan(0);

      // The resident card page: the village's entries on notice, with the objection form.
      await page.goto(tiles[1]!);
      await page.getByText("公示中").first().waitFor();
      expect(await page.getByText("目前没有公示中的记录").count()).toBe(0);

      // The kiosk, paired by the link; its hint opens the number pad.
      await page.goto(tiles[0]!);
      await page.locator(".attract-screen").waitFor({ timeout: 15_000 });
      const hint = page.getByRole("button", { name: "没带卡或卡看不清？点这里输入卡号" });
      expect((await hint.boundingBox())!.height).toBeGreaterThanOrEqual(80);
      await hint.tap();
      await page.getByRole("heading", { name: "请输入卡号" }).waitFor({ timeout: 5000 });
      await page.evaluate(() => localStorage.clear());

      // Staff: the staff pages (their own tests are tests/e2e/admin-*.test.ts) and the card sheet,
      // marked as needing sign-in, which refuses a browser without a session.
      expect(staff.map((u) => new URL(u).pathname)).toEqual([
        "/admin",
        "/admin/login",
        "/api/villages/1/cards/print",
      ]);
      const sheet = await fetch(staff[2]!, {
        headers: { accept: "text/html" },
        redirect: "manual",
      });
      expect([401, 302, 303]).toContain(sheet.status);
      if (sheet.status !== 401) expect(sheet.headers.get("location")).toStartWith("/admin/login");

      // Every doc it links opens.
      expect(docs).toHaveLength(7);
      for (const url of docs)
        expect({ url, status: (await fetch(url)).status }).toEqual({ url, status: 200 });
      await context.close();
    },
    T_MS,
  );
}

test("the start page says which of its staff links needs sign-in", async () => {
  if (!chromiumAvailable) return;
  const html = await (await fetch(`${demos.get(DEMO_DAYS[0])!.url}/`)).text();
  expect(html).toMatch(
    /<a href="\/api\/villages\/1\/cards\/print">积分卡打印页<\/a><span class="tag">需登录<\/span>/,
  );
  expect(html).toMatch(/<a href="\/admin">工作台<\/a><span>用下面任一账号登录<\/span>/);
});
