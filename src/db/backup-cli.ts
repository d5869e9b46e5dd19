/**
 * `bun run backup FILE`: writes a consistent copy of the live database while the server keeps
 * serving. SQLite's VACUUM INTO reads one snapshot under WAL, so writers are not stopped and the
 * copy is never half of one transaction. The copy is written under a temporary name, checked
 * (integrity_check), flushed and renamed (src/ops/backup.ts, as the server's daily backup), so
 * FILE, once it exists, is a whole and checked copy.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { writeBackup } from "../ops/backup.ts";

const target = process.argv[2];
if (target === undefined) {
  console.error("usage: bun run backup FILE   (the copy must not exist yet)");
  process.exit(2);
}
const source = process.env["DATABASE_PATH"] ?? "data/village.db";
if (!existsSync(source)) {
  console.error(`backup: no database at ${source} (set DATABASE_PATH)`);
  process.exit(1);
}
if (existsSync(target)) {
  console.error(`backup: ${target} already exists; choose a new file name`);
  process.exit(1);
}
try {
  const written = writeBackup(source, resolve(target));
  console.log(
    `backup: ${source} → ${target} in ${written.tookMs} ms, ${written.bytes} bytes, integrity ok`,
  );
} catch (error) {
  console.error(`backup: ${(error as Error).message}`);
  process.exit(1);
}
