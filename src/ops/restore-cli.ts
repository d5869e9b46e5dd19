/**
 * `bun run restore FILE`: puts a backup (a daily one from BACKUP_DIR, one made by
 * `bun run backup`, or one `litestream restore` wrote) in place of the database at DATABASE_PATH
 * (default data/village.db), after checking it, and keeps the file it replaces.
 *
 * In order, stopping at the first failure with a message and exit code 1, nothing replaced:
 *  1. FILE opens as SQLite and passes PRAGMA integrity_check;
 *  2. its ledger verifies in full: the hash chain, every balance, its checkpoints (src/ops);
 *  3. no process holds the database at DATABASE_PATH: a running server, or Litestream
 *     replicating it. Detected by asking SQLite for an exclusive lock on it (locking_mode
 *     EXCLUSIVE, BEGIN EXCLUSIVE), which fails while any other connection has it open in WAL
 *     mode. Stop the server (and Litestream) first;
 *  4. the database's WAL is folded into it, and the database file with its -wal and -shm is
 *     renamed to `<name>.replaced-<UTC timestamp>`;
 *  5. FILE is copied by SQLite (VACUUM INTO, with its WAL if it has one) to a temporary name
 *     beside the database, checked, flushed, and renamed into place (src/ops/backup.ts).
 * Exit 2: usage, or FILE missing.
 */
import { Database } from "bun:sqlite";
import { existsSync, renameSync } from "node:fs";
import { resolve } from "node:path";
import { verifyLedgerFile } from "../ledger/verify-file.ts";
import type { Break } from "../ledger/verify.ts";
import { writeBackup } from "./backup.ts";
import { checkpointsOfFile } from "./verify-since-cli.ts";
import { verifySinceInSnapshot } from "./verify-since.ts";

export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

export type RestoreOutcome =
  | { ok: true; replaced: string | null; entries: number; head: string }
  | { ok: false; code: number; message: string };

/** The copy's integrity, as SQLite judges it; null when it is sound. */
export function integrityProblem(path: string): string | null {
  let db: Database | null = null;
  try {
    db = new Database(path, { readonly: true });
    const rows = db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").all();
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== "ok");
    return problems.length === 0 ? null : problems.slice(0, 3).join("; ");
  } catch (error) {
    return (error as Error).message;
  } finally {
    db?.close();
  }
}

/** The chain and every balance, on one thread, reading only the first release's columns. */
function verifyOlderFile(
  path: string,
): { ok: true; entries: number; head: string } | { ok: false; brokenAt: Break } {
  const db = new Database(path, { readonly: true });
  try {
    const result = verifySinceInSnapshot(db, { full: true });
    return result.ok
      ? { ok: true, entries: result.entries, head: result.head }
      : { ok: false, brokenAt: result.brokenAt };
  } finally {
    db.close();
  }
}

/** Whether another process has the database open: it then refuses SQLite an exclusive lock. */
export function heldByAnother(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = new Database(path);
  try {
    db.run("PRAGMA busy_timeout = 0");
    db.run("PRAGMA locking_mode = EXCLUSIVE");
    db.run("BEGIN EXCLUSIVE");
    db.run("COMMIT");
    return false;
  } catch {
    return true;
  } finally {
    db.close();
  }
}

/** `2026-12-04T08:13:28.123Z` → `20261204T081328Z`. */
export function stamp(nowMs: number): string {
  return new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

export async function restore(
  file: string,
  target: string,
  nowMs: number = Date.now(),
): Promise<RestoreOutcome> {
  if (!existsSync(file)) return { ok: false, code: EXIT_USAGE, message: `no file at ${file}` };
  if (resolve(file) === resolve(target))
    return {
      ok: false,
      code: EXIT_USAGE,
      message: `${file} is the database itself; name a backup`,
    };
  const integrity = integrityProblem(file);
  if (integrity !== null)
    return {
      ok: false,
      code: EXIT_REFUSED,
      message: `${file} is not a sound SQLite database (${integrity}); nothing was replaced`,
    };
  let verified: { ok: true; entries: number; head: string } | { ok: false; brokenAt: Break };
  try {
    verified = await verifyLedgerFile(file);
  } catch {
    // A copy made by an older release lacks columns today's verify also checks: it is verified
    // as that release could be (the chain and every balance), and the server's migrations bring
    // it up to date when it starts.
    try {
      verified = verifyOlderFile(file);
    } catch (error) {
      return {
        ok: false,
        code: EXIT_REFUSED,
        message: `${file} has no ledger that can be read (${(error as Error).message}); nothing was replaced`,
      };
    }
  }
  if (!verified.ok) {
    const b = verified.brokenAt;
    return {
      ok: false,
      code: EXIT_REFUSED,
      message: `${file}'s ledger does not verify: at sequence ${b.seq}${b.entryId === null ? "" : ` (entry ${b.entryId})`}, ${b.reason}; nothing was replaced`,
    };
  }
  const checkpoints = checkpointsOfFile(file);
  if (!checkpoints.ok)
    return {
      ok: false,
      code: EXIT_REFUSED,
      message: `${file}'s checkpoints do not verify: ${checkpoints.reason}; nothing was replaced`,
    };
  if (heldByAnother(target)) {
    return {
      ok: false,
      code: EXIT_REFUSED,
      message: `${target} is in use by another process (the server, or Litestream replicating it): stop it first; nothing was replaced`,
    };
  }
  let replaced: string | null = null;
  if (existsSync(target)) {
    // Fold the WAL into the file first, so the kept file is whole by itself; if the old database
    // cannot even do that, its -wal and -shm are kept beside it under the same new name.
    try {
      const old = new Database(target);
      try {
        old.run("PRAGMA wal_checkpoint(TRUNCATE)");
      } finally {
        old.close();
      }
    } catch {
      // A damaged database is kept as it is.
    }
    replaced = `${target}.replaced-${stamp(nowMs)}`;
    for (const suffix of ["", "-wal", "-shm"])
      if (existsSync(target + suffix)) renameSync(target + suffix, replaced + suffix);
  }
  // Copied through SQLite (VACUUM INTO, as backups are written): a FILE with a -wal beside it, copied
  // from a live database, is read with its WAL, and the copy is one whole file.
  writeBackup(file, target);
  return { ok: true, replaced, entries: verified.entries, head: verified.head };
}

if (import.meta.main) {
  const file = process.argv[2];
  const target = process.env["DATABASE_PATH"] ?? "data/village.db";
  if (file === undefined || file.startsWith("-")) {
    console.error(
      "usage: bun run restore FILE   (replaces the database at DATABASE_PATH, default data/village.db, keeping it as <name>.replaced-<time>)",
    );
    process.exit(EXIT_USAGE);
  }
  const outcome = await restore(file, target);
  if (!outcome.ok) {
    console.error(`restore: refused: ${outcome.message}`);
    process.exit(outcome.code);
  }
  console.log(
    `restore: ${file} → ${target}: integrity ok, ${outcome.entries} posted entries chained, every balance verified, head ${outcome.head}`,
  );
  console.log(
    outcome.replaced === null
      ? "restore: there was no database there before"
      : `restore: the database it replaced is kept as ${outcome.replaced}`,
  );
}
