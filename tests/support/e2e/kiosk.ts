/**
 * Shared set-up for the kiosk's end-to-end tests: a real server with a village, households with
 * cards and points, a clerk and a paired kiosk device; a fake-camera .y4m of a card's QR; axe-core;
 * screenshots at both tablet orientations.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import QRCode from "qrcode";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { screenshotPath, VIEWPORTS } from "../browser.ts";
import { startTestServer, type TestServer } from "../server.ts";

export const CLERK = { username: "clerk1", password: "clerk-password-123" };

export type Card = { id: string; token: string; url: string; number: string };
export type Household = { id: string; headName: string; card: Card };

export type KioskWorld = {
  server: TestServer;
  cookie: string;
  villageId: string;
  kiosk: { id: string; token: string };
  households: Household[];
  api: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; body: any }>;
  award: (householdId: string, points: number) => Promise<void>;
  balanceOf: (householdId: string) => Promise<number>;
};

/** A server with one village, a clerk, a kiosk device and households (name → points awarded). */
export async function startKioskWorld(people: Record<string, number>): Promise<KioskWorld> {
  const server = startTestServer();
  const cookie = await server.login("admin");
  const api: KioskWorld["api"] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === "" ? null : JSON.parse(text) };
  };
  const must = async (method: string, path: string, body?: unknown) => {
    const r = await api(method, path, body);
    if (r.status >= 300)
      throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const villageId: string = (await must("POST", "/api/villages", { name: "东河村", code: "DH" }))
    .village.id;
  await must("POST", "/api/users", { ...CLERK, role: "clerk", villageId });
  const kiosk = await must("POST", `/api/villages/${villageId}/kiosks`, { name: "超市一号机" });

  // Points arrive as they do in the village: a rule, and an award recorded under it (the village
  // has no notice period and no approval step by default, so the entry posts at once).
  const rules = new Map<number, string>();
  const award = async (householdId: string, points: number) => {
    let ruleId = rules.get(points);
    if (ruleId === undefined) {
      ruleId = (
        await must("POST", `/api/villages/${villageId}/rules`, {
          code: `T${points}`,
          title: `测试加分 ${points}`,
          category: "测试",
          points,
        })
      ).rule.id as string;
      rules.set(points, ruleId);
    }
    const entry = (await must("POST", "/api/entries", { householdId, ruleId })).entry;
    if (entry.status !== "posted") throw new Error(`award not posted: ${entry.status}`);
  };
  const households: Household[] = [];
  for (const [headName, points] of Object.entries(people)) {
    const h = (await must("POST", `/api/villages/${villageId}/households`, { headName })).household;
    const card = await must("POST", `/api/households/${h.id}/cards`);
    if (points !== 0) await award(h.id, points);
    households.push({
      id: h.id,
      headName,
      card: { id: card.id, token: card.token, url: card.url, number: card.number },
    });
  }
  const balanceOf = async (householdId: string) =>
    (await must("GET", `/api/households/${householdId}`)).balance as number;
  return {
    server,
    cookie,
    villageId,
    kiosk: { id: kiosk.id, token: kiosk.token },
    households,
    api,
    award,
    balanceOf,
  };
}

/** A context for the kiosk: tablet size, Chinese, touch, and CSP bypassed so axe can be injected. */
export async function kioskContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: VIEWPORTS.tabletLandscape,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    hasTouch: true,
    bypassCSP: true,
    ...options,
  });
}

