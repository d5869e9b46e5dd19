/**
 * GET /metrics in the Prometheus text exposition format (version 0.0.4), written by hand: a few
 * counters, one histogram and some gauges need no library.
 *
 * - Requests by method, route pattern (never the raw path: card and device tokens stay out) and
 *   status, and a latency histogram by method and route, counted by the request middleware
 *   (src/http/app.ts).
 * - Sales, ledger entries posted and the points they moved, counted since this process started
 *   from the database itself (rows past the high-water mark read at start and at each scrape: a
 *   range of the primary key or of the chain's seq, never a scan of the whole ledger), so sales
 *   made by a second server process on the same file count too.
 * - The group commit's writes, commits and fsyncs (the mean batch size is their ratio), the
 *   database, WAL and shared-memory file sizes, the process's memory.
 *
 * Access: from this machine only (a loopback socket address and no forwarding header, so a request
 * passed on by a reverse proxy on the same machine is never "local", whatever TRUST_PROXY says),
 * or with `Authorization: Bearer <METRICS_TOKEN>` when that variable is set.
 */
import type { Database } from "bun:sqlite";
import { statSync } from "node:fs";
import { timingSafeEqual } from "node:crypto";
import type { Context, Hono } from "hono";
import { getConnInfo } from "hono/bun";
import type { AppEnv } from "../http/env.ts";
import { problemResponse } from "../http/problem.ts";
import { databaseFile } from "../db/open.ts";

/** Latency buckets in seconds: a sale takes a millisecond or two, a county report up to a second. */
export const LATENCY_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

export type GroupCommitCounts = { jobs: number; groups: number; syncs?: number };

export type MetricsSources = {
  /** The group commit's counters, or null where there is none. */
  groupCommit?: () => GroupCommitCounts | null;
};

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

type Histogram = { counts: number[]; sum: number; count: number };

/** The in-process counters of one app; `render()` adds what it reads from the database at scrape time. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly startedMs = Date.now();
  private salesSince: { lastId: number; count: number; points: number };
  private entriesSince: { lastSeq: number; byKind: Map<string, { count: number; points: number }> };

  constructor(
    private readonly db: Database,
    private readonly sources: MetricsSources = {},
  ) {
    this.salesSince = {
      lastId: maxOf(db, "SELECT COALESCE(MAX(id), 0) AS m FROM redemptions"),
      count: 0,
      points: 0,
    };
    this.entriesSince = {
      lastSeq: maxOf(db, "SELECT COALESCE(MAX(seq), 0) AS m FROM entries"),
      byKind: new Map(),
    };
  }

  /**
   * One finished request; `route` is the matched pattern (Hono's routePath), so the series are
   * bounded by the routes, the methods below and the statuses, whatever clients send.
   */
  observe(method: string, route: string, status: number, ms: number): void {
    const key = `${KNOWN_METHODS.has(method) ? method : "OTHER"}\u0000${route}`;
    const countKey = `${key}\u0000${status}`;
    this.requests.set(countKey, (this.requests.get(countKey) ?? 0) + 1);
    let h = this.latency.get(key);
    if (h === undefined) {
      h = { counts: new Array<number>(LATENCY_BUCKETS_S.length).fill(0), sum: 0, count: 0 };
      this.latency.set(key, h);
    }
    const seconds = ms / 1000;
    // Cumulative buckets are summed at render time; here each request lands in its first bucket.
    const i = LATENCY_BUCKETS_S.findIndex((le) => seconds <= le);
    if (i >= 0) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  render(): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    family(
      "jifen_http_requests_total",
      "counter",
      "HTTP requests answered, by method, route pattern and status.",
    );
    for (const [key, n] of this.requests) {
      const [method, route, status] = key.split("\u0000") as [string, string, string];
      out.push(`jifen_http_requests_total${labels({ method, route, status })} ${n}`);
    }
    family(
      "jifen_http_request_duration_seconds",
      "histogram",
      "Time from a request's arrival to its answer, by method and route pattern.",
    );
    for (const [key, h] of this.latency) {
      const [method, route] = key.split("\u0000") as [string, string];
      let cumulative = 0;
      LATENCY_BUCKETS_S.forEach((le, i) => {
        cumulative += h.counts[i]!;
        out.push(
          `jifen_http_request_duration_seconds_bucket${labels({ method, route, le: String(le) })} ${cumulative}`,
        );
      });
      out.push(
        `jifen_http_request_duration_seconds_bucket${labels({ method, route, le: "+Inf" })} ${h.count}`,
      );
      out.push(`jifen_http_request_duration_seconds_sum${labels({ method, route })} ${h.sum}`);
      out.push(`jifen_http_request_duration_seconds_count${labels({ method, route })} ${h.count}`);
    }

    this.catchUp();
    family(
      "jifen_sales_total",
      "counter",
      "Sales (redemptions) made since this process started, by any process on this database.",
    );
    out.push(`jifen_sales_total ${this.salesSince.count}`);
    family("jifen_sales_points_total", "counter", "Points spent in those sales.");
    out.push(`jifen_sales_points_total ${this.salesSince.points}`);
    family(
      "jifen_ledger_entries_posted_total",
      "counter",
      "Ledger entries posted since this process started, by kind (award, deduction, redemption, reversal, expiry).",
    );
    for (const [kind, v] of this.entriesSince.byKind)
      out.push(`jifen_ledger_entries_posted_total${labels({ kind })} ${v.count}`);
    family(
      "jifen_ledger_points_moved_total",
      "counter",
      "Points moved by those entries (absolute value: a deduction of 5 moves 5), by kind.",
    );
    for (const [kind, v] of this.entriesSince.byKind)
      out.push(`jifen_ledger_points_moved_total${labels({ kind })} ${v.points}`);

    const group = this.sources.groupCommit?.() ?? null;
    if (group !== null) {
      family(
        "jifen_group_commit_writes_total",
        "counter",
        "Write use cases committed by the group commit; divided by jifen_group_commit_commits_total, the mean batch size.",
      );
      out.push(`jifen_group_commit_writes_total ${group.jobs}`);
      family(
        "jifen_group_commit_commits_total",
        "counter",
        "Batches the group commit committed (one durable commit each).",
      );
      out.push(`jifen_group_commit_commits_total ${group.groups}`);
      if (group.syncs !== undefined) {
        family(
          "jifen_group_commit_fsyncs_total",
          "counter",
          "fsyncs of the write-ahead log run by the group commit.",
        );
        out.push(`jifen_group_commit_fsyncs_total ${group.syncs}`);
      }
    }

    const file = databaseFile(this.db);
    if (file !== null) {
      family(
        "jifen_database_file_bytes",
        "gauge",
        "Size of the database's files: the database itself, its write-ahead log and its shared-memory index.",
      );
      for (const [which, path] of [
        ["db", file],
        ["wal", `${file}-wal`],
        ["shm", `${file}-shm`],
      ] as const) {
        out.push(`jifen_database_file_bytes${labels({ file: which })} ${sizeOf(path)}`);
      }
    }

    const memory = process.memoryUsage();
    family("process_resident_memory_bytes", "gauge", "Resident set size of the server process.");
    out.push(`process_resident_memory_bytes ${memory.rss}`);
    family("process_heap_bytes", "gauge", "JavaScript heap in use.");
    out.push(`process_heap_bytes ${memory.heapUsed}`);
    family(
      "process_start_time_seconds",
      "gauge",
      "When the server process started, in seconds since the Unix epoch.",
    );
    out.push(`process_start_time_seconds ${Math.floor(this.startedMs / 1000)}`);
    return out.join("\n") + "\n";
  }

  /** Counts sales and posted entries past the marks: a range of an index, however large the ledger. */
  private catchUp(): void {
    const sales = this.db
      .query<{ n: number; p: number; m: number | null }, [number]>(
        "SELECT COUNT(*) AS n, COALESCE(SUM(total_points), 0) AS p, MAX(id) AS m FROM redemptions WHERE id > ?",
      )
      .get(this.salesSince.lastId)!;
    this.salesSince.count += sales.n;
    this.salesSince.points += sales.p;
    if (sales.m !== null) this.salesSince.lastId = sales.m;
    const rows = this.db
      .query<{ kind: string; n: number; p: number; m: number }, [number]>(
        "SELECT kind, COUNT(*) AS n, COALESCE(SUM(ABS(points)), 0) AS p, MAX(seq) AS m FROM entries WHERE seq > ? GROUP BY kind",
      )
      .all(this.entriesSince.lastSeq);
    for (const r of rows) {
      const v = this.entriesSince.byKind.get(r.kind) ?? { count: 0, points: 0 };
      v.count += r.n;
      v.points += r.p;
      this.entriesSince.byKind.set(r.kind, v);
      this.entriesSince.lastSeq = Math.max(this.entriesSince.lastSeq, r.m);
    }
  }
}

