/**
 * The township's report page (issue 16), in Chromium against the real server: from the click on
 * 全镇对比 to the villages' charts painted, median and max over 7 clicks, target ≤ 1 s, over the
 * demo township and over 1,000,000 entries (30 villages × 1,000 households, a year of 2026). The
 * baseline, measured in the same run on the same page, is the bare fetch of the same township
 * report, so the ratio shows what the page adds to the one request it cannot avoid.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "bun:sqlite";
import type { Browser, Page } from "playwright-core";
import { openDatabase } from "../../src/db/open.ts";
import { createApp } from "../../src/http/app.ts";
import { ensureAdmin } from "../../src/auth/bootstrap.ts";
import { setPasswordCost } from "../../src/auth/users.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { buildDemoDatabase, DEMO_SEED } from "../../src/demo/build.ts";
import { chromiumAvailable, launchChromium } from "../support/browser.ts";
import { buildLedger } from "./ledger-build.ts";
import { fmt, median, verdict } from "./stats.ts";

const CLICKS = 7;
const TARGET_MS = 1000;
const ENTRIES = Number(process.env["BENCH_REPORT_ENTRIES"] ?? 1_000_000);
const ADMIN_PASSWORD = "bench-admin-password";

if (!chromiumAvailable) {
  console.log("report pages: NOT MEASURED (no Chromium at /usr/bin/chromium)");
  process.exit(process.env["CI"] === "true" ? 1 : 0);
}
setPasswordCost({ memoryCost: 1024, timeCost: 1 });

async function measure(
  label: string,
  db: Database,
  username: string,
  password: string,
  browser: Browser,
  period: string,
): Promise<void> {
  let app: ReturnType<typeof createApp> | null = null;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req, srv) => app!.fetch(req, srv),
  });
  const origin = `http://127.0.0.1:${server.port}`;
  app = createApp(db, systemClock, { publicUrl: origin, log: null });
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: "zh-CN",
  });
  const page = await context.newPage();
  await page.goto(`${origin}/admin/login?next=${encodeURIComponent(`/admin/reports?${period}`)}`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.locator('.report[data-scope="village"]').waitFor({ timeout: 30_000 });
  const clicks: number[] = [];
  for (let i = 0; i < CLICKS + 1; i++) {
    const ms = await timeClick(page, "全镇对比", "township");
    if (i > 0) clicks.push(ms);
    await timeClick(
      page,
      (await page.locator(".segmented .seg").first().textContent()) ?? "",
      "village",
    );
  }
  const query = new URLSearchParams(period);
  const from = query.get("year") ? `${query.get("year")}-01-01` : `${query.get("month")}-01`;
  const to = query.get("year")
    ? `${query.get("year")}-12-31`
    : `${query.get("month")}-${new Date(Date.UTC(Number(query.get("month")!.slice(0, 4)), Number(query.get("month")!.slice(5, 7)), 0)).getUTCDate()}`;
  const base: number[] = await page.evaluate(
    async ({ from, to, n }) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const res = await fetch(`/api/township/report?from=${from}&to=${to}`, {
          cache: "no-store",
        });
        await res.json();
        out.push(performance.now() - t0);
      }
      return out;
    },
    { from, to, n: CLICKS },
  );
  const m = median(clicks);
  const b = median(base);
  console.log(
    `${label}: bare GET /api/township/report from the page (baseline): median ${fmt(b)} ms  (n=${base.length})`,
  );
  console.log(
    `${label}: click 全镇对比 → villages' charts painted: median ${fmt(m)} ms  max ${fmt(Math.max(...clicks))} ms  (n=${clicks.length})`,
  );
  console.log(
    `  ratio median page / baseline: ${fmt(m / b)}×   target ≤ ${TARGET_MS} ms: ${verdict(Math.max(...clicks) <= TARGET_MS)}`,
  );
  await context.close();
  server.stop(true);
}

/** Clicks a scope and answers the time from the click to the first frame painted with that scope's report. */
async function timeClick(page: Page, name: string, scope: "township" | "village"): Promise<number> {
  const painted = page.evaluate(
    (want) =>
      new Promise<{ clickAt: number; paintedAt: number }>((resolve) => {
        let clickAt = 0;
        document.addEventListener("click", (e) => (clickAt = e.timeStamp), {
          capture: true,
          once: true,
        });
        const done = () =>
          requestAnimationFrame(() =>
            setTimeout(() => resolve({ clickAt, paintedAt: performance.now() }), 0),
          );
        const seen = () =>
          document.querySelector(
            `.report[data-scope="${want}"] .chart-svg, .report[data-scope="${want}"] .chart-empty`,
          ) !== null;
        const obs = new MutationObserver(() => {
          if (seen()) {
            obs.disconnect();
            done();
          }
        });
        obs.observe(document.querySelector("main")!, {
          childList: true,
          subtree: true,
          attributes: true,
        });
      }),
    scope,
  );
  await page.locator(".segmented").first().getByText(name, { exact: true }).click();
  const { clickAt, paintedAt } = await painted;
  return paintedAt - clickAt;
}

const browser = await launchChromium();
console.log(`Chromium ${browser.version()}, headless, ${CLICKS} clicks after one warm-up`);

// ---------------------------------------------------------------- over the demo township
const demoDir = mkdtempSync(join(tmpdir(), "jifen-bench-reports-demo-"));
const demoPath = join(demoDir, "demo.db");
const nowMs = systemClock.nowMs();
const summary = await buildDemoDatabase(demoPath, {
  seed: DEMO_SEED,
  nowMs,
  publicUrl: "http://127.0.0.1",
  log: () => {},
});
const demoDb = openDatabase(demoPath);
const month = new Date(nowMs + 8 * 3600_000).toISOString().slice(0, 7);
await measure(
  `demo (${summary.villages.length} villages)`,
  demoDb,
  "qs_admin",
  summary.password,
  browser,
  `period=month&month=${month}`,
);
await measure(
  `demo (${summary.villages.length} villages), the year`,
  demoDb,
  "qs_admin",
  summary.password,
  browser,
  `period=year&year=${month.slice(0, 4)}`,
);
demoDb.close();
rmSync(demoDir, { recursive: true, force: true });

// ---------------------------------------------------------------- over 1,000,000 entries
const bigDir = mkdtempSync(join(tmpdir(), "jifen-bench-reports-big-"));
let buildMs = performance.now();
const bigDb = buildLedger({
  path: join(bigDir, "big.db"),
  entries: ENTRIES,
  villages: 30,
  householdsPerVillage: 1000,
});
buildMs = performance.now() - buildMs;
ensureAdmin(bigDb, ADMIN_PASSWORD, systemClock.nowMs());
console.log(`setup: ${ENTRIES} entries in 30 villages built in ${Math.round(buildMs)} ms`);
await measure(
  `${ENTRIES} entries, a month`,
  bigDb,
  "admin",
  ADMIN_PASSWORD,
  browser,
  "period=month&month=2026-06",
);
await measure(
  `${ENTRIES} entries, the year`,
  bigDb,
  "admin",
  ADMIN_PASSWORD,
  browser,
  "period=year&year=2026",
);
bigDb.close();
rmSync(bigDir, { recursive: true, force: true });
await browser.close();
