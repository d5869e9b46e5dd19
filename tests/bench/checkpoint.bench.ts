/**
 * `bun run bench checkpoint`: what a daily checkpoint saves. A ledger of ENTRIES posted entries
 * (tests/bench/ledger-build.ts, 10 villages of 1,000 households), its first checkpoint taken by
 * the server's own daily job (`takeCheckpoint`, a full walk on the ops thread), then AFTER awards
 * recorded through the use case (a busy county day is about 80,000). Five runs each, alternating,
 * of the baseline `bun run verify` (every entry, on every core) and of
 * `bun run verify --since-checkpoint` (the entries after the checkpoint, and every household once).
 *
 *   CHECKPOINT_BENCH_ENTRIES=1000000 CHECKPOINT_BENCH_AFTER=30000 bun run bench checkpoint
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildLedger } from "./ledger-build.ts";
import { fmt, median } from "./stats.ts";
import { systemAudit } from "../../src/audit/audit.ts";
import { recordEntry } from "../../src/ledger/entry.ts";
import { takeCheckpoint } from "../../src/ops/daily.ts";

const ENTRIES = Number(process.env["CHECKPOINT_BENCH_ENTRIES"] ?? 1_000_000);
const AFTER = Number(process.env["CHECKPOINT_BENCH_AFTER"] ?? 30_000);
const RUNS = 5;
const VILLAGES = 10;
const HOUSEHOLDS_PER_VILLAGE = 1000;
const RULES_PER_VILLAGE = 6; // as ledger-build.ts makes them; rule 1 of each village awards
const DAY_MS = 86_400_000;
const CLI = join(import.meta.dir, "../../src/ledger/verify-cli.ts");

const dir = mkdtempSync(join(tmpdir(), "jifen-checkpoint-bench-"));
const path = join(dir, "ledger.db");
try {
  let startedMs = performance.now();
  const db = buildLedger({
    path,
    entries: ENTRIES,
    villages: VILLAGES,
    householdsPerVillage: HOUSEHOLDS_PER_VILLAGE,
  });
  db.run("PRAGMA synchronous = FULL");
  console.log(
    `built ${ENTRIES.toLocaleString("en")} entries in ${fmt((performance.now() - startedMs) / 1000)} s`,
  );
  const nowMs = Date.UTC(2026, 11, 4, 2);
  startedMs = performance.now();
  const first = await takeCheckpoint(db, nowMs);
  if (first.kind !== "recorded") throw new Error(`no checkpoint: ${JSON.stringify(first)}`);
  console.log(
    `first checkpoint (the daily job's full walk, one ops thread): ${fmt((performance.now() - startedMs) / 1000)} s`,
  );
  db.run("PRAGMA synchronous = OFF");
  db.transaction(() => {
    const audit = { ...systemAudit(nowMs + DAY_MS), actorKind: "user" as const };
    for (let i = 0; i < AFTER; i++) {
      const householdId = 1 + ((i * 7919) % (VILLAGES * HOUSEHOLDS_PER_VILLAGE));
      const villageIndex = Math.floor((householdId - 1) / HOUSEHOLDS_PER_VILLAGE);
      const r = recordEntry(
        db,
        audit,
        { username: "clerk" },
        { householdId, ruleId: villageIndex * RULES_PER_VILLAGE + 1 },
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
  })();
  db.close();
  console.log(`then ${AFTER.toLocaleString("en")} awards after it`);

  const time = (args: string[]): number => {
    const t = performance.now();
    const p = Bun.spawnSync([process.execPath, CLI, ...args], {
      env: { ...process.env, DATABASE_PATH: path },
    });
    const ms = performance.now() - t;
    if (p.exitCode !== 0)
      throw new Error(`verify ${args.join(" ")} failed: ${p.stderr.toString()}`);
    return ms;
  };
  const full: number[] = [];
  const since: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    full.push(time([]));
    since.push(time(["--since-checkpoint"]));
  }
  const f = median(full);
  const s = median(since);
  console.log(
    `bun run verify (baseline), ${(ENTRIES + AFTER).toLocaleString("en")} entries: ${full.map((x) => fmt(x / 1000)).join(", ")} s; median ${fmt(f / 1000)} s`,
  );
  console.log(
    `bun run verify --since-checkpoint, ${AFTER.toLocaleString("en")} after it: ${since.map((x) => fmt(x)).join(", ")} ms; median ${fmt(s)} ms (${fmt(f / s)}× faster)`,
  );
  console.log("(each time is the whole command: Bun's start, opening the file, the walk)");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
