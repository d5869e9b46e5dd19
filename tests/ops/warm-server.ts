/**
 * The server of src/main.ts with its modules loaded ahead: it imports everything, then waits for
 * a line on stdin and only then opens the database and serves, exactly as `bun src/main.ts` does
 * (optionsFromEnv, startServer, the stop signals). The crash test starts the next server while
 * the current one still runs, so a restart costs opening the file (and recovering its WAL), not
 * loading the code again (2-4 s on a busy two-core machine).
 */
import { optionsFromEnv, startServer } from "../../src/main.ts";
import { onStopSignals } from "../../src/ops/shutdown.ts";

console.log("LOADED");
for await (const _ of console) break;
const options = optionsFromEnv();
const server = startServer(options);
onStopSignals(server.shutdown);
console.log(
  `jifen: serving on ${server.url} (database ${options.databasePath}, public URL ${options.publicUrl})`,
);
