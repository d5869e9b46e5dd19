/**
 * Ledger benches, each against a baseline or a target measured in this same run:
 *   1. awards over HTTP (real Bun.serve on a random loopback port; 20 concurrent fetch clients in a
 *      second process, after 300 untimed awards; each fsync shared by the awards of one group commit) against
 *      the raw in-process durable commit rate (a bare one-row insert per IMMEDIATE transaction,
 *      WAL + FULL) on the same disk; target ratio ≥ 75 %.
 *   2. `bun run verify` over 1,000,000 posted entries (the real CLI, as a subprocess); ≤ 1 s.
 *   3. one page of a household's history with 10,000 entries, over the app; p99 ≤ 5 ms.
 *   4. the township's monthly report over the same 1,000,000 entries, over the app; ≤ 1 s.
 * Set LEDGER_BENCH_ENTRIES to bench a smaller ledger (the verdicts then say so), or
 * LEDGER_BENCH_ONLY=http to run only the first.
 */
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createApp } from "../../src/http/app.ts";
import { ensureAdmin } from "../../src/auth/bootstrap.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { buildLedger } from "./ledger-build.ts";
import { groupCommitFor } from "../../src/db/group-commit.ts";
import { fmt, median, summarize, verdict } from "./stats.ts";

const ROUNDS = 5;
const CLIENTS = 20;
const AWARDS_PER_ROUND = 3000;
/** Untimed awards before each round, as the market bench warms its server. */
const WARMUP_AWARDS = 300;
const ROUND_TIME_LIMIT_MS = 8000;
const RAW_COMMITS_PER_ROUND = 3000;
const VERIFY_ENTRIES = Number(process.env["LEDGER_BENCH_ENTRIES"] ?? 1_000_000);
const HOT_HOUSEHOLD_ENTRIES = 10_000;
const HISTORY_SAMPLES = 500;
const ADMIN_PASSWORD = "bench-admin-password";

const dir = mkdtempSync(join(tmpdir(), "jifen-ledger-bench-"));

function rawCommitsPerSecond(): number {
  const db = openDatabase(join(dir, `raw-${Math.random()}.db`));
  db.run("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL) STRICT");
  const insert = db.query("INSERT INTO t (v) VALUES (?)");
  const tx = db.transaction((v: number) => insert.run(v));
  const startMs = performance.now();
  for (let i = 0; i < RAW_COMMITS_PER_ROUND; i++) tx.immediate(i);
  const rate = RAW_COMMITS_PER_ROUND / ((performance.now() - startMs) / 1000);
  db.close();
  return rate;
}

