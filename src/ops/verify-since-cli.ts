/**
 * `bun run verify --since-checkpoint` (dispatched by src/ledger/verify-cli.ts): on the file at
 * DATABASE_PATH, read-only, checks the checkpoints and walks only the entries after the last one.
 * With no checkpoint yet it walks the whole ledger, and says so. Exit codes as `bun run verify`.
 */
import { Database } from "bun:sqlite";
import { BUSY_TIMEOUT_MS } from "../db/open.ts";
import { allCheckpoints } from "./checkpoint.ts";
import { checkCheckpoints, verifySinceInSnapshot } from "./verify-since.ts";

const EXIT_OK = 0;
const EXIT_BROKEN = 1;
const EXIT_UNREADABLE = 2;

function openReadOnly(path: string): Database {
  const db = new Database(path, { readonly: true });
  db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

/** The checkpoints' own chain and their places on the ledger's chain, for the full verify. */
export function checkpointsOfFile(
  path: string,
): { ok: true; count: number } | { ok: false; reason: string } {
  const db = openReadOnly(path);
  try {
    db.run("BEGIN");
    const checkpoints = allCheckpoints(db);
    const broken = checkCheckpoints(db, checkpoints);
    db.run("COMMIT");
    return broken === null
      ? { ok: true, count: checkpoints.length }
      : { ok: false, reason: broken.reason };
  } finally {
    db.close();
  }
}

/** Prints the outcome; answers the exit code. */
export function verifySinceCheckpointCli(path: string): number {
  const startedMs = performance.now();
  let db: Database;
  try {
    db = openReadOnly(path);
  } catch (error) {
    console.error(`verify: cannot read ${path}: ${(error as Error).message}`);
    return EXIT_UNREADABLE;
  }
  try {
    const result = verifySinceInSnapshot(db);
    const tookMs = Math.round(performance.now() - startedMs);
    const from =
      result.anchor === null
        ? "no checkpoint yet: walked the whole ledger"
        : `from the checkpoint of ${result.anchor.day} (entry ${result.anchor.seq}, head ${result.anchor.head.slice(0, 16)}…)`;
    if (result.ok) {
      console.log(
        `verify: OK since checkpoint — ${from}; ${result.walked} entries after it chained, ${result.entries} in all; ${result.checkpoints} checkpoints on the chain; every balance accounted for; head ${result.head} (${tookMs} ms)`,
      );
      return EXIT_OK;
    }
    const b = result.brokenAt;
    console.error(
      `verify: BROKEN at sequence ${b.seq}${b.entryId === null ? "" : ` (entry ${b.entryId})`}: ${b.reason}`,
    );
    console.error(
      `        ${from}; ${result.walked} entries walked before the break (${tookMs} ms)`,
    );
    return EXIT_BROKEN;
  } catch (error) {
    console.error(`verify: cannot read ${path}: ${(error as Error).message}`);
    return EXIT_UNREADABLE;
  } finally {
    db.close();
  }
}
