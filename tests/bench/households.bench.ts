/**
 * Household search over 100,000 households (p50/p99 through the real app, target p99 ≤ 5 ms) and
 * CSV import of 10,000 rows (target ≤ 2 s). The baseline, measured in the same run, is the bare
 * SQLite lookup by primary key, so the ratio shows what search costs beyond the cheapest query.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createApp } from "../../src/http/app.ts";
import { ensureAdmin } from "../../src/auth/bootstrap.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { insertHousehold } from "../../src/villages/household-store.ts";
import { createRandom } from "../../src/demo/data/random.ts";
import { generateHousehold } from "../../src/demo/data/names.ts";
import { fmt, median, summarize, verdict } from "./stats.ts";

const HOUSEHOLDS = Number(process.env["BENCH_HOUSEHOLDS"] ?? 100_000);
const SEARCHES = 2_000;
const IMPORT_ROWS = 10_000;
const IMPORT_RUNS = 5;

const dir = mkdtempSync(join(tmpdir(), "jifen-bench-"));
const db = openDatabase(join(dir, "bench.db"));
migrate(db, systemClock.nowMs());
ensureAdmin(db, "bench-admin-password", systemClock.nowMs());
const app = createApp(db, systemClock, { log: null });
const village = db
  .query<{ id: number }, []>(
    "INSERT INTO villages (name, code, created_at_ms) VALUES ('基准村', 'BENCH', 0) RETURNING id",
  )
  .get()!.id;
const importVillage = db
  .query<{ id: number }, []>(
    "INSERT INTO villages (name, code, created_at_ms) VALUES ('导入村', 'IMP', 0) RETURNING id",
  )
  .get()!.id;

const rng = createRandom(7);
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
        address: `${(i % 12) + 1}组${i}号`,
        externalId: `B${i}`,
        members: h.members.slice(1).map((m) => ({ name: m.name, relation: m.relation })),
      },
      0,
    );
  }
})();
setupMs = performance.now() - setupMs;
console.log(`setup: ${HOUSEHOLDS} households in ${Math.round(setupMs)} ms`);

const login = await app.request("/api/auth/login", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "admin", password: "bench-admin-password" }),
});
const cookie = login.headers.get("set-cookie")!.split(";")[0]!;

async function timeRequests(paths: string[]): Promise<number[]> {
  const samples: number[] = [];
  for (const path of paths) {
    const t0 = performance.now();
    const res = await app.request(path, { headers: { cookie } });
    await res.arrayBuffer();
    samples.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
  }
  return samples;
}

const queries: string[] = [];
const pick = createRandom(11);
for (let i = 0; i < SEARCHES; i++) {
  const name = pick.pick(names);
  const kind = i % 4;
  const search =
    kind === 0
      ? name.slice(0, 2)
      : kind === 1
        ? name.slice(0, 1)
        : kind === 2
          ? pinyinOf(name)
          : `B${pick.int(0, HOUSEHOLDS - 1)}`;
  queries.push(`/api/villages/${village}/households?search=${encodeURIComponent(search)}&limit=20`);
}
function pinyinOf(name: string): string {
  return db
    .query<{ head_initials: string }, [string]>(
      "SELECT head_initials FROM households WHERE head_name = ? LIMIT 1",
    )
    .get(name)!.head_initials;
}
const baselinePaths = Array.from(
  { length: SEARCHES },
  () => `/api/households/${pick.int(1, HOUSEHOLDS)}`,
);

await timeRequests(queries.slice(0, 200)); // warm up
const base = summarize(await timeRequests(baselinePaths));
const search = summarize(await timeRequests(queries));
console.log(
  `household by id (baseline): p50 ${fmt(base.p50)} ms  p99 ${fmt(base.p99)} ms  (n=${base.n})`,
);
console.log(
  `household search over ${HOUSEHOLDS}: p50 ${fmt(search.p50)} ms  p99 ${fmt(search.p99)} ms  (n=${search.n}; name prefix, surname, pinyin initials, external id)`,
);
console.log(
  `  ratio p50 search / baseline: ${fmt(search.p50 / base.p50)}×   target p99 ≤ 5 ms: ${verdict(search.p99 <= 5)}`,
);

// CSV import: 10,000 rows, a fresh file each run so every row is created.
const importTimes: number[] = [];
for (let run = 0; run < IMPORT_RUNS; run++) {
  const lines = ["户主,住址,成员,编号"];
  for (let i = 0; i < IMPORT_ROWS; i++) {
    const h = generateHousehold(rng, { referenceYear: 2026 });
    lines.push(
      `${h.members[0]!.name},${(i % 9) + 1}组${i}号,${h.members.map((m) => m.name).join("、")},R${run}-${i}`,
    );
  }
  const body = lines.join("\n");
  const t0 = performance.now();
  const res = await app.request(`/api/villages/${importVillage}/households/import`, {
    method: "POST",
    headers: { cookie, "content-type": "text/csv" },
    body,
  });
  const result = (await res.json()) as { created: number };
  importTimes.push(performance.now() - t0);
  if (result.created !== IMPORT_ROWS) throw new Error(`import created ${result.created}`);
}
const importMedian = median(importTimes);
console.log(
  `CSV import of ${IMPORT_ROWS} rows: median ${Math.round(importMedian)} ms over ${IMPORT_RUNS} runs (${importTimes.map((t) => Math.round(t)).join(", ")})   target ≤ 2000 ms: ${verdict(importMedian <= 2000)}`,
);

db.close();
rmSync(dir, { recursive: true, force: true });