async function httpAwardsPerSecond(): Promise<{ rate: number; errors: number; meanGroup: number }> {
  const db = openDatabase(join(dir, `http-${Math.random()}.db`));
  migrate(db, Date.now());
  ensureAdmin(db, ADMIN_PASSWORD, Date.now());
  const villageId = db
    .query<{ id: number }, []>(
      "INSERT INTO villages (name, code, created_at_ms) VALUES ('东河村', 'DH', 0) RETURNING id",
    )
    .get()!.id;
  const households = Array.from(
    { length: 200 },
    (_, i) =>
      db
        .query<{ id: number }, [number, string]>(
          "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, created_at_ms) VALUES (?, ?, '', '', 0) RETURNING id",
        )
        .get(villageId, `户主${i}`)!.id,
  );
  const ruleId = db
    .query<{ id: number }, [number]>(
      "INSERT INTO rules (village_id, code, title, category, points, created_at_ms) VALUES (?, 'ENV-1', '庭院整洁', 'environment', 5, 0) RETURNING id",
    )
    .get(villageId)!.id;
  const app = createApp(db, systemClock, { publicUrl: "http://127.0.0.1", log: null });
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
  const base = `http://127.0.0.1:${server.port}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  // The clients run in another process, started before the clock and released together.
  const proc = Bun.spawn(
    [
      process.execPath,
      join(import.meta.dir, "ledger-clients.ts"),
      base,
      cookie,
      String(ruleId),
      String(AWARDS_PER_ROUND),
      String(CLIENTS),
      String(ROUND_TIME_LIMIT_MS),
      households.join(","),
      String(WARMUP_AWARDS),
    ],
    { stdout: "pipe", stderr: "inherit" },
  );
  const out = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error("bench clients failed");
  const { done, errors, elapsedMs, warmedUp } = JSON.parse(out) as {
    done: number;
    errors: number;
    elapsedMs: number;
    warmedUp: number;
  };
  const rate = done / (elapsedMs / 1000);
  const posted = db
    .query<{ n: number }, []>("SELECT count(*) AS n FROM entries WHERE status = 'posted'")
    .get()!.n;
  if (posted !== done + warmedUp)
    throw new Error(`acknowledged ${done + warmedUp} awards but ${posted} are posted`);
  const { jobs, groups } = groupCommitFor(db).stats;
  server.stop(true);
  db.close();
  return { rate, errors, meanGroup: jobs / Math.max(1, groups) };
}

async function main(): Promise<void> {
  console.log(
    `ledger bench: ${ROUNDS} rounds; ${CLIENTS} HTTP clients; ${VERIFY_ENTRIES.toLocaleString("en")} entries for verify and reports`,
  );

  // 1. Awards over HTTP vs raw durable commits, interleaved so both see the same disk and load.
  const raw: number[] = [];
  const http: number[] = [];
  const groups: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    raw.push(rawCommitsPerSecond());
    const h = await httpAwardsPerSecond();
    http.push(h.rate);
    groups.push(h.meanGroup);
    if (h.errors > 0) console.log(`  round ${r + 1}: ${h.errors} award requests failed`);
  }
  const ratio = median(http) / median(raw);
  console.log(
    `awards over HTTP: median ${fmt(median(http))}/s (rounds ${http.map(fmt).join(", ")})`,
  );
  console.log(
    `  awards per durable commit (group commit, see src/db/group-commit.ts): median ${fmt(median(groups))}`,
  );
  console.log(
    `raw durable commits (WAL+FULL, 1 row/tx): median ${fmt(median(raw))}/s (rounds ${raw.map(fmt).join(", ")})`,
  );
  console.log(`ratio HTTP/raw: ${fmt(ratio * 100)} % (target ≥ 75 %) ${verdict(ratio >= 0.75)}`);

  if (process.env["LEDGER_BENCH_ONLY"] === "http") return;
  // The big ledger for 2-4.
  const bigPath = join(dir, "big.db");
  const buildStartMs = performance.now();
  buildLedger({
    path: bigPath,
    entries: VERIFY_ENTRIES,
    villages: 30,
    householdsPerVillage: 400,
    hotHousehold: { id: 1, entries: HOT_HOUSEHOLD_ENTRIES },
  }).close();
  console.log(
    `(built ${VERIFY_ENTRIES.toLocaleString("en")} posted entries in ${fmt((performance.now() - buildStartMs) / 1000)} s, setup only)`,
  );

  // 2. bun run verify, the real CLI.
  const verifyMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const startMs = performance.now();
    const p = Bun.spawnSync(
      [process.execPath, join(import.meta.dir, "../../src/ledger/verify-cli.ts")],
      { env: { ...process.env, DATABASE_PATH: bigPath } },
    );
    verifyMs.push(performance.now() - startMs);
    if (p.exitCode !== 0) throw new Error(`verify failed: ${p.stderr.toString()}`);
  }
  const inProcess: number[] = [];
  {
    const { verifyLedger } = await import("../../src/ledger/verify.ts");
    const db = new Database(bigPath, { readonly: true });
    for (let r = 0; r < ROUNDS; r++) {
      const startMs = performance.now();
      if (!verifyLedger(db).ok) throw new Error("verifyLedger failed");
      inProcess.push(performance.now() - startMs);
    }
    db.close();
  }
  const scale =
    VERIFY_ENTRIES === 1_000_000 ? "" : ` (on ${VERIFY_ENTRIES} entries, not 1,000,000)`;
  console.log(
    `bun run verify over ${VERIFY_ENTRIES.toLocaleString("en")} entries (whole process): median ${fmt(median(verifyMs))} ms (rounds ${verifyMs.map(fmt).join(", ")}) (target ≤ 1000 ms) ${verdict(median(verifyMs) <= 1000)}${scale}`,
  );
  console.log(`  verifyLedger single-threaded, in process: median ${fmt(median(inProcess))} ms`);

  // 3 and 4 over the app (Hono routing, sign-in, validation, JSON), on a copy of the big ledger.
  const db = openDatabase(bigPath);
  migrate(db, Date.now());
  ensureAdmin(db, ADMIN_PASSWORD, Date.now());
  const app = createApp(db, systemClock, { publicUrl: "http://127.0.0.1", log: null });
  const login = await app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const hot = db
    .query<{ n: number }, []>("SELECT count(*) AS n FROM entries WHERE household_id = 1")
    .get()!.n;
  const ids = db
    .query<{ id: number }, []>("SELECT id FROM entries WHERE household_id = 1 ORDER BY id DESC")
    .all()
    .map((r) => r.id);
  const pageMs: number[] = [];
  for (let i = 0; i < HISTORY_SAMPLES; i++) {
    // Half the pages from the top, half from a random depth through a cursor.
    const cursor =
      i % 2 === 0
        ? ""
        : `&cursor=${Buffer.from(String(ids[Math.floor(Math.random() * ids.length)])).toString("base64url")}`;
    const startMs = performance.now();
    const res = await app.request(`/api/households/1/entries?limit=50${cursor}`, {
      headers: { cookie },
    });
    await res.arrayBuffer();
    pageMs.push(performance.now() - startMs);
    if (res.status !== 200) throw new Error(`history answered ${res.status}`);
  }
  const page = summarize(pageMs.slice(20));
  console.log(
    `history page (50 of ${hot.toLocaleString("en")} entries of one household, over the app): p50 ${fmt(page.p50)} ms, p99 ${fmt(page.p99)} ms (n ${page.n}) (target p99 ≤ 5 ms) ${verdict(page.p99 <= 5)}`,
  );

  const reportMs: number[] = [];
  for (let r = 0; r < ROUNDS + 2; r++) {
    const startMs = performance.now();
    const res = await app.request("/api/township/report?from=2026-06-01&to=2026-06-30", {
      headers: { cookie },
    });
    const body = (await res.json()) as { totals: { awarded: number } };
    reportMs.push(performance.now() - startMs);
    if (res.status !== 200 || body.totals.awarded <= 0) throw new Error("report failed");
  }
  console.log(
    `township report for one month over ${VERIFY_ENTRIES.toLocaleString("en")} entries: median ${fmt(median(reportMs))} ms, max ${fmt(Math.max(...reportMs))} ms (target ≤ 1000 ms) ${verdict(median(reportMs) <= 1000)}${scale}`,
  );
  db.close();
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
