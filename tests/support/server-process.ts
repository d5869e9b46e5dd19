/**
 * One jifen server process for the concurrency tests: opens the database file given as the first
 * argument (WAL, FULL, busy timeout, migrations), serves the real app on a random loopback port
 * and prints `PORT <n>` once it listens. Two of these on one file are two kiosks' servers racing.
 */
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createApp } from "../../src/http/app.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { groupCommitFor } from "../../src/db/group-commit.ts";

const path = process.argv[2];
if (path === undefined) throw new Error("usage: bun tests/support/server-process.ts DATABASE_FILE");
const db = openDatabase(path);
migrate(db, systemClock.nowMs());
const app = createApp(db, systemClock, { publicUrl: "http://jifen.test", log: () => {} });
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
console.log(`PORT ${server.port}`);
// Asked to stop, it says how many writes shared each durable commit (the market bench reads it).
process.on("SIGTERM", () => {
  const { jobs, groups } = groupCommitFor(db).stats;
  console.log(`GROUPS ${jobs} ${groups}`);
  process.exit(0);
});
