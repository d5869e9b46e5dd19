/**
 * The A4 card sheet in real Chromium: its QR codes decode back to the card URLs (read with the
 * same zxing decoder the kiosk uses), it lays out 10 cards to a page, and a screenshot is kept.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { readFileSync } from "node:fs";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";
import { chromiumAvailable, launchChromium, screenshotPath } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let browser: Browser;
let cookie = "";
let villageId = "";
const urls: string[] = [];

beforeAll(async () => {
  if (!chromiumAvailable) return;
  server = startTestServer();
  cookie = await server.login("admin");
  const post = async (path: string, body?: unknown) =>
    (await (
      await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).json()) as any;
  villageId = (await post("/api/villages", { name: "东河村", code: "DH" })).village.id;
  for (const name of [
    "张建华",
    "李秀英",
    "王德明",
    "赵桂兰",
    "刘芳",
    "陈国强",
    "杨丽",
    "黄海",
    "周敏",
    "吴刚",
    "徐静",
    "孙伟",
  ]) {
    const household = (await post(`/api/villages/${villageId}/households`, { headName: name }))
      .household;
    urls.push((await post(`/api/households/${household.id}/cards`)).url);
  }
  // The decoder's .wasm comes from node_modules, never from a CDN.
  prepareZXingModule({
    overrides: {
      wasmBinary: readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm"))
        .buffer as ArrayBuffer,
    },
    fireImmediately: true,
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  server?.stop();
});

test.skipIf(!chromiumAvailable)(
  "prints 10 cards to an A4 page and every QR decodes to its card URL",
  async () => {
    const context = await browser.newContext({
      viewport: { width: 900, height: 1200 },
      extraHTTPHeaders: { cookie },
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/api/villages/${villageId}/cards/print`);
    expect(await page.locator(".card").count()).toBe(12);
    await page.screenshot({ path: screenshotPath("card-sheet"), fullPage: true });
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBe(2);
    const first = page.locator(".card .qr").first();
    const png = await first.screenshot();
    const results = await readBarcodes(new Blob([png]), { formats: ["QRCode"] });
    expect(results[0]?.text).toBe(urls[0]);
    await context.close();
  },
);
