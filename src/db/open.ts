import { Database } from "bun:sqlite";

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
  // temp storage each of its inserts cost about twice as much. What they hold is the pages one
  // use case changes, or one report's sort.
  db.run("PRAGMA temp_store = MEMORY");
  return db;
}

/** The file a connection works on, or null for an in-memory database. */
export function databaseFile(db: Database): string | null {
  return db.filename === "" || db.filename === ":memory:" ? null : db.filename;
}

/**
 * Runs `fn` in one IMMEDIATE transaction: the write lock is taken before the first read, so two
 * writers can never both read the same balance and both spend it. `fn` must be synchronous: an
 * `await` inside would commit early. Called inside a transaction (a use case inside another, or
 * in a group commit) it is a savepoint of that transaction, as bun:sqlite nests them: a throw
 * rolls back this part alone.
 */
export function immediate<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).immediate();
}
