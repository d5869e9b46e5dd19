/**
 * Run as its own OS process by undo.test.ts: opens the shared database file, waits for the
 * agreed instant, undoes each given batch through the use case and prints what each undo did.
 */
import { openDatabase } from "../../src/db/open.ts";
import { systemAudit } from "../../src/audit/audit.ts";
import { undoBatch } from "../../src/ledger/entry.ts";

const [path, startAtMs, ...batchIds] = process.argv.slice(2);
const db = openDatabase(path!);
await Bun.sleep(Math.max(0, Number(startAtMs) - Date.now()));
const outcomes = batchIds.map((batchId, i) => {
  const result = undoBatch(
    db,
    systemAudit(Date.now(), `p${process.pid}-${i}`),
    { username: `proc${process.pid}`, mayUndoOthers: true },
    batchId,
    "录错了",
  );
  return result.ok
    ? { ok: true, reversed: result.value.reversedIds.length }
    : { ok: false, reason: result.reason };
});
db.close();
console.log(JSON.stringify(outcomes));
