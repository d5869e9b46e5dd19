/**
 * Builds a ledger database quickly for benches: villages, households and `entries` posted entries,
 * pre-hashed exactly as postEntry hashes them, inserted in one transaction with synchronous=OFF
 * (setup only; the server always runs FULL). Entries spread over the twelve months of 2026.
 */
import type { Database } from "bun:sqlite";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import {
  chainValues,
  entryHash,
  GENESIS_HASH,
  type ChainedFields,
} from "../../src/ledger/chain.ts";

export type BuildOptions = {
  path: string;
  entries: number;
  villages: number;
  householdsPerVillage: number;
  hotHousehold?: { id: number; entries: number };
};

const CATEGORIES = ["law", "volunteer", "environment", "family", "civility", "other"] as const;
const START_MS = Date.UTC(2026, 0, 1);

export function buildLedger(o: BuildOptions): Database {
  const db = openDatabase(o.path);
  migrate(db, START_MS);
  db.run("PRAGMA synchronous = OFF");
  // Secondary indexes are dropped for the load and rebuilt after it: far faster than keeping
  // them up to date row by row. The same CREATE INDEX statements the migrations ran.
  const indexes = db
    .query<{ name: string; sql: string }, []>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL",
    )
    .all();
  for (const i of indexes) db.run(`DROP INDEX ${i.name}`);
  db.transaction(() => {
    const insVillage = db.query(
      "INSERT INTO villages (name, code, created_at_ms) VALUES (?, ?, ?)",
    );
    const insHousehold = db.query(
      "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, created_at_ms) VALUES (?, ?, '', '', ?)",
    );
    const insRule = db.query(
      "INSERT INTO rules (village_id, code, title, category, points, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
    );
    for (let v = 1; v <= o.villages; v++) {
      insVillage.run(`村${v}`, `V${v}`, START_MS);
      for (let k = 0; k < CATEGORIES.length; k++)
        insRule.run(v, `R${k}`, `规则${k}`, CATEGORIES[k]!, k === 5 ? -3 : 5 + k, START_MS);
      for (let i = 0; i < o.householdsPerVillage; i++)
        insHousehold.run(v, `户主${v}-${i}`, START_MS);
    }
    const households = o.villages * o.householdsPerVillage;
    const balances = new Float64Array(households + 1);
    const ins = db.query(
      `INSERT INTO entries (id, village_id, household_id, member_id, rule_id, kind, status, points, quantity, rule_code, rule_title, category, note, occurred_on,
         reverses_id, redemption_id, batch_id, created_at_ms, created_by, approved_by, approved_at_ms, posted_at_ms, seq, balance_after, prev_hash, hash)
       VALUES (?, ?, ?, NULL, ?, ?, 'posted', ?, 1, ?, ?, ?, NULL, ?, NULL, NULL, NULL, ?, 'bench', NULL, NULL, ?, ?, ?, ?, ?)`,
    );
    let prev = GENESIS_HASH;
    const stepMs = (365 * 86_400_000) / o.entries;
    for (let seq = 1; seq <= o.entries; seq++) {
      const hot =
        o.hotHousehold !== undefined &&
        seq % Math.max(1, Math.floor(o.entries / o.hotHousehold.entries)) === 0;
      const householdId = hot ? o.hotHousehold!.id : 1 + ((seq * 7919) % households);
      const villageId = 1 + Math.floor((householdId - 1) / o.householdsPerVillage);
      const k = seq % CATEGORIES.length;
      const ruleId = (villageId - 1) * CATEGORIES.length + k + 1;
      const points = k === 5 ? -3 : 5 + k;
      const atMs = Math.floor(START_MS + seq * stepMs);
      const occurredOn = new Date(atMs + 8 * 3_600_000).toISOString().slice(0, 10);
      balances[householdId]! += points;
      const fields: ChainedFields = {
        seq,
        id: seq,
        village_id: villageId,
        household_id: householdId,
        member_id: null,
        rule_id: ruleId,
        kind: points > 0 ? "award" : "deduction",
        points,
        quantity: 1,
        rule_code: `R${k}`,
        rule_title: `规则${k}`,
        category: CATEGORIES[k]!,
        note: null,
        occurred_on: occurredOn,
        reverses_id: null,
        redemption_id: null,
        batch_id: null,
        created_at_ms: atMs,
        created_by: "bench",
        approved_by: null,
        approved_at_ms: null,
        posted_at_ms: atMs,
        balance_after: balances[householdId]!,
        prev_hash: prev,
      };
      const hash = entryHash(chainValues(fields));
      ins.run(
        seq,
        villageId,
        householdId,
        ruleId,
        fields.kind,
        points,
        fields.rule_code,
        fields.rule_title,
        fields.category,
        occurredOn,
        atMs,
        atMs,
        seq,
        fields.balance_after,
        prev,
        hash,
      );
      prev = hash;
    }
    const setBalance = db.query("UPDATE households SET balance = ? WHERE id = ?");
    for (let id = 1; id <= households; id++) setBalance.run(balances[id]!, id);
    db.query("UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1").run(o.entries, prev);
  })();
  for (const i of indexes) db.run(i.sql);
  db.run("PRAGMA synchronous = FULL");
  db.run("PRAGMA wal_checkpoint(TRUNCATE)");
  return db;
}

if (import.meta.main) {
  const [path = "/tmp/ledger-1m.db", n = "1000000"] = process.argv.slice(2);
  const t = performance.now();
  buildLedger({
    path,
    entries: Number(n),
    villages: 30,
    householdsPerVillage: 400,
    hotHousehold: { id: 1, entries: 10_000 },
  }).close();
  console.log(`built ${n} entries in ${((performance.now() - t) / 1000).toFixed(1)} s at ${path}`);
}
