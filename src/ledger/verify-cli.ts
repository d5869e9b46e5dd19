/**
 * `bun run verify`: checks the ledger's hash chain and every balance offline, on the database
 * file at DATABASE_PATH (default data/village.db), opened read-only. Prints the result; exits 1
 * naming the first broken entry, 2 when the file cannot be read. The full walk also checks the
 * daily checkpoints (src/ops/checkpoint.ts); `bun run verify --since-checkpoint` walks only what
 * came after the last one (src/ops/verify-since-cli.ts).
 */
import { existsSync } from "node:fs";
import { verifyLedgerFile } from "./verify-file.ts";
import { checkpointsOfFile, verifySinceCheckpointCli } from "../ops/verify-since-cli.ts";

export const EXIT_BROKEN = 1;
export const EXIT_UNREADABLE = 2;

if (import.meta.main) {
  const path = process.env["DATABASE_PATH"] ?? "data/village.db";
  if (!existsSync(path)) {
    console.error(`verify: no database at ${path} (set DATABASE_PATH)`);
    process.exit(EXIT_UNREADABLE);
  }
  if (process.argv.includes("--since-checkpoint")) process.exit(verifySinceCheckpointCli(path));
  const startedMs = performance.now();
  let result;
  try {
    result = await verifyLedgerFile(path);
  } catch (error) {
    console.error(`verify: cannot read ${path}: ${(error as Error).message}`);
    process.exit(EXIT_UNREADABLE);
  }
  const tookMs = Math.round(performance.now() - startedMs);
  // The daily checkpoints (src/ops): their own chain, and each one on the ledger's chain.
  const checkpoints = result.ok ? checkpointsOfFile(path) : null;
  if (checkpoints !== null && !checkpoints.ok) {
    console.error(`verify: BROKEN: ${checkpoints.reason}`);
    process.exit(EXIT_BROKEN);
  }
  if (checkpoints?.ok === true && checkpoints.count > 0)
    console.log(`verify: ${checkpoints.count} checkpoints, each on the chain`);
  if (result.ok) {
    console.log(
      `verify: OK — ${result.entries} posted entries chained, every balance and honour score equals its entries, the reports' monthly sums agree with them; head ${result.head} (${tookMs} ms)`,
    );
  } else {
    const b = result.brokenAt;
    console.error(
      `verify: BROKEN at sequence ${b.seq}${b.entryId === null ? "" : ` (entry ${b.entryId})`}: ${b.reason}`,
    );
    console.error(
      `        ${result.entries} entries verified before the break; last good hash ${result.head} (${tookMs} ms)`,
    );
    process.exit(EXIT_BROKEN);
  }
}
