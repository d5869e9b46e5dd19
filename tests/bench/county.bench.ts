/**
 * County scale (issue 17): one database holding a county — 300 villages, 300,000 households,
 * 30,000,000 posted ledger entries with their audit rows over three years (county-build.ts) —
 * served by the real server (`bun src/main.ts` in its own process, as in production), measured:
 *   1. a kiosk's card read and one page of a household's history under 20 concurrent clients
 *      (county-clients.ts, another process): p99 ≤ 5 ms each;
 *   2. the county's report of one month (`GET /api/township/report`: every village of the
 *      database) and a township's (20 villages: buildReport, the same code, in this process):
 *      ≤ 1 s each;
 *   3. `bun run verify` over the whole chain (the real CLI, a subprocess): ≤ 60 s; and
 *      `bun run verify --since-checkpoint` when the CLI has it: ≤ 1 s;
 *   4. the file's size, the time it took to build, and the server's RSS during all of it: ≤ 300 MB.
 * Baseline in the same run: the same requests, clients and code against a township-sized
 * database (3 villages × 100 households, 30,000 entries) from the same builder.
 *
 * The county database is built once and kept in COUNTY_DIR (default /work/county-data, outside
 * the repository), keyed by COUNTY_BUILD_VERSION and size; a rerun reuses it (its build time is
 * the one written down when it was built). COUNTY_RUNS (5), COUNTY_LOAD_SECONDS (10),
 * COUNTY_ENTRIES / COUNTY_VILLAGES / COUNTY_HOUSEHOLDS_PER_VILLAGE shrink it for a try;
 * COUNTY_VERIFY=0 leaves the verifies out.
 */
import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { immediate, openDatabase } from "../../src/db/open.ts";
import { buildReport } from "../../src/ledger/report.ts";
import { listVillages } from "../../src/villages/village-store.ts";
import { goodsRedeemedLines } from "../../src/market/accounts.ts";
import { readHead } from "../../src/ledger/verify.ts";
import { lastCheckpoint } from "../../src/ops/checkpoint.ts";
import { takeCheckpoint } from "../../src/ops/daily.ts";
import {
  COUNTY_MONTHS,
  COUNTY_PASSWORD,
  CountyLedger,
  countyRandom,
  ensureCounty,
  type CountyFile,
} from "./county-build.ts";
import type { ClientPlan, ClientReport } from "./county-clients.ts";
import { fmt, median, verdict } from "./stats.ts";

const REPO = join(import.meta.dir, "../..");
const DIR = process.env["COUNTY_DIR"] ?? "/work/county-data";
const SIZE = {
  villages: Number(process.env["COUNTY_VILLAGES"] ?? 300),
  householdsPerVillage: Number(process.env["COUNTY_HOUSEHOLDS_PER_VILLAGE"] ?? 1000),
  entries: Number(process.env["COUNTY_ENTRIES"] ?? 30_000_000),
};
const RUNS = Number(process.env["COUNTY_RUNS"] ?? 5);
const LOAD_SECONDS = Number(process.env["COUNTY_LOAD_SECONDS"] ?? 10);
const CLIENTS = 20;
/** COUNTY_VERIFY=0 leaves out the verifies (a full one takes minutes at county size). */
const VERIFY = process.env["COUNTY_VERIFY"] !== "0";
/** Each client pauses 0..THINK_MS between requests: about 350 requests a second from 20 clients. */
const THINK_MS = 100;
/** Then the same clients back to back for this long: what the server can take at most. */
const SATURATED_SECONDS = 5;
const MONTH = { from: "2026-11-01", to: "2026-11-30" };
const TOWNSHIP_VILLAGES = 20;
const REPORT_REPEATS = 3;
const TARGET = { p99Ms: 5, reportMs: 1000, verifyMs: 60_000, sinceMs: 1000, rssMb: 300 };

