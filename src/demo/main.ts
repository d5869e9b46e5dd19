/**
 * `bun run demo`: builds a fresh demo database from a fixed seed (a township of 3 villages, about
 * 600 households, their rules, goods, kiosks, cards and a year of entries), then serves it and
 * prints the addresses of each page and the demo logins.
 *
 * The year ends yesterday (or on DEMO_TODAY=YYYY-MM-DD): with the same seed and the same day the
 * database is the same, and the newest entries are still on public notice as they would be.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { buildDemoDatabase } from "./build.ts";
import { optionsFromEnv, startServer } from "../main.ts";
import { shanghaiDay, shanghaiDayStartMs } from "../shared/calendar.ts";

export const DEMO_SEED = 20261123;

function demoTodayMs(): number {
  const fixed = process.env["DEMO_TODAY"];
  if (fixed !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(fixed) || Number.isNaN(shanghaiDayStartMs(fixed))) throw new Error(`DEMO_TODAY must be YYYY-MM-DD, not ${fixed}`);
    return shanghaiDayStartMs(fixed);
  }
  // Midnight today in China.
  return shanghaiDayStartMs(shanghaiDay(Date.now()));
}

const env = { ...process.env, DATABASE_PATH: process.env["DATABASE_PATH"] ?? "data/demo.db" };
const options = optionsFromEnv(env);
const path = options.databasePath;
mkdirSync(dirname(path), { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) if (existsSync(path + suffix)) rmSync(path + suffix);

const todayMs = demoTodayMs();
const startedMs = performance.now();
const summary = await buildDemoDatabase(path, { seed: DEMO_SEED, todayMs, publicUrl: options.publicUrl, log: (line) => console.log(`demo: ${line}`) });
console.log(`demo: built ${path} in ${((performance.now() - startedMs) / 1000).toFixed(1)} s`);

const server = startServer({ ...options, adminPassword: undefined, quiet: true });
const base = options.publicUrl;
console.log(`
jifen demo township ${summary.townshipName} is running at ${base}

  Kiosk (points supermarket), ${summary.villages[0]?.name}:   ${base}/kiosk?pair=${summary.villages[0]?.kioskToken}
  Resident card page (scan the QR on a card):    ${summary.sampleCardUrl}
  Public board (a screen in the village office): ${base}/board/${summary.villages[0]?.id}
  API documentation:                             ${base}/api/docs
  Card sheet for printing:                       ${base}/api/villages/${summary.villages[0]?.id}/cards/print
    (staff pages come later: sign in first at /api/docs → POST /api/auth/login → Try it out,
     with one of the logins below; the browser keeps the session cookie)

  Logins (password ${summary.password} for all):
${summary.logins.map((l) => `    ${l.username.padEnd(10)} ${l.role.padEnd(15)} ${l.village ?? "whole township"}`).join("\n")}

  Kiosk pairing links for the other villages:
${summary.villages
  .slice(1)
  .map((v) => `    ${v.name}: ${base}/kiosk?pair=${v.kioskToken}`)
  .join("\n")}

Press Ctrl+C to stop.`);

process.on("SIGINT", () => {
  server.stop();
  process.exit(0);
});
