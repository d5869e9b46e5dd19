import { Database } from "bun:sqlite";
import { resolve } from "node:path";
import { statement } from "./statements.ts";

export const BUSY_TIMEOUT_MS = 5000;

/**
 * bun:sqlite keeps the statements of `db.query(sql)` in a cache of 20 by default. The app runs
 * more distinct statements than that, and past 20 in rotation every query() prepares its
 * statement again: measured, 5-6 µs instead of 0.3 µs a call. Every SQL text the code writes is
 * a constant or one of a few shapes, so the cache holds them all.
 */
export const QUERY_CACHE_STATEMENTS = 2000;
Database.MAX_QUERY_CACHE_SIZE = QUERY_CACHE_STATEMENTS;
export const PAGE_CACHE_KIB = 64 * 1024;

/**
 * Opens a database with the settings every connection needs. bun:sqlite opens with journal
 * `delete`, foreign keys off and no busy timeout; each of those loses or corrupts points under
 * concurrency, so they are set here, on every connection, before anything else runs.
 */
export function openDatabase(path: string): Database {
  const db = new Database(path, { create: true, strict: true });
  db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (path !== ":memory:") db.run("PRAGMA journal_mode = WAL");
  // FULL: an acknowledged point must survive a power cut.
  db.run("PRAGMA synchronous = FULL");
  db.run("PRAGMA foreign_keys = ON");
  // 64 MiB of page cache instead of SQLite's 2 MiB: an award touches the newest leaf of every
  // index of the entries table for its household, and those pages must stay in memory. A
  // village's server has the memory; it is allocated only as pages are read.
  db.run(`PRAGMA cache_size = ${-PAGE_CACHE_KIB}`);
  // Statement and savepoint journals, sorts and temporary indexes in memory, not in temporary
  // files: every write use case runs under a savepoint inside the group commit, and with file
  // temp storage each of its inserts cost about twice as much (measured on a redemption: 250 µs
  // against 150 µs). What they hold is the pages one use case changes, or one report's sort.
  db.run("PRAGMA temp_store = MEMORY");
  return db;
}

/** The file a connection works on, or null for an in-memory database (nothing another thread could open). */
export function databaseFile(db: Database): string | null {
  return db.filename === "" || db.filename === ":memory:" ? null : db.filename;
}

/**
 * The absolute path of a file database in WAL mode, resolved now against today's working
 * directory; null for an in-memory database or one not in WAL mode. What another thread needs to
 * fsync its WAL or checkpoint it.
 */
export function walDatabasePath(db: Database): string | null {
  const file = databaseFile(db);
  if (file === null) return null;
  return db.query<{ journal_mode: string }, []>("PRAGMA journal_mode").get()?.journal_mode === "wal" ? resolve(file) : null;
}

/**
 * Runs `fn` in one IMMEDIATE transaction: the write lock is taken before the first read, so two
 * writers can never both read the same balance and both spend it. `fn` must be synchronous: an
 * `await` inside would commit early.
 */
export function immediate<T>(db: Database, fn: () => T): T {
  // What bun:sqlite's db.transaction(fn).immediate() does, without building a new wrapper function
  // for every call (measured: a few microseconds a use case), on statements prepared once. Inside
  // a transaction (a batch of the group commit) it nests as a savepoint; SQLite stacks savepoints
  // of one name, so the innermost is the one rolled back or released.
  // A group commit's batch left open on this connection commits first: this write is not its.
  heldOpen.get(db)?.();
  const nested = db.inTransaction;
  if (nested && unguarded.has(db)) {
    // Inside withoutSavepoints(): no savepoint; a throw marks the whole transaction for rollback.
    try {
      return fn();
    } catch (error) {
      unguarded.set(db, true);
      throw error;
    }
  }
  statement(db, nested ? "SAVEPOINT jifen_use_case" : "BEGIN IMMEDIATE").run();
  try {
    const value = fn();
    statement(db, nested ? "RELEASE jifen_use_case" : "COMMIT").run();
    return value;
  } catch (error) {
    if (nested) {
      statement(db, "ROLLBACK TO jifen_use_case").run();
      statement(db, "RELEASE jifen_use_case").run();
    } else if (db.inTransaction) statement(db, "ROLLBACK").run();
    throw error;
  }
}

/** Connections inside withoutSavepoints(), and whether a nested immediate() threw there. */
const unguarded = new WeakMap<Database, boolean>();

/**
 * Runs `fn` inside the connection's open transaction with nested `immediate()` calls left without
 * their savepoints, and says whether one of them threw. A savepoint costs a use case about 10 µs
 * (measured on a sale: every page it changes is first copied to the savepoint's journal), so the
 * group commit runs a batch this way first; if anything threw, even if the use case caught it, the
 * batch's writes cannot be trusted and the caller rolls the whole transaction back and runs the
 * batch again with a savepoint for each use case.
 */
export function withoutSavepoints(db: Database, fn: () => void): { threw: boolean } {
  if (!db.inTransaction) throw new Error("withoutSavepoints() runs inside an open transaction");
  unguarded.set(db, false);
  try {
    fn();
    return { threw: unguarded.get(db) === true };
  } catch {
    return { threw: true };
  } finally {
    unguarded.delete(db);
  }
}

/** Connections where a group commit holds its batch's transaction open, and how to commit it. */
const heldOpen = new WeakMap<Database, () => void>();

/**
 * The group commit leaves its transaction open between turns of the event loop while an fsync
 * runs (src/db/group-commit.ts); `commit` commits it. Every write on the connection goes through
 * immediate(), which calls `commit` first, so no other write ever joins that transaction.
 */
export function holdOpen(db: Database, commit: () => void): void {
  heldOpen.set(db, commit);
}

export function releaseHold(db: Database): void {
  heldOpen.delete(db);
}