type Server = {
  proc: Bun.Subprocess<"ignore", "pipe", "inherit">;
  base: string;
  rssPeakKb: number;
  sample: () => number;
  stop: () => Promise<void>;
};

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The real server on the file, as `bun run start` runs it, on a free port; its RSS sampled every 100 ms. */
async function startServer(path: string): Promise<Server> {
  const proc = Bun.spawn([process.execPath, join(REPO, "src/main.ts")], {
    cwd: REPO,
    env: {
      ...process.env,
      DATABASE_PATH: path,
      PORT: "0",
      LOG_REQUESTS: "0",
      PUBLIC_URL: "http://127.0.0.1",
      BACKUP_DIR: "",
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  let port = 0;
  while (port === 0) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the server exited before serving: ${seen}`);
    seen += decoder.decode(value);
    const m = /serving on http:\/\/localhost:(\d+)/.exec(seen);
    if (m) port = Number(m[1]);
  }
  void (async () => {
    for (;;) if ((await reader.read()).done) return;
  })();
  const server: Server = {
    proc,
    base: `http://127.0.0.1:${port}`,
    rssPeakKb: 0,
    sample: () => {
      const kb = rssKb(proc.pid);
      server.rssPeakKb = Math.max(server.rssPeakKb, kb);
      return kb;
    },
    stop: async () => {
      clearInterval(timer);
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
  const timer = setInterval(server.sample, 100);
  return server;
}

async function signIn(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: COUNTY_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

async function load(
  server: Server,
  cookie: string,
  file: CountyFile,
  busiestIds: number[],
  seconds: number,
  warmupSeconds: number,
  thinkMs: number,
): Promise<ClientReport> {
  const plan: ClientPlan = {
    base: server.base,
    cookie,
    clients: CLIENTS,
    seconds,
    warmupSeconds,
    thinkMs,
    villages: file.summary.villages,
    householdsPerVillage: file.summary.households / file.summary.villages,
    busiest: { id: file.summary.busiestHousehold.id, entryIds: busiestIds },
  };
  const proc = Bun.spawn(
    [process.execPath, join(import.meta.dir, "county-clients.ts"), JSON.stringify(plan)],
    { stdout: "pipe", stderr: "inherit" },
  );
  const out = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error("the county clients failed");
  const report = JSON.parse(out) as ClientReport;
  if (report.errors > 0)
    throw new Error(`${report.errors} requests failed; first: ${report.firstError}`);
  return report;
}

async function countyReport(server: Server, cookie: string): Promise<number> {
  const startMs = performance.now();
  const res = await fetch(`${server.base}/api/township/report?from=${MONTH.from}&to=${MONTH.to}`, {
    headers: { cookie },
  });
  const body = (await res.json()) as { totals?: { awarded: number } };
  const ms = performance.now() - startMs;
  if (res.status !== 200 || !(body.totals!.awarded > 0))
    throw new Error(`the county report answered ${res.status}`);
  return ms;
}

function townshipReport(db: Database, villages: number): number {
  const chosen = listVillages(db, null).slice(0, villages);
  const startMs = performance.now();
  const report = buildReport(db, chosen, MONTH.from, MONTH.to, {
    bottomList: false,
    goodsRedeemed: goodsRedeemedLines,
  });
  JSON.stringify(report);
  const ms = performance.now() - startMs;
  if (!(report.totals.awarded > 0)) throw new Error("the township report is empty");
  return ms;
}

function verifyCli(path: string, args: string[]): { ms: number; out: string } {
  const startMs = performance.now();
  const p = Bun.spawnSync([process.execPath, join(REPO, "src/ledger/verify-cli.ts"), ...args], {
    cwd: REPO,
    env: { ...process.env, DATABASE_PATH: path },
  });
  const ms = performance.now() - startMs;
  if (p.exitCode !== 0)
    throw new Error(
      `verify ${args.join(" ")} exited ${p.exitCode}: ${p.stderr.toString()}${p.stdout.toString()}`,
    );
  return { ms, out: p.stdout.toString().trim() };
}

const sinceSupported = readFileSync(join(REPO, "src/ledger/verify-cli.ts"), "utf8").includes(
  "--since-checkpoint",
);

function fileBytes(path: string): number {
  return [path, `${path}-wal`].filter(existsSync).reduce((n, f) => n + statSync(f).size, 0);
}

type Run = {
  card: ClientReport["card"];
  history: ClientReport["history"];
  floor: ClientReport["floor"];
  rps: number;
  saturated: ClientReport;
  countyMs: number;
  townshipMs: number;
  verifyMs: number;
  sinceMs: number | null;
  rssMb: number;
};

/** One day's entries of this ledger, on average (three years of them). */
function dayEntries(file: CountyFile): number {
  return Math.max(1, Math.round(file.summary.entries / ((COUNTY_MONTHS / 12) * 365)));
}

/**
 * What `verify --since-checkpoint` needs: a checkpoint (the server's own code writes the first,
 * after verifying everything before it, dated the day before today) and a day's entries after
 * the last one, appended by the builder (the server's daily job may have taken a checkpoint at the
 * head since the last bench, so this can append a day each time: the ledger then grows by a day).
 */
async function prepareSince(
  file: CountyFile,
): Promise<{ checkpointSeq: number; after: number; note: string }> {
  const db = openDatabase(file.path);
  try {
    const nowMs = Date.now();
    let note = "";
    if (lastCheckpoint(db) === null) {
      const startMs = performance.now();
      const outcome = await takeCheckpoint(db, nowMs - 86_400_000);
      if (outcome.kind !== "recorded")
        throw new Error(`the first checkpoint was not recorded: ${JSON.stringify(outcome)}`);
      note = `first checkpoint written by the server's takeCheckpoint in ${fmt((performance.now() - startMs) / 1000)} s (a full walk); `;
    }
    const last = lastCheckpoint(db)!;
    const head = readHead(db).seq;
    if (head === last.seq) {
      const n = dayEntries(file);
      const startMs = performance.now();
      immediate(db, () => {
        const ledger = CountyLedger.resume(db, countyRandom(head));
        ledger.append(
          head + 1,
          head + n,
          (seq) => nowMs - 86_400_000 + Math.floor(((seq - head) / n) * 86_400_000),
        );
        ledger.flush();
      });
      note += `appended a day's ${n.toLocaleString("en")} entries after it in ${fmt((performance.now() - startMs) / 1000)} s; `;
    }
    return { checkpointSeq: last.seq, after: readHead(db).seq - last.seq, note };
  } finally {
    db.close();
  }
}

async function measure(
  label: string,
  file: CountyFile,
  runs: number,
  loadSeconds: number,
): Promise<Run[]> {
  const since = sinceSupported ? await prepareSince(file) : null;
  if (since)
    console.log(
      `${label}: ${since.note}last checkpoint at entry ${since.checkpointSeq.toLocaleString("en")}, ${since.after.toLocaleString("en")} entries after it`,
    );
  // Verify first, with no server running: the CLI is what an administrator runs on the file.
  const verifies: { verifyMs: number; sinceMs: number | null }[] = [];
  for (let r = 1; r <= runs; r++) {
    if (!VERIFY) {
      verifies.push({ verifyMs: NaN, sinceMs: null });
      continue;
    }
    const s = since ? verifyCli(file.path, ["--since-checkpoint"]) : null;
    const v = verifyCli(file.path, []);
    verifies.push({ verifyMs: v.ms, sinceMs: s?.ms ?? null });
    if (r === 1) console.log(`    ${v.out}${s ? `\n    ${s.out}` : ""}`);
  }
  const read = openDatabase(file.path);
  const busiestIds = read
    .query<{ id: number }, [number]>(
      "SELECT id FROM entries WHERE household_id = ? ORDER BY id DESC",
    )
    .all(file.summary.busiestHousehold.id)
    .map((r) => r.id);
  const startMs = performance.now();
  const server = await startServer(file.path);
  console.log(
    `${label}: server up in ${fmt((performance.now() - startMs) / 1000)} s, RSS ${fmt(server.sample() / 1024)} MB`,
  );
  const cookie = await signIn(server.base, "county");
  const out: Run[] = [];
  for (let r = 1; r <= runs; r++) {
    server.rssPeakKb = 0;
    const loaded = await load(
      server,
      cookie,
      file,
      busiestIds,
      loadSeconds,
      r === 1 ? 3 : 1,
      THINK_MS,
    );
    const saturated = await load(server, cookie, file, busiestIds, SATURATED_SECONDS, 0, 0);
    const county: number[] = [];
    for (let i = 0; i < REPORT_REPEATS; i++) county.push(await countyReport(server, cookie));
    const townshipMs = median(
      Array.from({ length: REPORT_REPEATS }, () =>
        townshipReport(read, Math.min(TOWNSHIP_VILLAGES, file.summary.villages)),
      ),
    );
    server.sample();
    const run: Run = {
      card: loaded.card,
      history: loaded.history,
      floor: loaded.floor,
      rps: loaded.requestsPerSecond,
      saturated,
      countyMs: median(county),
      townshipMs,
      ...verifies[r - 1]!,
      rssMb: server.rssPeakKb / 1024,
    };
    out.push(run);
    console.log(
      `  ${label} run ${r}: card p50 ${fmt(run.card.p50)} p99 ${fmt(run.card.p99)} ms (n ${run.card.n}); history p50 ${fmt(run.history.p50)} p99 ${fmt(run.history.p99)} ms (n ${run.history.n}); ${fmt(run.rps)} req/s; ` +
        `back to back ${fmt(saturated.requestsPerSecond)} req/s (card p99 ${fmt(saturated.card.p99)}, history p99 ${fmt(saturated.history.p99)} ms); ` +
        `county report ${fmt(run.countyMs)} ms; township report ${fmt(townshipMs)} ms; verify ${fmt(run.verifyMs / 1000)} s${run.sinceMs === null ? "" : `; since checkpoint ${fmt(run.sinceMs)} ms`}; peak RSS ${fmt(run.rssMb)} MB`,
    );
  }
  await server.stop();
  read.close();
  return out;
}

console.log(
  `county bench: ${SIZE.villages} villages × ${SIZE.householdsPerVillage} households, ${SIZE.entries.toLocaleString("en")} entries; ${RUNS} runs; ${CLIENTS} clients for ${LOAD_SECONDS} s a run`,
);
console.log(
  `machine: ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Bun ${Bun.version}, SQLite ${new Database(":memory:").query<{ v: string }, []>("SELECT sqlite_version() AS v").get()!.v}; load average at start ${(await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ")}`,
);

const county = ensureCounty(DIR, SIZE, console.log);
const s = county.summary;
console.log(
  `county database: ${county.path}, ${fmt(fileBytes(county.path) / 2 ** 30)} GiB; ${county.reused ? `reused, built ${county.builtAt}` : "built now"} in ${fmt(county.buildMs / 60_000)} min ` +
    `(rows ${fmt(s.loadMs / 60_000)} min, indexes ${fmt(s.indexMs / 60_000)} min); ${s.households.toLocaleString("en")} households, ${s.entries.toLocaleString("en")} entries ` +
    `(${s.redemptions.toLocaleString("en")} sales, ${s.reversals.toLocaleString("en")} reversals), ${s.auditRows.toLocaleString("en")} audit rows; busiest household ${s.busiestHousehold.entries.toLocaleString("en")} entries`,
);
const baseDir = mkdtempSync(join(tmpdir(), "jifen-county-base-"));
try {
  const base = ensureCounty(baseDir, { villages: 3, householdsPerVillage: 100, entries: 30_000 });
  const baseRuns = await measure(
    "baseline (3 villages, 30,000 entries)",
    base,
    RUNS,
    Math.max(3, Math.round(LOAD_SECONDS / 2)),
  );
  const runs = await measure(
    `county (${SIZE.villages} villages, ${SIZE.entries.toLocaleString("en")} entries)`,
    county,
    RUNS,
    LOAD_SECONDS,
  );

  const col = (rs: Run[], f: (r: Run) => number | null) =>
    rs.map(f).map((x) => (x === null ? "–" : fmt(x)));
  const med = (rs: Run[], f: (r: Run) => number | null) =>
    rs.some((r) => f(r) === null) ? NaN : median(rs.map((r) => f(r)!));
  const rows: [string, (r: Run) => number | null, number | null][] = [
    ["card read p50 (ms)", (r) => r.card.p50, null],
    ["card read p99 (ms)", (r) => r.card.p99, TARGET.p99Ms],
    ["history page p50 (ms)", (r) => r.history.p50, null],
    ["history page p99 (ms)", (r) => r.history.p99, TARGET.p99Ms],
    ["floor: `GET /healthz` p50 (ms), no database", (r) => r.floor.p50, null],
    ["floor: `GET /healthz` p99 (ms), no database", (r) => r.floor.p99, null],
    ["requests/s (20 clients, 0-100 ms apart)", (r) => r.rps, null],
    ["back to back: requests/s", (r) => r.saturated.requestsPerSecond, null],
    ["back to back: card read p99 (ms)", (r) => r.saturated.card.p99, null],
    ["back to back: history page p99 (ms)", (r) => r.saturated.history.p99, null],
    ["county report, a month (ms)", (r) => r.countyMs, TARGET.reportMs],
    [
      `township report, ${TOWNSHIP_VILLAGES} villages, a month (ms)`,
      (r) => r.townshipMs,
      TARGET.reportMs,
    ],
    ["bun run verify (s)", (r) => r.verifyMs / 1000, TARGET.verifyMs / 1000],
    ["verify --since-checkpoint (ms)", (r) => r.sinceMs, TARGET.sinceMs],
    ["server peak RSS (MB)", (r) => r.rssMb, TARGET.rssMb],
  ];
  console.log(
    `\n| measure | ${runs.map((_, i) => `run ${i + 1}`).join(" | ")} | median | baseline median | target |`,
  );
  console.log(`| --- | ${runs.map(() => "---").join(" | ")} | --- | --- | --- |`);
  for (const [name, f, target] of rows) {
    const m = med(runs, f);
    const b = med(baseRuns, f);
    const v =
      target === null
        ? ""
        : Number.isNaN(m)
          ? "not measured"
          : `≤ ${target}: ${verdict(m <= target)}`;
    console.log(
      `| ${name} | ${col(runs, f).join(" | ")} | ${Number.isNaN(m) ? "–" : fmt(m)} | ${Number.isNaN(b) ? "–" : fmt(b)} | ${v} |`,
    );
  }
  if (!sinceSupported)
    console.log("verify --since-checkpoint: NOT MEASURED (the CLI has no --since-checkpoint yet)");
} finally {
  rmSync(baseDir, { recursive: true, force: true });
}
