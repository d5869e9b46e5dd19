/**
 * Run as its own OS process by concurrency.test.ts: opens the shared database file and records
 * `count` awards through the use case, alternating between the given households, then prints
 * how many succeeded. Each award is its own IMMEDIATE transaction with a durable commit.
 */
import { openDatabase } from "../../src/db/open.ts";
import { systemAudit } from "../../src/audit/audit.ts";
import { recordEntry } from "../../src/ledger/entry.ts";

const [path, ruleId, count, startAtMs, ...households] = process.argv.slice(2);
const db = openDatabase(path!);
// Both processes start writing at the same instant, so their transactions really contend.
await Bun.sleep(Math.max(0, Number(startAtMs) - Date.now()));
const startedMs = Date.now();
let recorded = 0;
let refused = 0;
for (let i = 0; i < Number(count); i++) {
  const householdId = Number(households[i % households.length]);
  const result = recordEntry(
    db,
    systemAudit(Date.now(), `p${process.pid}-${i}`),
    { username: `proc${process.pid}` },
    { householdId, ruleId: Number(ruleId), note: `award ${i} from ${process.pid}` },
  );
  if (result.ok) recorded++;
  else refused++;
}
db.close();
console.log(JSON.stringify({ recorded, refused, startedMs, finishedMs: Date.now() }));
