/** The bench's server process: the real app on the given database file, on a random loopback port. */
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createApp } from "../../src/http/app.ts";
import { systemClock } from "../../src/shared/clock.ts";

const path = process.argv[2];
if (path === undefined) throw new Error("usage: bun tests/bench/market-server.ts DATABASE_FILE");
const db = openDatabase(path);
migrate(db, systemClock.nowMs());
const app = createApp(db, systemClock, { publicUrl: "http://bench.test", log: () => {} });
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
console.log(`PORT ${server.port}`);
