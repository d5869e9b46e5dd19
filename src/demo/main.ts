/**
 * `bun run demo`: builds a fresh demo database from a fixed seed (a township of 3 villages, about
 * 600 households, their rules, goods, kiosks, cards and a year of entries), then serves it and
 * prints the addresses of each page and the demo logins; its start page at `/` shows them too.
 *
 * The year ends now, or at 15:00 China time on DEMO_TODAY=YYYY-MM-DD (after the morning's
 * recording): with the same seed and DEMO_TODAY the database is the same. Whatever the day, its
 * closing scene (data/closing.ts) leaves entries on notice, claims and objections waiting, this
 * month's awards and a filled board. With DEMO_TODAY the server's clock runs from that moment,
 * so notices end when the demo's own calendar says.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { buildDemoDatabase, DEMO_SEED } from "./build.ts";
import { demoPrintout, demoShowcase } from "./showcase.ts";
import { optionsFromEnv, startServer } from "../main.ts";
import { shanghaiDayStartMs, shanghaiMinute } from "../shared/calendar.ts";
import { HOUR_MS, type Clock } from "../shared/clock.ts";

/** On a fixed DEMO_TODAY the demo's present is this far into the day. */
const DEMO_TODAY_TIME_MS = 15 * HOUR_MS;

function demoNowMs(): number {
  const fixed = process.env["DEMO_TODAY"];
  if (fixed === undefined) return Date.now();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(fixed) || Number.isNaN(shanghaiDayStartMs(fixed)))
    throw new Error(`DEMO_TODAY must be YYYY-MM-DD, not ${fixed}`);
  return shanghaiDayStartMs(fixed) + DEMO_TODAY_TIME_MS;
}

const env = { ...process.env, DATABASE_PATH: process.env["DATABASE_PATH"] ?? "data/demo.db" };
const options = optionsFromEnv(env);
const path = options.databasePath;
mkdirSync(dirname(path), { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) if (existsSync(path + suffix)) rmSync(path + suffix);

const nowMs = demoNowMs();
const startedMs = performance.now();
const summary = await buildDemoDatabase(path, {
  seed: DEMO_SEED,
  nowMs,
  publicUrl: options.publicUrl,
  log: (line) => console.log(`demo: ${line}`),
});
console.log(`demo: built ${path} in ${((performance.now() - startedMs) / 1000).toFixed(1)} s`);

// The server's time goes on from the demo's present (the same as the wall clock without DEMO_TODAY).
const offsetMs = nowMs - Date.now();
const clock: Clock = { nowMs: () => Date.now() + offsetMs };
const server = startServer({
  ...options,
  adminPassword: undefined,
  quiet: true,
  clock,
  demo: demoShowcase(summary),
});
const base =
  process.env["PUBLIC_URL"] === undefined && options.port === 0 ? server.url : options.publicUrl;
console.log(demoPrintout(summary, base, shanghaiMinute(nowMs)));

process.on("SIGINT", () => {
  server.stop();
  process.exit(0);
});
