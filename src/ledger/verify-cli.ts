/**
 * `bun run verify`: checks the ledger's hash chain and every balance offline, on the database
 * file at DATABASE_PATH (default data/village.db), opened read-only. Prints the result; exits 1
 * naming the first broken entry, 2 when the file cannot be read.
 */
import { existsSync } from "node:fs";
import { verifyLedgerFile } from "./verify-file.ts";

export const EXIT_BROKEN = 1;
export const EXIT_UNREADABLE = 2;

if (import.meta.main) {
  const path = process.env["DATABASE_PATH"] ?? "data/village.db";
  if (!existsSync(path)) {
    console.error(`verify: no database at ${path} (set DATABASE_PATH)`);
    process.exit(EXIT_UNREADABLE);
  }
  const startedMs = performance.now();
  let result;
  try {
    result = await verifyLedgerFile(path);
  } catch (error) {
    console.error(`verify: cannot read ${path}: ${(error as Error).message}`);
    process.exit(EXIT_UNREADABLE);
  }
  const tookMs = Math.round(performance.now() - startedMs);
  if (result.ok) {
    console.log(`verify: OK — ${result.entries} posted entries chained, every balance and honour score equals its entries; head ${result.head} (${tookMs} ms)`);
  } else {
    const b = result.brokenAt;
    console.error(`verify: BROKEN at sequence ${b.seq}${b.entryId === null ? "" : ` (entry ${b.entryId})`}: ${b.reason}`);
    console.error(`        ${result.entries} entries verified before the break; last good hash ${result.head} (${tookMs} ms)`);
    process.exit(EXIT_BROKEN);
  }
}
