/**
 * Soak: a steady mixed load on the real server process (`bun src/main.ts`) — awards, batches,
 * sales and voids (tests/ops/world.ts) and, as often, the reads a kiosk and a staff page make (a
 * card read, a household's history page) — with the server's memory (RSS, from /proc) and the
 * load's p99 latency sampled in windows. After a warm-up (the first fifth, at least 5 s), a least
 * squares line is fitted to each series and its rise across the measured span is reported and
 * bounded:
 *   - RSS may rise at most SOAK_RSS_RISE_MB (32 MB in the short form; 96 MB from 10 minutes on,
 *     since SQLite's 64 MiB page cache fills as the file grows), and never pass 300 MB;
 *   - p99 may rise at most max(20 ms, its own fitted start): it must not double.
 * Short form in `npm test`: 60 s (SOAK_SECONDS, default 60). One hour:
 *   SOAK_SECONDS=3600 bun test tests/ops/soak.test.ts
 */
import { afterAll, expect, test } from "bun:test";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildWorld,
  LoadClient,
  mulberry,
  startServerProcess,
  type ServerProcess,
} from "./world.ts";

const SECONDS = Number(process.env["SOAK_SECONDS"] ?? 60);
const RSS_RISE_MB = Number(process.env["SOAK_RSS_RISE_MB"] ?? (SECONDS >= 600 ? 96 : 32));
const RSS_MAX_MB = 300;
/** Each of the clients sends one request per period: about 6 × 1000/60 = 100 requests a second. */
const CLIENTS = 6;
const PERIOD_MS = 60;
const WINDOW_MS = Math.max(1000, Math.round((SECONDS * 1000) / 40));

const dir = mkdtempSync(join(tmpdir(), "jifen-soak-"));
let server: ServerProcess | null = null;
afterAll(() => {
  server?.proc.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** Least squares: the slope of y on x, and the fitted line's value at x0. */
function fitLine(points: readonly { x: number; y: number }[]): {
  slope: number;
  at: (x: number) => number;
} {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, at: (x) => my + slope * (x - mx) };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (m === null) throw new Error("no VmRSS in /proc");
  return Number(m[1]) / 1024;
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

test("fitLine finds the slope of a line, and of noise around one", () => {
  expect(
    fitLine([
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 5 },
    ]).slope,
  ).toBeCloseTo(2, 10);
  const random = mulberry(3);
  const noisy = Array.from({ length: 200 }, (_, x) => ({
    x,
    y: 10 + 0.5 * x + (random() - 0.5) * 4,
  }));
  const fit = fitLine(noisy);
  expect(fit.slope).toBeGreaterThan(0.45);
  expect(fit.slope).toBeLessThan(0.55);
  expect(fit.at(0)).toBeGreaterThan(8);
  expect(fit.at(0)).toBeLessThan(12);
});

test(
  `soak: ${SECONDS} s of steady mixed load, memory and p99 flat`,
  async () => {
    const world = await buildWorld(join(dir, "soak.db"));
    server = await startServerProcess(world.file);
    const url = server.url;
    const pid = server.proc.pid;
    const started = performance.now();
    const endAt = started + SECONDS * 1000;
    const latencies: { at: number; ms: number }[] = [];
    const failures: string[] = [];
    const random = mulberry(11);

    const read = async (): Promise<void> => {
      const household = world.households[Math.floor(random() * world.households.length)]!;
      const [path, headers] =
        random() < 0.5
          ? [`/api/kiosk/cards/${household.card}`, { authorization: `Bearer ${world.kiosk}` }]
          : [`/api/households/${household.id}/entries?limit=20`, { cookie: world.staff }];
      const res = await fetch(url + path, { headers, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status !== 200) failures.push(`GET ${path}: ${res.status}`);
    };
    const clients = Array.from(
      { length: CLIENTS },
      (_, i) => new LoadClient(world, () => url, `s${i}`, 10_000, mulberry(100 + i)),
    );
    const runs = clients.map(async (client, i) => {
      await Bun.sleep((i * PERIOD_MS) / CLIENTS);
      for (let n = 0; performance.now() < endAt; n++) {
        const t0 = performance.now();
        if (n % 2 === 0) {
          const o = await client.once();
          if (!o.answered || o.status !== 201)
            failures.push(`${o.op} ${o.key}: ${o.answered ? o.status : o.error}`);
        } else await read();
        const t1 = performance.now();
        latencies.push({ at: t1 - started, ms: t1 - t0 });
        await Bun.sleep(Math.max(0, PERIOD_MS - (t1 - t0)));
      }
    });
    const rss: { x: number; y: number }[] = [];
    const sampler = (async () => {
      while (performance.now() < endAt) {
        await Bun.sleep(WINDOW_MS / 2);
        rss.push({ x: (performance.now() - started) / 1000, y: rssMb(pid) });
      }
    })();
    await Promise.all([...runs, sampler]);
    server.proc.kill("SIGTERM");
    expect(await server.proc.exited).toBe(0);
    server = null;

    expect(failures.slice(0, 10)).toEqual([]);
    const warmUpS = Math.max(5, SECONDS / 5);
    const measured = rss.filter((p) => p.x >= warmUpS);
    const windows: { x: number; y: number }[] = [];
    for (let w = warmUpS * 1000; w + WINDOW_MS <= SECONDS * 1000 + 1; w += WINDOW_MS) {
      const inWindow = latencies.filter((l) => l.at >= w && l.at < w + WINDOW_MS).map((l) => l.ms);
      if (inWindow.length >= 10) windows.push({ x: (w + WINDOW_MS / 2) / 1000, y: p99(inWindow) });
    }
    expect(measured.length).toBeGreaterThanOrEqual(5);
    expect(windows.length).toBeGreaterThanOrEqual(5);
    const spanS = SECONDS - warmUpS;
    const rssFit = fitLine(measured);
    const p99Fit = fitLine(windows);
    const rssRise = rssFit.slope * spanS;
    const p99Rise = p99Fit.slope * spanS;
    const p99Start = p99Fit.at(warmUpS);
    const rate = latencies.length / SECONDS;
    console.log(
      `soak: ${SECONDS} s, ${rate.toFixed(0)} requests/s; RSS ${measured[0]!.y.toFixed(1)} → ${measured.at(-1)!.y.toFixed(1)} MB (max ${Math.max(...rss.map((p) => p.y)).toFixed(1)}), ` +
        `slope ${(rssFit.slope * 60).toFixed(2)} MB/min, fitted rise ${rssRise.toFixed(1)} MB (bound ${RSS_RISE_MB}); ` +
        `p99 per ${WINDOW_MS} ms window ${p99Start.toFixed(1)} ms at start, slope ${(p99Fit.slope * 60).toFixed(2)} ms/min, fitted rise ${p99Rise.toFixed(1)} ms (bound ${Math.max(20, p99Start).toFixed(1)})`,
    );
    expect(Math.max(...rss.map((p) => p.y))).toBeLessThan(RSS_MAX_MB);
    expect(rssRise).toBeLessThan(RSS_RISE_MB);
    expect(p99Rise).toBeLessThan(Math.max(20, p99Start));
  },
  (SECONDS + 90) * 1000,
);