function maxOf(db: Database, sql: string): number {
  return db.query<{ m: number }, []>(sql).get()!.m;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** `{a="x",b="y"}` with the format's escapes (backslash, quote, newline). */
export function labels(values: Record<string, string>): string {
  const parts = Object.entries(values).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`,
  );
  return `{${parts.join(",")}}`;
}

const FORWARDING_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip"] as const;

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.toLowerCase().replace(/^::ffff:/, "");
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** From this machine: a loopback peer, and not a request a proxy passed on (it names another client). */
export function isLocalRequest(request: Request, socketAddress: string | undefined): boolean {
  return isLoopback(socketAddress) && FORWARDING_HEADERS.every((h) => !request.headers.has(h));
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (m === null) return false;
  const given = new TextEncoder().encode(m[1]!);
  const wanted = new TextEncoder().encode(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** GET /metrics. `token`: METRICS_TOKEN, or null to allow this machine only. */
export function registerMetricsRoute(
  app: Hono<AppEnv>,
  metrics: Metrics,
  token: string | null,
): void {
  app.get("/metrics", (c: Context<AppEnv>) => {
    let socket: string | undefined;
    try {
      socket = getConnInfo(c).remote.address;
    } catch {
      socket = undefined; // app.request() in tests: no socket, so not local.
    }
    const local = isLocalRequest(c.req.raw, socket);
    if (!local && !(token !== null && tokenMatches(c.req.header("authorization"), token))) {
      const detail =
        token === null
          ? "Metrics are served only to this machine (set METRICS_TOKEN to allow a scraper elsewhere, with Authorization: Bearer)."
          : "Metrics need Authorization: Bearer with the METRICS_TOKEN of this server, or a request from this machine.";
      const reason = { code: "metrics-not-allowed", params: {} };
      if (token === null) return problemResponse(403, "forbidden", detail, undefined, {}, reason);
      return problemResponse(
        401,
        "unauthenticated",
        detail,
        undefined,
        { "www-authenticate": 'Bearer realm="metrics"' },
        reason,
      );
    }
    return c.body(metrics.render(), 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
      "cache-control": "no-store",
    });
  });
}
