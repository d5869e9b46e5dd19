/**
 * The audit page's search over 1,000,000 audit rows in 300 villages (issue 16: p99 ≤ 50 ms on the
 * server for every filter), through the real app (`app.request`, sign-in and validation
 * included), one request at a time. The rows are spread over a year as a township writes them:
 * sales by kiosks most, then entries, sign-ins, stock, the odd void, and 1 % by the township's
 * administrator across villages. The baseline, measured in the same run, is a village read by
 * its primary key through the same app, so the ratio shows what a search costs beyond the
 * cheapest request. Set AUDIT_BENCH_ROWS for a smaller log (the verdicts then say so).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createApp } from "../../src/http/app.ts";
import { ensureAdmin } from "../../src/auth/bootstrap.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { hashPassword } from "../../src/auth/users.ts";
import { createRandom } from "../../src/demo/data/random.ts";
import { fmt, summarize, verdict } from "./stats.ts";

const ROWS = Number(process.env["AUDIT_BENCH_ROWS"] ?? 1_000_000);
const VILLAGES = 300;
const SAMPLES = 200;
const LIMIT = 50;
const TARGET_P99_MS = 50;
const YEAR_START_MS = Date.UTC(2025, 11, 31, 16); // 2026-01-01 00:00 in Shanghai
const YEAR_MS = 365 * 86_400_000;
const ADMIN_PASSWORD = "bench-admin-password";
const STAFF_PASSWORD = "bench-staff-password";

const dir = mkdtempSync(join(tmpdir(), "jifen-audit-bench-"));
const db = openDatabase(join(dir, "bench.db"));
migrate(db, YEAR_START_MS);
ensureAdmin(db, ADMIN_PASSWORD, YEAR_START_MS);
const app = createApp(db, systemClock, { log: null });
const rng = createRandom(16);

// What each village has: its admin and clerk (user ids), its kiosk, a household and card for the
// receipts the bench looks up.
type Village = {
  id: number;
  adminId: number;
  clerkId: number;
  kioskId: number;
  householdId: number;
  cardId: number;
  receipts: number;
};
const villages: Village[] = [];
const townshipAdminId = db
  .query<{ id: number }, []>("SELECT id FROM users WHERE username = 'admin'")
  .get()!.id;
let setupMs = performance.now();
const staffHash = hashPassword(STAFF_PASSWORD);
db.run("PRAGMA synchronous = OFF");
db.transaction(() => {
  const insVillage = db.query<{ id: number }, [string, string]>(
    "INSERT INTO villages (name, code, created_at_ms) VALUES (?, ?, 0) RETURNING id",
  );
  const insUser = db.query<{ id: number }, [string, string, string, string, number]>(
    "INSERT INTO users (username, display_name, password_hash, role, village_id, created_at_ms) VALUES (?, ?, ?, ?, ?, 0) RETURNING id",
  );
  const insKiosk = db.query<{ id: number }, [number, string, string]>(
    "INSERT INTO kiosks (village_id, name, token_hash, created_at_ms) VALUES (?, ?, ?, 0) RETURNING id",
  );
  const insHousehold = db.query<{ id: number }, [number, string]>(
    "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, created_at_ms) VALUES (?, ?, '', '', 0) RETURNING id",
  );
  const insCard = db.query<{ id: number }, [number, number, string, string]>(
    "INSERT INTO cards (household_id, village_id, token, number, created_at_ms) VALUES (?, ?, ?, ?, 0) RETURNING id",
  );
  for (let v = 1; v <= VILLAGES; v++) {
    const id = insVillage.get(`村${v}`, `V${v}`)!.id;
    const adminId = insUser.get(`v${v}_admin`, `${v}村主任`, staffHash, "village_admin", id)!.id;
    const clerkId = insUser.get(`v${v}_clerk`, `${v}村会计`, staffHash, "clerk", id)!.id;
    const kioskId = insKiosk.get(id, `${v}村超市`, `bench-kiosk-${v}`)!.id;
    const householdId = insHousehold.get(id, `户主${v}`)!.id;
    const cardId = insCard.get(
      householdId,
      id,
      `bench-card-token-${String(v).padStart(8, "0")}`,
      String(10_000_000 + v),
    )!.id;
    villages.push({ id, adminId, clerkId, kioskId, householdId, cardId, receipts: 0 });
  }
})();

// The log itself. Its indexes are dropped for the load and made again after it (the same
// CREATE INDEX statements the migration ran): far faster than keeping them up row by row.
const indexes = db
  .query<{ name: string; sql: string }, []>(
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log' AND sql IS NOT NULL",
  )
  .all();
for (const i of indexes) db.run(`DROP INDEX ${i.name}`);
let redemptionId = 0;
const sampleReceipts: { village: Village; receiptNo: number; redemptionId: number }[] = [];
db.transaction(() => {
  const ins = db.query(
    "INSERT INTO audit_log (at_ms, actor_kind, actor_id, village_id, action, entity, entity_id, address, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, '10.0.0.7', 'bench', ?)",
  );
  for (let i = 0; i < ROWS; i++) {
    const atMs = Math.floor(YEAR_START_MS + (i * YEAR_MS) / ROWS);
    const v = villages[rng.int(0, VILLAGES - 1)]!;
    const roll = rng.next();
    if (roll < 0.01) {
      // The township's administrator: across villages, or the township's own records.
      const village = rng.next() < 0.3 ? null : v.id;
      ins.run(
        atMs,
        "user",
        String(townshipAdminId),
        village,
        rng.pick(["update", "create", "approve"]),
        rng.pick(["village", "user", "household", "entry"]),
        String(rng.int(1, 100_000)),
        null,
      );
    } else if (roll < 0.46) {
      redemptionId++;
      v.receipts++;
      ins.run(
        atMs,
        "kiosk",
        String(v.kioskId),
        v.id,
        "redeem",
        "redemption",
        String(redemptionId),
        JSON.stringify({ receiptNo: v.receipts, householdId: v.householdId, totalPoints: 30 }),
      );
      if (sampleReceipts.length < SAMPLES && rng.next() < 0.001)
        sampleReceipts.push({ village: v, receiptNo: v.receipts, redemptionId });
    } else if (roll < 0.76) {
      ins.run(
        atMs,
        "user",
        String(rng.next() < 0.7 ? v.clerkId : v.adminId),
        v.id,
        "record",
        "entry",
        String(i + 1),
        JSON.stringify({ householdId: v.householdId, points: 5, status: "posted" }),
      );
    } else if (roll < 0.84) {
      const user = rng.next() < 0.5 ? v.clerkId : v.adminId;
      ins.run(
        atMs,
        "user",
        String(user),
        v.id,
        rng.next() < 0.8 ? "login" : "logout",
        "user",
        String(user),
        null,
      );
    } else if (roll < 0.89) {
      ins.run(atMs, "user", String(v.adminId), v.id, "approve", "entry", String(i + 1), null);
    } else if (roll < 0.92) {
      ins.run(
        atMs,
        "user",
        String(v.clerkId),
        v.id,
        rng.pick(["intake", "write_off", "count"]),
        "goods",
        String(v.id * 10 + rng.int(0, 9)),
        JSON.stringify({ delta: 5 }),
      );
    } else if (roll < 0.925) {
      ins.run(
        atMs,
        "user",
        String(v.adminId),
        v.id,
        "void",
        "redemption",
        String(rng.int(1, Math.max(1, redemptionId))),
        JSON.stringify({ reason: "刷错卡" }),
      );
    } else {
      ins.run(
        atMs,
        "user",
        String(v.adminId),
        v.id,
        rng.pick(["update", "create", "issue"]),
        rng.pick(["household", "card", "rule"]),
        String(rng.int(1, 100_000)),
        null,
      );
    }
  }
  // The redemptions the receipt-number search resolves (only those the bench asks for).
  const insRedemption = db.query(
    "INSERT INTO redemptions (id, village_id, household_id, card_id, receipt_no, total_points, balance_after, created_by, created_at_ms, occurred_on) VALUES (?, ?, ?, ?, ?, 30, 0, 'bench', 0, '2026-01-01')",
  );
  for (const r of sampleReceipts)
    insRedemption.run(
      r.redemptionId,
      r.village.id,
      r.village.householdId,
      r.village.cardId,
      r.receiptNo,
    );
})();
for (const i of indexes) db.run(i.sql);
db.run("PRAGMA synchronous = FULL");
setupMs = performance.now() - setupMs;
console.log(
  `setup: ${ROWS.toLocaleString("en")} audit rows over ${VILLAGES} villages in ${Math.round(setupMs)} ms (${sampleReceipts.length} receipts to look up)`,
);

async function signIn(username: string, password: string): Promise<string> {
  const res = await app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status}`);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}
const township = await signIn("admin", ADMIN_PASSWORD);
const villageAdmins = new Map<number, string>();
for (const v of villages.slice(0, 20))
  villageAdmins.set(v.id, await signIn(`v${v.id}_admin`, STAFF_PASSWORD));
const someVillage = () => villages[rng.int(0, 19)]!;

async function time(paths: { path: string; cookie: string }[]): Promise<number[]> {
  const samples: number[] = [];
  for (const { path, cookie } of paths) {
    const t0 = performance.now();
    const res = await app.request(path, { headers: { cookie } });
    await res.arrayBuffer();
    samples.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
  }
  return samples;
}

const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const someWeek = () => {
  const start = YEAR_START_MS + rng.int(0, 50) * 7 * 86_400_000;
  return `from=${day(start)}&to=${day(start + 6 * 86_400_000)}`;
};
/** A cursor several pages deep, as a page that has been scrolled. */
async function deepCursor(query: string, cookie: string, pages: number): Promise<string> {
  let cursor = "";
  for (let p = 0; p < pages; p++) {
    const res = await app.request(`${search(query)}${cursor ? `&cursor=${cursor}` : ""}`, {
      headers: { cookie },
    });
    const body = (await res.json()) as { nextCursor: string | null };
    if (body.nextCursor === null) break;
    cursor = body.nextCursor;
  }
  return cursor;
}

