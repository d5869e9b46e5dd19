/**
 * GET /metrics on the real server (startServer, a real socket): the text parses back as the
 * Prometheus exposition format (every sample under a declared family of its type, histograms
 * cumulative up to +Inf = count), its figures match what the load did (sales, points, requests by
 * route pattern and status), and only this machine or a holder of METRICS_TOKEN may read it; a
 * request a proxy passed on is never "this machine", whatever TRUST_PROXY says.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../src/main.ts";
import { isLocalRequest, isLoopback } from "../../src/ops/metrics.ts";
import { createHarness } from "../support/harness.ts";
import { buildWorld, LoadClient, mulberry, type World } from "./world.ts";

const TOKEN = "metrics-token-for-tests-0123456789";
const dir = mkdtempSync(join(tmpdir(), "jifen-metrics-"));
let world: World;
let server: ReturnType<typeof startServer>;
let base: string;

beforeAll(async () => {
  world = await buildWorld(join(dir, "m.db"));
  server = startServer({
    port: 0,
    databasePath: world.file,
    publicUrl: "http://127.0.0.1",
    adminPassword: "x".repeat(20),
    quiet: true,
    trustedProxies: 1,
    metricsToken: TOKEN,
  });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Sample = { name: string; labels: Record<string, string>; value: number };
type Family = { type: string; help: string; samples: Sample[] };

/** A strict reader of the text format: throws on any line it does not understand. */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  let help: { name: string; text: string } | null = null;
  for (const line of text.slice(0, -1).split("\n")) {
    let m: RegExpExecArray | null;
    if ((m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line)))
      help = { name: m[1]!, text: m[2]! };
    else if (
      (m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(
        line,
      ))
    ) {
      if (families.has(m[1]!)) throw new Error(`family ${m[1]} declared twice`);
      if (help === null || help.name !== m[1]) throw new Error(`TYPE of ${m[1]} without its HELP`);
      families.set(m[1]!, { type: m[2]!, help: help.text, samples: [] });
    } else if (
      (m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|\+Inf|NaN)$/.exec(line))
    ) {
      const name = m[1]!;
      const labels: Record<string, string> = {};
      const labelText = m[3] ?? "";
      const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
      let consumed = 0;
      let l: RegExpExecArray | null;
      while (consumed < labelText.length && (l = labelRe.exec(labelText))) {
        labels[l[1]!] = l[2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
        consumed = labelRe.lastIndex;
      }
      if (consumed !== labelText.length) throw new Error(`bad labels: ${line}`);
      const family = families.get(name) ?? families.get(name.replace(/_(bucket|sum|count)$/, ""));
      if (family === undefined) throw new Error(`sample without a declared family: ${line}`);
      if (family.type !== "histogram" && !families.has(name))
        throw new Error(`suffix on a ${family.type}: ${line}`);
      family.samples.push({ name, labels, value: Number(m[4]) });
    } else throw new Error(`not the exposition format: ${JSON.stringify(line)}`);
  }
  return families;
}

const scrape = async (headers: Record<string, string> = {}) =>
  fetch(`${base}/metrics`, { headers });

