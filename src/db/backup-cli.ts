/**
 * `bun run backup FILE`: writes a consistent copy of the live database while the server keeps
 * serving. SQLite's VACUUM INTO reads one snapshot under WAL, so writers are not stopped and the
 * copy is never half of one transaction.
 */
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { BUSY_TIMEOUT_MS } from "./open.ts";

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
const db = new Database(source, { readonly: true });
db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
const startedMs = performance.now();
db.run(`VACUUM INTO '${resolve(target).replaceAll("'", "''")}'`);
db.close();
const copy = new Database(target, { readonly: true });
const check = copy.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get();
copy.close();
console.log(`backup: ${source} → ${target} in ${Math.round(performance.now() - startedMs)} ms, integrity ${check?.integrity_check}`);
process.exit(check?.integrity_check === "ok" ? 0 : 1);