type Case = {
  name: string;
  build: () => Promise<{ path: string; cookie: string }> | { path: string; cookie: string };
};
const search = (query: string) =>
  `/api/audit?${[query, `limit=${LIMIT}`].filter((p) => p !== "").join("&")}`;
const asVillage =
  (query: (v: Village) => string): Case["build"] =>
  () => {
    const v = someVillage();
    return { path: search(query(v)), cookie: villageAdmins.get(v.id)! };
  };
const asTownship =
  (query: () => string): Case["build"] =>
  () => ({ path: search(query()), cookie: township });
const cases: Case[] = [
  { name: "village: newest first", build: asVillage(() => "") },
  { name: "village: a week", build: asVillage(() => someWeek()) },
  { name: "village: an actor (clerk)", build: asVillage((v) => `actor=v${v.id}_clerk`) },
  { name: "village: an actor (kiosk)", build: asVillage((v) => `actor=kiosk:${v.kioskId}`) },
  { name: "village: an action (void, rare)", build: asVillage(() => "action=void") },
  { name: "village: an entity (goods)", build: asVillage(() => "entity=goods") },
  {
    name: "village: actor + action + week",
    build: asVillage((v) => `actor=v${v.id}_admin&action=approve&${someWeek()}`),
  },
  {
    name: "village: a record (entity + id)",
    build: asVillage((v) => `entity=goods&entityId=${v.id * 10 + rng.int(0, 9)}`),
  },
  {
    name: "village: a receipt number",
    build: () => {
      const r = sampleReceipts[rng.int(0, sampleReceipts.length - 1)]!;
      return {
        path: `/api/audit?villageId=${r.village.id}&receiptNo=${r.receiptNo}&limit=${LIMIT}`,
        cookie: township,
      };
    },
  },
  { name: "all villages: newest first", build: asTownship(() => "") },
  { name: "all villages: a week", build: asTownship(() => someWeek()) },
  { name: "all villages: an action (void, rare)", build: asTownship(() => "action=void") },
  { name: "all villages: the township admin", build: asTownship(() => "actor=admin") },
  {
    name: "all villages: a village's clerk",
    build: asTownship(() => `actor=v${someVillage().id}_clerk`),
  },
  { name: "all villages: an entity (goods)", build: asTownship(() => "entity=goods") },
  {
    name: "all villages: a receipt number",
    build: asTownship(
      () => `receiptNo=${sampleReceipts[rng.int(0, sampleReceipts.length - 1)]!.receiptNo}`,
    ),
  },
  {
    name: "all villages: page 20 of newest first",
    build: async () => ({
      path: `/api/audit?limit=${LIMIT}&cursor=${await deepCursor("", township, 19)}`,
      cookie: township,
    }),
  },
  {
    name: "pick lists: one village",
    build: () => ({ path: `/api/audit/actions?villageId=${someVillage().id}`, cookie: township }),
  },
  {
    name: "pick lists: all villages",
    build: () => ({ path: "/api/audit/actions", cookie: township }),
  },
];

