/**
 * Proves the migration runner applies each file once, in order, records checksums, and refuses to
 * start on a database whose applied migration file was edited afterwards, naming the file.
 */
import { expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { migrate, MigrationError, MIGRATIONS_DIR } from "../../src/db/migrate.ts";

function copyMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), "jifen-mig-"));
  for (const file of readdirSync(MIGRATIONS_DIR))
    copyFileSync(join(MIGRATIONS_DIR, file), join(dir, file));
  return dir;
}

test("applies every migration once and records its checksum", () => {
  const db = openDatabase(":memory:");
  const first = migrate(db, 1);
  expect(first.applied.length).toBeGreaterThan(0);
  expect(migrate(db, 2).applied).toEqual([]);
  const rows = db
    .query<{ name: string; checksum: string }, []>(
      "SELECT name, checksum FROM schema_migrations ORDER BY version",
    )
    .all();
  expect(rows.map((r) => r.name)).toEqual(first.applied);
  expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
});

test("refuses to start when an applied migration was edited, naming the file", () => {
  const dir = copyMigrations();
  try {
    const db = openDatabase(":memory:");
    migrate(db, 1, dir);
    writeFileSync(join(dir, "0001_foundation.sql"), "-- edited\n", { flag: "a" });
    expect(() => migrate(db, 2, dir)).toThrow(MigrationError);
    expect(() => migrate(db, 2, dir)).toThrow(/0001_foundation\.sql was edited/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("applies a new migration in its own transaction and rolls back a failing one whole", () => {
  const dir = copyMigrations();
  try {
    const db = openDatabase(":memory:");
    migrate(db, 1, dir);
    writeFileSync(
      join(dir, "0099_broken.sql"),
      "CREATE TABLE half_done (x INTEGER) STRICT;\nINSERT INTO no_such_table VALUES (1);\n",
    );
    expect(() => migrate(db, 2, dir)).toThrow();
    expect(db.query("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeNull();
    expect(db.query("SELECT 1 FROM schema_migrations WHERE version = 99").get()).toBeNull();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("opens file databases in WAL with synchronous FULL, foreign keys on and a busy timeout", () => {
  const dir = mkdtempSync(join(tmpdir(), "jifen-open-"));
  try {
    const db = openDatabase(join(dir, "x.db"));
    expect(db.query<{ journal_mode: string }, []>("PRAGMA journal_mode").get()!.journal_mode).toBe(
      "wal",
    );
    expect(db.query<{ synchronous: number }, []>("PRAGMA synchronous").get()!.synchronous).toBe(2);
    expect(db.query<{ foreign_keys: number }, []>("PRAGMA foreign_keys").get()!.foreign_keys).toBe(
      1,
    );
    expect(db.query<{ timeout: number }, []>("PRAGMA busy_timeout").get()!.timeout).toBe(5000);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
