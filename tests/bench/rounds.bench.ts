/**
 * An inspection round (issue 18) as a scoring team makes it on a tablet, against the real server
 * on loopback with a database file (WAL, synchronous FULL through the group commit): a round of
 * 300 households × 5 rules, every one of its 1,500 cells set by its own PUT, one after another,
 * then submitted (1,500 ledger entries in one transaction). Three rounds in a row.
 * Reported: the PUT's p50/p99 against the baseline, a primary-key read through the same app
 * (GET /api/households/:id, as many, one after another, interleaved in the same run); the submit's
 * time; the grid's load (GET /api/rounds/:id) with every cell set.
 * Targets (the brief: "quick on this machine"): PUT p99 ≤ 15 ms, submit ≤ 1 s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createApp } from "../../src/http/app.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { immediate } from "../../src/db/open.ts";
import { hashPassword, insertUser, setPasswordCost } from "../../src/auth/users.ts";
import { insertHousehold } from "../../src/villages/household-store.ts";
import { fmt, summarize, verdict } from "./stats.ts";

const HOUSEHOLDS = 300;
const RULES = 5;
const ROUNDS = 3;
const PUT_P99_TARGET_MS = 15;
const SUBMIT_TARGET_MS = 1000;
const PASSWORD = "bench-staff-password";

setPasswordCost({ memoryCost: 1024, timeCost: 1 });
const dir = mkdtempSync(join(tmpdir(), "jifen-bench-rounds-"));
const db = openDatabase(join(dir, "bench.db"));
migrate(db, systemClock.nowMs());
const { villageId, householdIds, ruleIds } = immediate(db, () => {
  const villageId = db
    .query<{ id: number }, []>(
      "INSERT INTO villages (name, code, created_at_ms) VALUES ('基准村', 'BENCH', 0) RETURNING id",
    )
    .get()!.id;
  insertUser(db, {
    username: "bench_clerk",
    displayName: "基准网格员",
    passwordHash: hashPassword(PASSWORD),
    role: "clerk",
    villageId,
    nowMs: 0,
  });
  const householdIds = Array.from({ length: HOUSEHOLDS }, (_, i) =>
    insertHousehold(
      db,
      villageId,
      {
        headName: `住户${i}`,
        address: `基准村${(i % 6) + 1}组${Math.floor(i / 6) + 1}号`,
        externalId: null,
        members: [],
      },
      0,
    ),
  );
  const ruleIds = Array.from(
    { length: RULES },
    (_, i) =>
      db
        .query<{ id: number }, [number, string, string, number]>(
          "INSERT INTO rules (village_id, code, title, category, points, created_at_ms) VALUES (?, ?, ?, 'environment', ?, 0) RETURNING id",
        )
        .get(villageId, `HJ-${i}`, `人居环境${i}`, i === RULES - 1 ? -2 : 3)!.id,
  );
  return { villageId, householdIds, ruleIds };
});

let app: ReturnType<typeof createApp> | null = null;
const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: (req, srv) => app!.fetch(req, srv),
});
const origin = `http://127.0.0.1:${server.port}`;
app = createApp(db, systemClock, { publicUrl: origin, log: null });

const login = await fetch(`${origin}/api/auth/login`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "bench_clerk", password: PASSWORD }),
});
const cookie = login.headers.get("set-cookie")!.split(";")[0]!;

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ ms: number; status: number; json: any }> {
  const t0 = performance.now();
  const res = await fetch(origin + path, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = text === "" ? null : JSON.parse(text);
  return { ms: performance.now() - t0, status: res.status, json };
}

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const puts: number[] = [];
const reads: number[] = [];
const submits: number[] = [];
const grids: number[] = [];
let entries = 0;

// Warm-up: the same requests, untimed, on a round that is then deleted.
{
  const warm = await call("POST", `/api/villages/${villageId}/rounds`, {
    name: "预热",
    day: today,
    ruleIds: ruleIds.map(String),
  });
  for (let i = 0; i < 300; i++) {
    await call(
      "PUT",
      `/api/rounds/${warm.json.round.id}/scores/${householdIds[i % HOUSEHOLDS]}/${ruleIds[i % RULES]}`,
      { quantity: 1 },
    );
    await call("GET", `/api/households/${householdIds[i % HOUSEHOLDS]}`);
  }
  await call("DELETE", `/api/rounds/${warm.json.round.id}`);
}

for (let r = 0; r < ROUNDS; r++) {
  const made = await call("POST", `/api/villages/${villageId}/rounds`, {
    name: `第${r + 1}轮评比`,
    day: today,
    ruleIds: ruleIds.map(String),
  });
  if (made.status !== 201) throw new Error(`round: ${made.status} ${JSON.stringify(made.json)}`);
  const roundId = made.json.round.id as string;
  for (const householdId of householdIds) {
    for (const ruleId of ruleIds) {
      const put = await call("PUT", `/api/rounds/${roundId}/scores/${householdId}/${ruleId}`, {
        quantity: 1 + ((householdId + ruleId) % 3),
        ...(ruleId === ruleIds[RULES - 1] ? { note: "门前堆放杂物" } : {}),
      });
      if (put.status !== 200) throw new Error(`PUT: ${put.status} ${JSON.stringify(put.json)}`);
      puts.push(put.ms);
      const read = await call("GET", `/api/households/${householdId}`);
      if (read.status !== 200) throw new Error(`GET household: ${read.status}`);
      reads.push(read.ms);
    }
  }
  const grid = await call("GET", `/api/rounds/${roundId}`);
  if (grid.json.scores.length !== HOUSEHOLDS * RULES) throw new Error("the grid lacks cells");
  grids.push(grid.ms);
  const submitted = await call("POST", `/api/rounds/${roundId}/submit`);
  if (submitted.status !== 200)
    throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.json)}`);
  submits.push(submitted.ms);
  entries += submitted.json.entries as number;
}

const put = summarize(puts);
const read = summarize(reads);
const chain = db
  .query<{ n: number }, []>("SELECT count(*) AS n FROM entries WHERE status = 'posted'")
  .get()!.n;
console.log(
  `rounds: ${ROUNDS} rounds of ${HOUSEHOLDS} households × ${RULES} rules, ${entries} entries recorded (${chain} posted in the ledger)`,
);
console.log(
  `  PUT a cell            p50 ${fmt(put.p50)} ms  p99 ${fmt(put.p99)} ms  (n=${put.n})  target p99 ≤ ${PUT_P99_TARGET_MS} ms: ${verdict(put.p99 <= PUT_P99_TARGET_MS)}`,
);
console.log(
  `  baseline GET by key   p50 ${fmt(read.p50)} ms  p99 ${fmt(read.p99)} ms  (n=${read.n}); PUT/baseline p50 ×${fmt(put.p50 / read.p50)}, p99 ×${fmt(put.p99 / read.p99)}`,
);
console.log(
  `  submit (1,500 entries) ${submits.map(fmt).join(", ")} ms  target ≤ ${SUBMIT_TARGET_MS} ms: ${verdict(Math.max(...submits) <= SUBMIT_TARGET_MS)}`,
);
console.log(`  grid load (1,500 cells) ${grids.map(fmt).join(", ")} ms`);

server.stop(true);
db.close();
rmSync(dir, { recursive: true, force: true });
