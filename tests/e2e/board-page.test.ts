/**
 * The public board page `/board/:villageId` (a screen in the village office): over HTTP, what it
 * shows and hides (masked names, the honest count of entries on notice, a friendly page for an
 * unknown village, a reload after whole turns of its panels); in real Chromium, that its panels
 * take turns by themselves, one at a time, and how it looks on a television, a tablet and a phone.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import {
  browserTest,
  chromiumAvailable,
  launchChromium,
  screenshotPath,
  VIEWPORTS,
} from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import {
  BOARD_NOTICE_PANELS_MAX,
  BOARD_NOTICE_ROWS,
  BOARD_PANEL_SECONDS,
  refreshSeconds,
} from "../../src/pages/board-page.ts";

const TV = { width: 1920, height: 1080 };
/** More entries on notice than the board's panels hold, so the rest must be counted. */
const ON_NOTICE = BOARD_NOTICE_ROWS * BOARD_NOTICE_PANELS_MAX + 5;

let server: TestServer;
let browser: Browser | undefined;
let villageId = "";

beforeAll(async () => {
  server = startTestServer();
  const cookie = await server.login("admin");
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as any;
  };
  villageId = (await send("POST", "/api/villages", { name: "东河村", code: "DH" })).village.id;
  const names = ["张建华", "李秀英", "王志强", "赵桂兰", "陈国平", "刘德明"];
  const households: string[] = [];
  for (const headName of names)
    households.push(
      (await send("POST", `/api/villages/${villageId}/households`, { headName })).household.id,
    );
  const rule = (
    await send("POST", `/api/villages/${villageId}/rules`, {
      code: "ENV-1",
      title: "门前三包保持整洁",
      category: "environment",
      points: 5,
    })
  ).rule;
  // Posted at once (no notice yet): the month's honour board.
  for (let i = 0; i < households.length; i++)
    await send("POST", "/api/entries/batch", {
      ruleId: rule.id,
      householdIds: households.slice(0, i + 1),
    });
  // Then three days of notice: these wait on the board.
  await send("PATCH", `/api/villages/${villageId}`, { noticeDays: 3 });
  const batch = Array.from({ length: ON_NOTICE }, (_, i) => households[i % households.length]!);
  for (let from = 0; from < batch.length; from += households.length)
    await send("POST", "/api/entries/batch", {
      ruleId: rule.id,
      householdIds: batch.slice(from, from + households.length),
    });
  if (chromiumAvailable) browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  server?.stop();
}, 15_000);

const page = (path: string) => fetch(`${server.url}${path}`);

test("shows the village, masked names, every panel and an honest count of what is on notice", async () => {
  const res = await page(`/board/${villageId}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/html");
  expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
  const html = await res.text();
  expect(html).toContain("东河村");
  expect(html).toContain("村务公开栏");
  // No script: an old television's browser shows it as well as a new one.
  expect(html).not.toContain("<script");
  expect(html).toContain("张*华");
  for (const name of ["张建华", "李秀英", "王志强"]) expect(html).not.toContain(name);
  // Panels of seven entries on notice, as many as the board holds; the rest are counted.
  const panels = html.match(/<section class="panel">/g)!.length;
  expect(html.match(/<h2>公示中/g)).toHaveLength(BOARD_NOTICE_PANELS_MAX);
  // Values are isolated in <bdi>: the words are read as text.
  const text = html.replace(/<bdi class="v">([^<]*)<\/bdi>/g, "$1");
  expect(text).toContain(`共 ${ON_NOTICE} 条`);
  expect(text).toContain(`另有 ${ON_NOTICE - BOARD_NOTICE_ROWS * BOARD_NOTICE_PANELS_MAX} 条公示`);
  for (const title of ["红榜", "积分超市账目", "超市月末对账（已签字）", "本月积分", "账本指纹"])
    expect(html).toContain(title);
  expect(html).not.toContain("本月黑榜");
  expect(panels).toBe(BOARD_NOTICE_PANELS_MAX + 4);
  // It reloads itself after whole turns of its panels, so the reload always starts at the first.
  const refresh = Number(res.headers.get("refresh"));
  expect(refresh).toBe(refreshSeconds(panels));
  expect(refresh % (panels * BOARD_PANEL_SECONDS)).toBe(0);
  expect(refresh).toBeGreaterThanOrEqual(60);
});

test("the board's JSON counts every entry on notice, not only the ones it lists", async () => {
  const res = await page(`/api/public/villages/${villageId}/board`);
  const board = (await res.json()) as { inNotice: unknown[]; inNoticeTotal: number };
  expect(board.inNoticeTotal).toBe(ON_NOTICE);
  expect(board.inNotice.length).toBeLessThanOrEqual(board.inNoticeTotal);
});

test("shows the bottom list on a panel of its own only where the village asks for it", async () => {
  const cookie = await server.login("admin");
  await fetch(`${server.url}/api/villages/${villageId}`, {
    method: "PATCH",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ showBottomList: true }),
  });
  try {
    const html = await (await page(`/board/${villageId}`)).text();
    expect(html).toContain("本月黑榜");
  } finally {
    await fetch(`${server.url}/api/villages/${villageId}`, {
      method: "PATCH",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ showBottomList: false }),
    });
  }
});

test.each(["/board/999999", "/board/abc", "/board/0", "/board/1%27%3B--"])(
  "an unknown village (%s) is a friendly 404 page, not an error dump",
  async (path) => {
    const res = await page(path);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("找不到这个村的公开栏");
  },
);

test("a panel held still never reloads: someone reading it is not interrupted", async () => {
  const res = await page(`/board/${villageId}?panel=2`);
  expect(res.status).toBe(200);
  expect(res.headers.get("refresh")).toBeNull();
  expect(await res.text()).not.toContain('http-equiv="refresh"');
});

test("a bad panel number is ignored: the board takes turns as usual", async () => {
  for (const query of ["?panel=abc", "?panel=0", "?panel=99999", "?other=1"]) {
    const res = await page(`/board/${villageId}${query}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("@keyframes board-turn");
    expect(Number(res.headers.get("refresh"))).toBeGreaterThanOrEqual(60);
  }
});

