/**
 * The kiosk's card read `GET /api/kiosk/cards/:token` at county size (issue 18: it now answers the
 * honour score and the star tier beside the balance), through the real app on a database file:
 * 1,000,000 posted entries over 30 villages × 400 households, one very active household holding
 * 10,000 of them. Target p99 ≤ 5 ms, for an ordinary household and for the very active one.
 *
 * Baseline in the same run: `GET /api/villages/:id`, a primary-key read through the same app. And,
 * in-process, what the honour score would cost a read if it were summed over the household's
 * entries (`honourScore`, the statements' sum) instead of read from `households.honour`, kept as
 * entries post (migrations/0019): the reason it is kept. Set CARD_BENCH_ENTRIES for a smaller
 * ledger (the verdict then says so).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/http/app.ts";
import { ensureAdmin } from "../../src/auth/bootstrap.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { newDeviceToken } from "../../src/auth/sessions.ts";
import { insertCard } from "../../src/villages/card-store.ts";
import { honourScore } from "../../src/statements/honour.ts";
import { buildLedger } from "./ledger-build.ts";
import { fmt, summarize, verdict } from "./stats.ts";

const ENTRIES = Number(process.env["CARD_BENCH_ENTRIES"] ?? 1_000_000);
const READS = 3_000;
const WARMUP = 300;
const HOT_ENTRIES = 10_000;
const TARGET_P99_MS = 5;

const dir = mkdtempSync(join(tmpdir(), "jifen-bench-card-"));
const built = performance.now();
const db = buildLedger({
  path: join(dir, "county.db"),
  entries: ENTRIES,
  villages: 30,
  householdsPerVillage: 400,
  hotHousehold: { id: 1, entries: HOT_ENTRIES },
});
console.log(
  `built ${ENTRIES.toLocaleString("en")} entries in ${((performance.now() - built) / 1000).toFixed(1)} s`,
);
ensureAdmin(db, "bench-admin-password", Date.now());
const app = createApp(db, systemClock, { log: null });

// Village 1's kiosk; the hot household (1) and 200 ordinary ones of village 1 get cards.
const { token, hash } = newDeviceToken();
db.query(
  "INSERT INTO kiosks (village_id, name, token_hash, created_at_ms) VALUES (1, 'bench', ?, 0)",
).run(hash);
const hot = insertCard(db, 1, 1, Date.now()).token;
const ordinary = Array.from({ length: 200 }, (_, i) => insertCard(db, 2 + i, 1, Date.now()).token);
const hotEntries = db
  .query<{ n: number }, []>("SELECT count(*) AS n FROM entries WHERE household_id = 1")
  .get()!.n;
const adminCookie = await (async () => {
  const res = await app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "bench-admin-password" }),
  });
  return res.headers.get("set-cookie")!.split(";")[0]!;
})();

async function time(
  paths: () => string,
  headers: Record<string, string>,
  check: (body: any) => void,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < WARMUP + READS; i++) {
    const t0 = performance.now();
    const res = await app.request(paths(), { headers });
    const body = await res.json();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
    check(body);
    if (i >= WARMUP) out.push(ms);
  }
  return out;
}

let k = 0;
const kioskAuth = { authorization: `Bearer ${token}` };
const hasHonour = (b: any) => {
  if (
    typeof b.balance !== "number" ||
    (b.honourScore !== undefined && typeof b.honourScore !== "number")
  )
    throw new Error("no figures");
};
const base = summarize(
  await time(
    () => "/api/villages/1",
    { cookie: adminCookie },
    () => {},
  ),
);
const plain = summarize(
  await time(() => `/api/kiosk/cards/${ordinary[k++ % ordinary.length]}`, kioskAuth, hasHonour),
);
const busy = summarize(await time(() => `/api/kiosk/cards/${hot}`, kioskAuth, hasHonour));
const sample = (await (
  await app.request(`/api/kiosk/cards/${hot}`, { headers: kioskAuth })
).json()) as { balance: number; honourScore?: number; star?: number | null };

// What a sum over the household's entries would add to each read, in-process.
const sums: number[] = [];
for (let i = 0; i < 500; i++) {
  const t0 = performance.now();
  honourScore(db, 1);
  sums.push(performance.now() - t0);
}
const sum = summarize(sums.slice(50));

console.log(
  `card read at county size: ${ENTRIES.toLocaleString("en")} entries, 12,000 households; ${READS} reads each after ${WARMUP} warm-up, one at a time through the app`,
);
console.log(
  `  baseline GET /api/villages/:id:                p50 ${fmt(base.p50)} ms  p99 ${fmt(base.p99)} ms`,
);
console.log(
  `  card read, ordinary household:                 p50 ${fmt(plain.p50)} ms  p99 ${fmt(plain.p99)} ms  (p50 ${fmt(plain.p50 / base.p50)}× baseline)`,
);
console.log(
  `  card read, household with ${hotEntries.toLocaleString("en")} entries:      p50 ${fmt(busy.p50)} ms  p99 ${fmt(busy.p99)} ms  answer ${JSON.stringify({ balance: sample.balance, honourScore: sample.honourScore, star: sample.star })}`,
);
console.log(
  `  the honour summed over that household's entries instead (in-process, per read): p50 ${fmt(sum.p50)} ms  p99 ${fmt(sum.p99)} ms`,
);
const full = ENTRIES >= 1_000_000;
console.log(
  `  target p99 ≤ ${TARGET_P99_MS} ms for both: ${verdict(plain.p99 <= TARGET_P99_MS && busy.p99 <= TARGET_P99_MS)}${full ? "" : ` (on ${ENTRIES} entries only: not the county's size)`}`,
);

db.close();
rmSync(dir, { recursive: true, force: true });
