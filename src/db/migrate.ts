import type { Database } from "bun:sqlite";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { immediate } from "./open.ts";

export const MIGRATIONS_DIR = join(import.meta.dir, "..", "..", "migrations");
const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export type Migration = { version: number; name: string; sql: string; checksum: string };

export class MigrationError extends Error {
  override name = "MigrationError";
}

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) throw new MigrationError(`migration file ${file} is not named NNNN_name.sql`);
    const sql = readFileSync(join(dir, file), "utf8");
    migrations.push({
      version: Number(match[1]),
      name: file,
      sql,
      checksum: new Bun.CryptoHasher("sha256").update(sql).digest("hex"),
    });
  }
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (previous !== undefined && previous.version === m.version)
      throw new MigrationError(
        `migrations ${previous.name} and ${m.name} share the number ${m.version}`,
      );
  });
  return migrations;
}

/**
 * Applies each migration once, in order, each in its own transaction, recording its checksum.
 * Refuses to go on when a migration that was already applied has been edited since, because the
 * database would no longer match what the code believes the schema is.
 */
export function migrate(
  db: Database,
  nowMs: number,
  dir: string = MIGRATIONS_DIR,
): { applied: string[] } {
  db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at_ms INTEGER NOT NULL
  ) STRICT`);
  const applied = new Map(
    db
      .query<{ version: number; name: string; checksum: string }, []>(
        "SELECT version, name, checksum FROM schema_migrations",
      )
      .all()
      .map((r) => [r.version, r]),
  );
  const migrations = readMigrations(dir);
  for (const [version, row] of applied) {
    const file = migrations.find((m) => m.version === version);
    if (!file)
      throw new MigrationError(
        `the database has migration ${row.name}, which is missing from ${dir}`,
      );
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${file.name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… is now ${file.checksum.slice(0, 12)}…); add a new migration instead`,
      );
    }
  }
  const done: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    immediate(db, () => {
      db.run(m.sql);
      db.query(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at_ms) VALUES (?, ?, ?, ?)",
      ).run(m.version, m.name, m.checksum, nowMs);
    });
    done.push(m.name);
  }
  return { applied: done };
}