/** Opens the kiosk paired with `token` and waits for the attract screen. */
export async function openPaired(context: BrowserContext, world: KioskWorld): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${world.server.url}/kiosk?pair=${world.kiosk.token}`);
  await page.locator(".attract-screen").waitFor({ timeout: 10_000 });
  return page;
}

/**
 * A keyboard-wedge scanner: the code typed in a burst (8 ms a key), then Enter, as real keystrokes
 * through the browser. Returns the largest gap between two keydowns as the page saw them. On 2
 * busy cores a CDP round trip can stall past the kiosk's 50 ms limit, which the kiosk rightly takes
 * for a person typing; such a burst was not a scanner's, so it is typed again once, and if that
 * stalls too the burst is dispatched inside the page, key after key in one task (what a scanner's
 * hardware does and a loaded harness cannot), said so on stderr. Slow typing (`delay` ≥ 50) is
 * never retried.
 */
export async function wedgeScan(page: Page, text: string, delay = 8): Promise<number> {
  await settle(page);
  await page.evaluate(() => {
    const w = window as unknown as { __keyTimes?: number[] };
    if (w.__keyTimes === undefined)
      window.addEventListener("keydown", (e) => w.__keyTimes!.push(e.timeStamp), true);
    w.__keyTimes = [];
  });
  const maxGap = async (): Promise<number> => {
    const times: number[] = await page.evaluate(
      () => (window as unknown as { __keyTimes: number[] }).__keyTimes,
    );
    return Math.max(...times.slice(1).map((t, i) => t - times[i]!));
  };
  for (let attempt = 1; attempt <= 2; attempt++) {
    await page.evaluate(() => ((window as unknown as { __keyTimes: number[] }).__keyTimes = []));
    await page.keyboard.type(text, { delay });
    await page.keyboard.press("Enter");
    const gap = await maxGap();
    if (delay >= 50 || gap < 50) return gap;
    console.warn(
      `wedgeScan: a ${Math.round(gap)} ms stall between keys (harness, not scanner); ${attempt === 1 ? "typing the burst again" : "dispatching it inside the page"}`,
    );
  }
  await page.evaluate((code) => {
    (window as unknown as { __keyTimes: number[] }).__keyTimes = [];
    const target = document.activeElement ?? document.body;
    const press = (key: string) =>
      target.dispatchEvent(
        new KeyboardEvent("keydown", {
          key,
          code: key === "Enter" ? "Enter" : "",
          bubbles: true,
          cancelable: true,
        }),
      );
    for (const ch of code) press(ch);
    press("Enter");
  }, text);
  return maxGap();
}

export { seriousViolations, type AxeViolation } from "../axe.ts";

/** Screenshots of the page at 1280×800 and 800×1280, then back to landscape. */
export async function shootBoth(page: Page, name: string): Promise<void> {
  await page.setViewportSize(VIEWPORTS.tabletLandscape);
  await settle(page);
  await page.screenshot({ path: screenshotPath(`kiosk-${name}-landscape`) });
  await page.setViewportSize(VIEWPORTS.tabletPortrait);
  await settle(page);
  await page.screenshot({ path: screenshotPath(`kiosk-${name}-portrait`) });
  await page.setViewportSize(VIEWPORTS.tabletLandscape);
}

/** Waits for fonts and one frame, so a screenshot shows the laid-out page. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
}

/**
 * A fake-camera clip for Chromium's `--use-file-for-fake-video-capture`: 640×480 greyscale frames
 * of the QR code of `text`, in the .y4m format (kiosk.md). Written to a temp dir, never committed.
 */
export function writeQrY4m(text: string, frames = 4): string {
  const W = 640;
  const H = 480;
  const qr = QRCode.create(text, { errorCorrectionLevel: "Q" });
  const size = qr.modules.size;
  const quiet = 4;
  const scale = Math.floor(400 / (size + 2 * quiet));
  const side = (size + 2 * quiet) * scale;
  const x0 = Math.floor((W - side) / 2);
  const y0 = Math.floor((H - side) / 2);
  const y = new Uint8Array(W * H).fill(200); // a grey "table" around a white card
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const mr = Math.floor(r / scale) - quiet;
      const mc = Math.floor(c / scale) - quiet;
      const dark = mr >= 0 && mc >= 0 && mr < size && mc < size && qr.modules.get(mr, mc);
      y[(y0 + r) * W + x0 + c] = dark ? 16 : 235;
    }
  }
  const chroma = new Uint8Array((W / 2) * (H / 2) * 2).fill(128);
  const header = new TextEncoder().encode(`YUV4MPEG2 W${W} H${H} F15:1 Ip A1:1 C420jpeg\n`);
  const frame = concatBytes([new TextEncoder().encode("FRAME\n"), y, chroma]);
  const dir = mkdtempSync(join(tmpdir(), "jifen-cam-"));
  const file = join(dir, "card.y4m");
  writeFileSync(file, concatBytes([header, ...Array.from({ length: frames }, () => frame)]));
  return file;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