describe("the figures", () => {
  test("parse back and match the load: requests, latency, sales, points, files, group commit", async () => {
    const client = new LoadClient(world, () => base, "m", 10_000, mulberry(7));
    for (let i = 0; i < 60; i++) await client.once();
    await fetch(`${base}/api/no-such-route`);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const families = parseExposition(await res.text());

    const acked = client.outcomes.filter((o) => o.answered && o.status === 201);
    expect(acked.length).toBe(60);
    const sales = acked.filter((o) => o.op === "sale");
    const voids = acked.filter((o) => o.op === "void");
    const value = (name: string, labels: Record<string, string> = {}) =>
      (families.get(name.replace(/_(bucket|sum|count)$/, "")) ?? families.get(name))!.samples.find(
        (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      )?.value;

    // Requests, by route pattern (never the raw path) and status.
    expect(
      value("jifen_http_requests_total", {
        method: "POST",
        route: "/api/redemptions",
        status: "201",
      }),
    ).toBe(sales.length);
    expect(
      value("jifen_http_requests_total", {
        method: "POST",
        route: "/api/redemptions/:id/void",
        status: "201",
      }),
    ).toBe(voids.length);
    expect(
      families.get("jifen_http_requests_total")!.samples.some((s) => s.labels["status"] === "404"),
    ).toBe(true);
    expect(
      families
        .get("jifen_http_requests_total")!
        .samples.every((s) => !/\d{2,}/.test(s.labels["route"]!) || s.labels["route"] === "/*"),
    ).toBe(true);

    // Histograms: buckets cumulative, +Inf equals the count, every route with its _sum.
    const hist = families.get("jifen_http_request_duration_seconds")!;
    expect(hist.type).toBe("histogram");
    const routes = new Set(hist.samples.map((s) => `${s.labels["method"]} ${s.labels["route"]}`));
    for (const route of routes) {
      const [method, path] = route.split(" ") as [string, string];
      const of = hist.samples.filter(
        (s) => s.labels["method"] === method && s.labels["route"] === path,
      );
      const buckets = of.filter((s) => s.name.endsWith("_bucket"));
      for (let i = 1; i < buckets.length; i++)
        expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
      expect(buckets.at(-1)!.labels["le"]).toBe("+Inf");
      expect(buckets.at(-1)!.value).toBe(of.find((s) => s.name.endsWith("_count"))!.value);
      expect(of.find((s) => s.name.endsWith("_sum"))!.value).toBeGreaterThan(0);
    }
    expect(
      value("jifen_http_request_duration_seconds_count", {
        method: "POST",
        route: "/api/redemptions",
      }),
    ).toBe(sales.length);

    // Sales and points moved, read from the database since the server started.
    expect(value("jifen_sales_total")).toBe(sales.length);
    expect(value("jifen_sales_points_total")).toBe(
      sales.reduce((sum, o) => sum + (o.answered ? (o.body.totalPoints as number) : 0), 0),
    );
    expect(value("jifen_ledger_entries_posted_total", { kind: "redemption" })).toBe(sales.length);
    const awarded = acked.flatMap((o) =>
      o.answered && o.op === "award"
        ? [o.body.entry]
        : o.answered && o.op === "batch"
          ? o.body.entries
          : [],
    ) as { points: number; kind: string }[];
    for (const kind of ["award", "deduction"]) {
      const of = awarded.filter((e) => e.kind === kind);
      expect(value("jifen_ledger_entries_posted_total", { kind }) ?? 0).toBe(of.length);
      expect(value("jifen_ledger_points_moved_total", { kind }) ?? 0).toBe(
        of.reduce((s, e) => s + Math.abs(e.points), 0),
      );
    }
    expect(value("jifen_ledger_entries_posted_total", { kind: "reversal" }) ?? 0).toBe(
      voids.length,
    );

    // The group commit took every write but the voids (they commit on their own).
    expect(value("jifen_group_commit_writes_total")).toBeGreaterThanOrEqual(
      acked.length - voids.length,
    );
    expect(value("jifen_group_commit_commits_total")).toBeGreaterThan(0);
    expect(value("jifen_database_file_bytes", { file: "db" })).toBeGreaterThan(100_000);
    expect(value("jifen_database_file_bytes", { file: "wal" })).toBeGreaterThan(0);
    expect(value("process_resident_memory_bytes")).toBeGreaterThan(10_000_000);
  }, 60_000);
});

test("whatever methods clients invent, the series stay bounded: one OTHER", async () => {
  for (const method of ["BREW", "PROPFIND", "X-ANYTHING-1", "X-ANYTHING-2"])
    await fetch(`${base}/healthz`, { method });
  const families = parseExposition(await (await scrape()).text());
  const methods = new Set(
    families.get("jifen_http_requests_total")!.samples.map((s) => s.labels["method"]),
  );
  expect(
    [...methods].filter(
      (m) => !["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].includes(m!),
    ),
  ).toEqual(["OTHER"]);
});

describe("who may read them", () => {
  test("this machine may, directly", async () => {
    expect((await scrape()).status).toBe(200);
  });

  test("a request passed on by a proxy is not this machine's, even from a trusted proxy on loopback", async () => {
    for (const headers of [
      { "x-forwarded-for": "127.0.0.1" } as Record<string, string>,
      { "x-forwarded-for": "203.0.113.9" },
      { forwarded: "for=127.0.0.1" },
      { "x-real-ip": "127.0.0.1" },
    ]) {
      const res = await scrape(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toStartWith("application/problem+json");
      expect(((await res.json()) as { code: string }).code).toBe("metrics-not-allowed");
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  test("the token lets a proxied scraper in; a wrong or missing token does not", async () => {
    expect(
      (await scrape({ "x-forwarded-for": "203.0.113.9", authorization: `Bearer ${TOKEN}` })).status,
    ).toBe(200);
    expect(
      (await scrape({ "x-forwarded-for": "203.0.113.9", authorization: `Bearer ${TOKEN}x` }))
        .status,
    ).toBe(401);
    expect(
      (await scrape({ "x-forwarded-for": "203.0.113.9", authorization: `Basic ${TOKEN}` })).status,
    ).toBe(401);
  });

  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === "IPv4" && !a.internal)?.address;
  test.skipIf(lan === undefined)(
    "another machine (this one's LAN address) needs the token; without METRICS_TOKEN it is refused outright",
    async () => {
      // Bun.serve in startServer listens on every interface.
      expect((await fetch(`http://${lan}:${server.port}/metrics`)).status).toBe(401);
      expect(
        (
          await fetch(`http://${lan}:${server.port}/metrics`, {
            headers: { authorization: `Bearer ${TOKEN}` },
          })
        ).status,
      ).toBe(200);
      const noToken = startServer({
        port: 0,
        databasePath: join(dir, "plain.db"),
        publicUrl: "http://127.0.0.1",
        adminPassword: "x".repeat(20),
        quiet: true,
        trustedProxies: 0,
        metricsToken: null,
      });
      try {
        const res = await fetch(`http://${lan}:${noToken.port}/metrics`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(res.status).toBe(403);
        expect((await fetch(`http://127.0.0.1:${noToken.port}/metrics`)).status).toBe(200);
      } finally {
        noToken.stop();
      }
    },
    30_000,
  );

  test("loopback is 127/8, ::1 and mapped 127/8; an app without a socket is not local", async () => {
    for (const a of ["127.0.0.1", "127.3.2.1", "::1", "::ffff:127.0.0.1"])
      expect(isLoopback(a)).toBe(true);
    for (const a of ["192.0.2.2", "::ffff:10.0.0.1", "fe80::1", "1127.0.0.1", undefined])
      expect(isLoopback(a)).toBe(false);
    expect(isLocalRequest(new Request("http://x/metrics"), "127.0.0.1")).toBe(true);
    expect(
      isLocalRequest(
        new Request("http://x/metrics", { headers: { "x-forwarded-for": "127.0.0.1" } }),
        "127.0.0.1",
      ),
    ).toBe(false);
    const h = createHarness({ file: false });
    try {
      expect((await h.request("GET", "/metrics")).status).toBe(403);
    } finally {
      h.close();
    }
  });
});