/** Which panels are showing now, by their computed opacity. */
async function visiblePanels(p: Page): Promise<number[]> {
  return p
    .locator(".panel")
    .evaluateAll((els) =>
      els.flatMap((el, i) =>
        Number(getComputedStyle(el).opacity) > 0.5 && getComputedStyle(el).visibility === "visible"
          ? [i + 1]
          : [],
      ),
    );
}

browserTest(
  "the panels take turns by themselves, one at a time",
  async () => {
    const p = await browser!.newPage({ viewport: TV, locale: "zh-CN" });
    await p.goto(`${server.url}/board/${villageId}`);
    const count = await p.locator(".panel").count();
    expect(await visiblePanels(p)).toEqual([1]);
    // Move the page's own CSS animations on in time (the page itself runs no script).
    const at = (seconds: number) =>
      p.evaluate((ms) => {
        for (const a of document.getAnimations()) {
          a.pause();
          a.currentTime = ms;
        }
      }, seconds * 1000);
    for (let i = 0; i < count; i++) {
      await at(i * BOARD_PANEL_SECONDS + BOARD_PANEL_SECONDS / 2);
      expect(await visiblePanels(p)).toEqual([i + 1]);
    }
    await at(count * BOARD_PANEL_SECONDS + 1);
    expect(await visiblePanels(p)).toEqual([1]);
    await p.close();
  },
  20_000,
);

browserTest(
  "looks right on a television, a tablet and a phone",
  async () => {
    const p = await browser!.newPage({ viewport: TV, locale: "zh-CN" });
    const shots: [string, number][] = [
      ["notice", 1],
      ["honour", BOARD_NOTICE_PANELS_MAX + 1],
      ["market", BOARD_NOTICE_PANELS_MAX + 2],
      ["signed", BOARD_NOTICE_PANELS_MAX + 3],
      ["totals", BOARD_NOTICE_PANELS_MAX + 4],
    ];
    for (const [size, viewport] of [
      ["tv", TV],
      ["tablet", VIEWPORTS.tabletLandscape],
      ["phone", VIEWPORTS.phone],
    ] as const) {
      await p.setViewportSize(viewport);
      for (const [name, panel] of shots) {
        await p.goto(`${server.url}/board/${villageId}?panel=${panel}`);
        expect(await visiblePanels(p)).toEqual([panel]);
        // Nothing of the shown panel is cut off: its content fits inside it.
        const fits = await p
          .locator(".panel")
          .nth(panel - 1)
          .evaluate(
            (el) => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1,
          );
        await p.screenshot({ path: screenshotPath(`board-${name}-${size}`) });
        expect({ size, name, fits }).toEqual({ size, name, fits: true });
      }
    }
    await p.close();
  },
  30_000,
);
