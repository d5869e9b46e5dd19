/**
 * The supermarket's month-end accounts in real Chromium: a month with goods taken in from a donor
 * and the government's fund, sold and written off; the page shows each good's month by source;
 * the clerk signs, the same person cannot sign twice, the village admin signs, and the month is
 * frozen (what the API answers is the stored snapshot from then on).
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser } from "playwright-core";
import { ManualClock, DAY_MS } from "../../src/shared/clock.ts";
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
let month = "";
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  if (!chromiumAvailable) return;
  // Last month (in China), mid-month: the goods come in and go out then.
  const now = Date.now();
  const china = new Date(now + 8 * 3600_000);
  const firstOfThisMonth = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), 1) - 8 * 3600_000;
  clock.set(firstOfThisMonth - 14 * DAY_MS);
  month = new Date(clock.nowMs() + 8 * 3600_000).toISOString().slice(0, 7);
  world = await startStaffWorld({ clock });
  const rice = (
    await world.must("POST", `/api/villages/${world.villageA}/goods`, {
      name: "大米 5kg",
      pricePoints: 5,
    })
  ).goods;
  await world.must("POST", `/api/goods/${rice.id}/stock`, {
    delta: 20,
    source: "donation",
    donor: "青石镇供销社",
  });
  await world.must("POST", `/api/goods/${rice.id}/stock`, { delta: 10, source: "government" });
  await world.must("POST", `/api/goods/${rice.id}/stock`, { delta: -2, reason: "受潮" });
  // Back to today: last month has ended and can be signed.
  clock.set(now);
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  world?.server.stop();
}, 15_000);

browserTest(
  "the month is signed by the clerk and the village admin and then frozen",
  async () => {
    const clerkCtx = await staffContext(browser);
    const page = await clerkCtx.newPage();
    await signIn(page, world, "dh_clerk", `/admin/accounts?month=${month}`);
    const row = page.locator("tbody tr", { hasText: "大米 5kg" });
    await row.waitFor();
    const cells = await row.locator("td").allTextContents();
    // opening, donation, government, village, other, sold, voided, written off, counted, closing
    expect(cells.map((c) => c.trim())).toEqual(["0", "20", "10", "", "", "", "", "2", "", "28"]);
    await expect(row.textContent()).resolves.toContain("青石镇供销社");
    await page.getByRole("button", { name: "核对无误，签字" }).click();
    await page.getByText("已签字，等另一位签字。").waitFor();
    await expect(page.getByRole("button", { name: "核对无误，签字" }).count()).resolves.toBe(0);
    // The API refuses a second signature by the same person.
    const again = await world.api(
      "POST",
      `/api/villages/${world.villageA}/market/statements/${month}/sign`,
      undefined,
      await world.cookieOf("dh_clerk"),
    );
    expect(again.status).toBe(409);
    await checkPage(page, "accounts-signed-once-1366x768");
    await clerkCtx.close();

    const adminCtx = await staffContext(browser);
    const adminPage = await adminCtx.newPage();
    await signIn(adminPage, world, "dh_admin", `/admin/accounts?month=${month}`);
    await adminPage.getByRole("button", { name: "核对无误，签字" }).click();
    await adminPage.getByText("两人都已签字，本月对账单已锁定。").waitFor();
    await adminPage.getByText(/已由两人签字锁定/).waitFor();
    // (The township administrator's session of last month has expired by now: ask as the village admin.)
    const frozen = await world.must(
      "GET",
      `/api/villages/${world.villageA}/market/statements/${month}`,
      undefined,
      await world.cookieOf("dh_admin"),
    );
    expect({
      frozen: frozen.frozen,
      signers: frozen.signatures.length,
      digest: typeof frozen.digest,
    }).toEqual({ frozen: true, signers: 2, digest: "string" });
    await checkPage(adminPage, "accounts-frozen-1366x768");
    await adminCtx.close();
  },
  60_000,
);