const baselinePaths = Array.from({ length: SAMPLES }, () => ({
  path: `/api/villages/${villages[rng.int(0, VILLAGES - 1)]!.id}`,
  cookie: township,
}));
await time(baselinePaths.slice(0, 50)); // warm up
const base = summarize(await time(baselinePaths));
console.log(
  `village by id (baseline): p50 ${fmt(base.p50)} ms  p99 ${fmt(base.p99)} ms  (n=${base.n})`,
);
let worstP99 = 0;
for (const c of cases) {
  const n =
    c.name.includes("page 20") || c.name.includes("pick lists: all") ? SAMPLES / 4 : SAMPLES;
  const paths: { path: string; cookie: string }[] = [];
  for (let i = 0; i < n; i++) paths.push(await c.build());
  await time(paths.slice(0, 5)); // warm up this query's statements
  const s = summarize(await time(paths));
  worstP99 = Math.max(worstP99, s.p99);
  console.log(
    `${c.name.padEnd(40)} p50 ${fmt(s.p50).padStart(6)} ms  p99 ${fmt(s.p99).padStart(6)} ms  (n=${s.n}; ratio p50/baseline ${fmt(s.p50 / base.p50)}×)  ${verdict(s.p99 <= TARGET_P99_MS)}`,
  );
}
const scale = ROWS === 1_000_000 ? "" : ` (over ${ROWS.toLocaleString("en")} rows, not 1,000,000)`;
console.log(
  `audit search over ${ROWS.toLocaleString("en")} rows: worst p99 ${fmt(worstP99)} ms (target ≤ ${TARGET_P99_MS} ms) ${verdict(worstP99 <= TARGET_P99_MS)}${scale}`,
);

db.close();
rmSync(dir, { recursive: true, force: true });
