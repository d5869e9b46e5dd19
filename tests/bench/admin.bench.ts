/**
 * The staff pages (issue 15), in Chromium on this machine, against the real server:
 * (1) gzipped JavaScript of the first screen — every script the browser fetches to paint /admin
 *     for a signed-in village admin — target ≤ 120 KB; and the kiosk's, from its own page, target
 *     ≤ 60 KB (the kiosk must not grow because the staff pages share ui/ with it);
 * (2) household search as you type over 100,000 households: from the last keystroke of a query to
 *     the list painted, median over 40 queries (names, surnames, pinyin initials, door plates),
 *     target ≤ 100 ms; baseline: the same search as a bare fetch from the same page;
 * (3) a batch of 50 households saved from the record page: from the click on 保存 to the
 *     confirmation painted, median and max over 7 saves, target ≤ 1 s; baseline: the same batch
 *     POSTed by a bare fetch from the same page.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createApp } from "../../src/http/app.ts";
import { ensureAdmin } from "../../src/auth/bootstrap.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { hashPassword, insertUser, setPasswordCost } from "../../src/auth/users.ts";
import { insertHousehold } from "../../src/villages/household-store.ts";
import { createRandom } from "../../src/demo/data/random.ts";
import { generateHousehold } from "../../src/demo/data/names.ts";
import { chromiumAvailable, launchChromium } from "../support/browser.ts";
import { fmt, median, summarize, verdict } from "./stats.ts";

const HOUSEHOLDS = Number(process.env["BENCH_HOUSEHOLDS"] ?? 100_000);
const QUERIES = 40;
const WARMUP = 5;
const SAVES = 7;
const BATCH = 50;
const ADMIN_FIRST_SCREEN_TARGET_BYTES = 120 * 1000;
const KIOSK_FIRST_SCREEN_TARGET_BYTES = 60 * 1000;
const SEARCH_TARGET_MS = 100;
const SAVE_TARGET_MS = 1000;
const PASSWORD = "bench-staff-password";

if (!chromiumAvailable) {
  console.log("staff pages: NOT MEASURED (no Chromium at /usr/bin/chromium)");
  process.exit(process.env["CI"] === "true" ? 1 : 0);
}

setPasswordCost({ memoryCost: 1024, timeCost: 1 });
const dir = mkdtempSync(join(tmpdir(), "jifen-bench-admin-"));
const db = openDatabase(join(dir, "bench.db"));
migrate(db, systemClock.nowMs());
ensureAdmin(db, "bench-admin-password", systemClock.nowMs());
const village = db
  .query<{ id: number }, []>(
    "INSERT INTO villages (name, code, created_at_ms) VALUES ('基准村', 'BENCH', 0) RETURNING id",
  )
  .get()!.id;
insertUser(db, {
  username: "bench_admin",
  displayName: "基准主任",
  passwordHash: hashPassword(PASSWORD),
  role: "village_admin",
  villageId: village,
  nowMs: 0,
});
const rule = db
  .query<{ id: number }, []>(
    "INSERT INTO rules (village_id, code, title, category, points, created_at_ms) VALUES (1, 'ZY-01', '参加志愿服务', 'volunteer', 5, 0) RETURNING id",
  )
  .get()!.id;

const rng = createRandom(15);
const names: string[] = [];
let setupMs = performance.now();
db.transaction(() => {
  for (let i = 0; i < HOUSEHOLDS; i++) {
    const h = generateHousehold(rng, { referenceYear: 2026 });
    const head = h.members[0]!;
    names.push(head.name);
    insertHousehold(
      db,
      village,
      {
        headName: head.name,
        address: `基准村${(i % 12) + 1}组${Math.floor(i / 12) + 1}号`,
        externalId: `B${i}`,
        members: h.members.slice(1).map((m) => ({ name: m.name, relation: m.relation })),
      },
      0,
    );
  }
})();
setupMs = performance.now() - setupMs;
console.log(`setup: ${HOUSEHOLDS} households in one village in ${Math.round(setupMs)} ms`);

let app: ReturnType<typeof createApp> | null = null;
const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: (req, srv) => app!.fetch(req, srv),
});
const origin = `http://127.0.0.1:${server.port}`;
app = createApp(db, systemClock, { publicUrl: origin, log: null });

const browser = await launchChromium();
console.log(`Chromium ${browser.version()}, headless`);
const context = await browser.newContext({
  viewport: { width: 1366, height: 768 },
  locale: "zh-CN",
});
const page = await context.newPage();

async function signIn(p: Page): Promise<void> {
  await p.goto(`${origin}/admin/login`);
  await p.getByLabel("用户名").fill("bench_admin");
  await p.getByLabel("密码").fill(PASSWORD);
  await p.getByRole("button", { name: "登录" }).click();
  await p.getByRole("heading", { level: 1, name: "今日" }).waitFor();
}

// ------------------------------------------------------------------ (1) first-screen JavaScript
// A browser with nothing cached signs in and lands on 今日: every script it fetched on the way.
const cold = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN" });
const coldPage = await cold.newPage();
const coldJs = new Map<string, number>();
coldPage.on("response", async (res) => {
  if (res.url().endsWith(".js"))
    coldJs.set(res.url(), Bun.gzipSync(new Uint8Array(await res.body())).length);
});
await signIn(coldPage);
await coldPage.waitForLoadState("networkidle");
const adminJs = [...coldJs.values()].reduce((a, b) => a + b, 0);
for (const [url, size] of coldJs)
  console.log(`  ${new URL(url).pathname.padEnd(44)} ${String(size).padStart(7)} B gz`);
console.log(
  `staff first screen (sign-in, then 今日): ${coldJs.size} scripts, ${adminJs} B gz = ${(adminJs / 1000).toFixed(1)} KB   target ≤ 120 KB: ${verdict(adminJs <= ADMIN_FIRST_SCREEN_TARGET_BYTES)}`,
);
await cold.close();

const kiosk = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
const kioskPage = await kiosk.newPage();
const kioskJs = new Map<string, number>();
kioskPage.on("response", async (res) => {
  if (res.url().endsWith(".js"))
    kioskJs.set(res.url(), Bun.gzipSync(new Uint8Array(await res.body())).length);
});
await kioskPage.goto(`${origin}/kiosk`);
await kioskPage.waitForLoadState("networkidle");
const kioskTotal = [...kioskJs.values()].reduce((a, b) => a + b, 0);
console.log(
  `kiosk first screen (unpaired start screen): ${kioskJs.size} script(s), ${kioskTotal} B gz = ${(kioskTotal / 1000).toFixed(1)} KB   target ≤ 60 KB: ${verdict(kioskTotal <= KIOSK_FIRST_SCREEN_TARGET_BYTES)}`,
);
await kiosk.close();

// ------------------------------------------------------------------ (2) search as you type
await signIn(page);
await page.goto(`${origin}/admin/households`);
await page.locator(".results").waitFor();
const pick = createRandom(23);
const queries: string[] = [];
for (let i = 0; i < WARMUP + QUERIES; i++) {
  const name = pick.pick(names);
  const kind = i % 4;
  const initials = db
    .query<{ head_initials: string }, [string]>(
      "SELECT head_initials FROM households WHERE head_name = ? LIMIT 1",
    )
    .get(name)!.head_initials;
  queries.push(
    kind === 0
      ? name.slice(0, 2)
      : kind === 1
        ? name
        : kind === 2
          ? initials
          : `${pick.int(1, 12)}组${pick.int(1, Math.floor(HOUSEHOLDS / 12))}号`,
  );
}
await page.evaluate(() => {
  const w = window as unknown as { __keys: number[] };
  w.__keys = [];
  // The input event of the last character: a key on a keyboard, or a character committed by a
  // Chinese input method (which sends no key of its own).
  document.addEventListener("input", (e) => w.__keys.push(e.timeStamp), true);
});
const searchSamples: number[] = [];
for (const [i, query] of queries.entries()) {
  const box = page.getByLabel("搜索农户");
  // Everything but the last character is typed first and left to settle; the last key is timed.
  await box.fill(query.slice(0, -1));
  if (query.length > 1)
    await page.waitForFunction(
      (q) => document.querySelector(".results")?.getAttribute("data-query") === q,
      query.slice(0, -1),
    );
  await page.evaluate(() => ((window as unknown as { __keys: number[] }).__keys = []));
  const shown = page.evaluate(
    (q) =>
      new Promise<number>((resolve) => {
        const done = () =>
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
        const check = () => document.querySelector(".results")?.getAttribute("data-query") === q;
        const obs = new MutationObserver(() => {
          if (check()) {
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
    query,
  );
  const last = query.slice(-1);
  if (/^[\x20-\x7e]$/.test(last)) await box.press(last);
  else await page.keyboard.insertText(last);
  const paintedAt = await shown;
  const keyAt = await page.evaluate(() =>
    Math.max(...(window as unknown as { __keys: number[] }).__keys),
  );
  if (i >= WARMUP) searchSamples.push(paintedAt - keyAt);
}
const searchBase: number[] = await page.evaluate(
  async ({ qs, vid }) => {
    const out: number[] = [];
    for (const q of qs) {
      const t0 = performance.now();
      const res = await fetch(
        `/api/villages/${vid}/households?search=${encodeURIComponent(q)}&limit=50`,
        { cache: "no-store" },
      );
      await res.json();
      out.push(performance.now() - t0);
    }
    return out;
  },
  { qs: queries.slice(WARMUP), vid: village },
);
const sBase = summarize(searchBase);
const sPage = summarize(searchSamples);
console.log(
  `household search, bare fetch from the page (baseline): median ${fmt(sBase.p50)} ms  p95 ${fmt(sBase.p95)} ms  (n=${sBase.n})`,
);
console.log(
  `household search as you type over ${HOUSEHOLDS}: keystroke → list painted median ${fmt(sPage.p50)} ms  p95 ${fmt(sPage.p95)} ms  max ${fmt(Math.max(...searchSamples))} ms  (n=${sPage.n})`,
);
console.log(
  `  ratio median page / baseline: ${fmt(sPage.p50 / sBase.p50)}×   target median ≤ ${SEARCH_TARGET_MS} ms: ${verdict(sPage.p50 <= SEARCH_TARGET_MS)}`,
);

// ------------------------------------------------------------------ (3) a batch of 50 from the page
const userId = db
  .query<{ id: number }, []>("SELECT id FROM users WHERE username = 'bench_admin'")
  .get()!.id;
const batchOf = (n: number) => {
  const rows = db
    .query<{ id: number; head_name: string; address: string; balance: number }, [number, number]>(
      "SELECT id, head_name, address, balance FROM households WHERE village_id = ? ORDER BY id LIMIT 50 OFFSET ?",
    )
    .all(village, n * BATCH);
  return rows.map((r) => ({
    id: String(r.id),
    headName: r.head_name,
    address: r.address,
    balance: r.balance,
    cardNumber: null,
  }));
};
const draftKey = `jifen.admin.record.${userId}.${village}`;
async function seedDraft(p: Page, n: number): Promise<void> {
  await p.evaluate(({ key, draft }) => sessionStorage.setItem(key, JSON.stringify(draft)), {
    key: draftKey,
    draft: {
      ruleId: String(rule),
      households: batchOf(n),
      quantity: "1",
      day: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
      note: "",
      claim: false,
      evidence: null,
      key: null,
    },
  });
}
const saveSamples: number[] = [];
await page.goto(`${origin}/admin/record`);
for (let i = 0; i < SAVES + 1; i++) {
  await seedDraft(page, i);
  await page.reload();
  await page
    .locator(".chosen tbody tr")
    .nth(BATCH - 1)
    .waitFor();
  const saved = page.evaluate(
    () =>
      new Promise<{ clickAt: number; paintedAt: number }>((resolve) => {
        let clickAt = 0;
        document.addEventListener("click", (e) => (clickAt = e.timeStamp), {
          capture: true,
          once: true,
        });
        const obs = new MutationObserver(() => {
          if (document.querySelector(".alert-ok")?.textContent?.includes("已为 50 户记录")) {
            obs.disconnect();
            requestAnimationFrame(() =>
              setTimeout(() => resolve({ clickAt, paintedAt: performance.now() }), 0),
            );
          }
        });
        obs.observe(document.querySelector("main")!, {
          childList: true,
          subtree: true,
          characterData: true,
        });
      }),
  );
  await page.getByRole("button", { name: "保存", exact: true }).click();
  const { clickAt, paintedAt } = await saved;
  if (i > 0) saveSamples.push(paintedAt - clickAt);
}
const saveBase: number[] = [];
for (let i = 0; i < SAVES; i++) {
  const ids = batchOf(SAVES + 1 + i).map((h) => h.id);
  saveBase.push(
    await page.evaluate(
      async ({ ruleId, ids }) => {
        const t0 = performance.now();
        const res = await fetch("/api/entries/batch", {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
          body: JSON.stringify({ ruleId, householdIds: ids }),
        });
        await res.json();
        if (res.status !== 201) throw new Error(`batch → ${res.status}`);
        return performance.now() - t0;
      },
      { ruleId: String(rule), ids },
    ),
  );
}
const posted = db
  .query<{ n: number }, []>("SELECT count(*) AS n FROM entries WHERE status = 'posted'")
  .get()!.n;
if (posted !== (SAVES + 1 + SAVES) * BATCH)
  throw new Error(`expected ${(SAVES + 1 + SAVES) * BATCH} posted entries, found ${posted}`);
console.log(
  `batch of ${BATCH}, bare POST from the page (baseline): median ${fmt(median(saveBase))} ms  (n=${saveBase.length})`,
);
console.log(
  `batch of ${BATCH} saved from the record page: click → confirmation painted median ${fmt(median(saveSamples))} ms  max ${fmt(Math.max(...saveSamples))} ms  (n=${saveSamples.length})`,
);
console.log(
  `  ratio median page / baseline: ${fmt(median(saveSamples) / median(saveBase))}×   target ≤ ${SAVE_TARGET_MS} ms: ${verdict(Math.max(...saveSamples) <= SAVE_TARGET_MS)}`,
);

await browser.close();
server.stop(true);
db.close();
rmSync(dir, { recursive: true, force: true });
