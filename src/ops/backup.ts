/**
 * Daily backups into BACKUP_DIR while the server serves. SQLite's VACUUM INTO (what
 * `bun run backup` already uses) reads one snapshot under WAL, so writers go on and the copy is
 * never half of a transaction. The copy is written under a temporary name, checked
 * (PRAGMA integrity_check), flushed to disk and only then renamed to its dated name, so a file
 * with a backup's name is always a whole, checked backup: a power cut mid-way leaves a temporary
 * file, which the next run removes.
 */
import { Database } from "bun:sqlite";
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { basename, join } from "node:path";
import { BUSY_TIMEOUT_MS } from "../db/open.ts";

export const BACKUP_KEEP_DAYS_DEFAULT = 14;
export const BACKUP_KEEP_DAYS_MAX = 3650;
const TEMP_SUFFIX = ".partial";

/** `village.db` → `village`; the backups of it are `village-YYYY-MM-DD.db`. */
export function backupPrefix(databasePath: string): string {
  return basename(databasePath).replace(/\.(db|sqlite3?)$/i, "");
}

export function backupFileName(databasePath: string, day: string): string {
  return `${backupPrefix(databasePath)}-${day}.db`;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export type BackupWritten = { path: string; bytes: number; tookMs: number };

/**
 * Copies the database at `sourcePath` to `targetPath` (which must not exist): VACUUM INTO a
 * temporary file beside it, integrity check, fsync, rename, fsync of the folder. Synchronous:
 * the server runs it on a worker thread (src/ops/ops-worker.ts).
 */
export function writeBackup(sourcePath: string, targetPath: string): BackupWritten {
  const startedMs = performance.now();
  if (existsSync(targetPath)) throw new Error(`${targetPath} already exists`);
  const temp = targetPath + TEMP_SUFFIX;
  rmSync(temp, { force: true });
  const db = new Database(sourcePath, { readonly: true });
  try {
    db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.query("VACUUM INTO ?").run(temp);
  } finally {
    db.close();
  }
  try {
    const copy = new Database(temp, { readonly: true });
    let check: string | undefined;
    try {
      check = copy
        .query<{ integrity_check: string }, []>("PRAGMA integrity_check")
        .get()?.integrity_check;
    } finally {
      copy.close();
    }
    if (check !== "ok") throw new Error(`the copy failed its integrity check: ${check}`);
    fsyncPath(temp);
    renameSync(temp, targetPath);
    fsyncPath(join(targetPath, ".."));
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return {
    path: targetPath,
    bytes: statSync(targetPath).size,
    tookMs: Math.round(performance.now() - startedMs),
  };
}

/**
 * Removes this database's dated backups older than `keepDays` days before `today` (today's and
 * the `keepDays - 1` days before it stay) and any temporary file a run left behind. Files of any
 * other name are never touched.
 */
export function pruneBackups(
  dir: string,
  databasePath: string,
  today: string,
  keepDays: number,
): string[] {
  const prefix = backupPrefix(databasePath);
  const dated = new RegExp(
    `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d{4}-\\d{2}-\\d{2})\\.db(${TEMP_SUFFIX.replace(".", "\\.")})?$`,
  );
  const oldest = new Date(Date.parse(`${today}T00:00:00Z`) - (keepDays - 1) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const match = dated.exec(name);
    if (match === null) continue;
    if (match[2] !== undefined || match[1]! < oldest) {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    }
  }
  return removed.sort();
}
