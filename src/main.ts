import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { openDatabase } from "./db/open.ts";
import { migrate, MigrationError } from "./db/migrate.ts";
import { createApp } from "./http/app.ts";
import { systemClock, type Clock } from "./shared/clock.ts";
import type { DemoShowcase } from "./pages/start-page.ts";
import { ensureAdmin } from "./auth/bootstrap.ts";
import { startNoticeScheduler } from "./ledger/scheduler.ts";

/**
 * The only place that reads the environment, opens files and serves. `clock` and `demo` are set
 * by the demo alone (src/demo/main.ts): a demo built for another day runs on that day, and its
 * start page lists the demo logins.
 */
export type ServerOptions = { port: number; databasePath: string; publicUrl: string; adminPassword: string | undefined; quiet: boolean; trustedProxies: number; clock?: Clock; demo?: DemoShowcase };

/** More proxies than this in a row is a mistake in TRUST_PROXY, not a network. */
const TRUSTED_PROXIES_MAX = 5;

/** TRUST_PROXY: unset, `0` or `false` trusts no proxy; `true` is one; a number is that many. */
export function trustedProxiesFrom(value: string | undefined): number {
  if (value === undefined || value === "" || value === "false") return 0;
  if (value === "true") return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > TRUSTED_PROXIES_MAX) throw new Error(`TRUST_PROXY must be true, false or the number of reverse proxies in front of the server (0 to ${TRUSTED_PROXIES_MAX}), not ${value}`);
  return n;
}

export function optionsFromEnv(env: Record<string, string | undefined> = process.env): ServerOptions {
  const port = Number(env["PORT"] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${env["PORT"]}`);
  return {
    port,
    databasePath: env["DATABASE_PATH"] ?? "data/village.db",
    publicUrl: (env["PUBLIC_URL"] ?? `http://localhost:${port}`).replace(/\/+$/, ""),
    adminPassword: env["ADMIN_PASSWORD"],
    quiet: env["LOG_REQUESTS"] === "0",
    trustedProxies: trustedProxiesFrom(env["TRUST_PROXY"]),
  };
}

export function startServer(options: ServerOptions): { stop: () => void; port: number; url: string } {
  const clock = options.clock ?? systemClock;
  if (options.databasePath !== ":memory:") mkdirSync(dirname(options.databasePath), { recursive: true });
  const db = openDatabase(options.databasePath);
  try {
    migrate(db, clock.nowMs());
  } catch (error) {
    if (error instanceof MigrationError) {
      console.error(`jifen: cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const created = ensureAdmin(db, options.adminPassword, clock.nowMs());
  if (created) {
    console.log(created.generated ? `jifen: created township administrator "admin" with password: ${created.password}\n       (shown once; change it after signing in)` : `jifen: created township administrator "admin" with the password from ADMIN_PASSWORD`);
  }
  const app = createApp(db, clock, { publicUrl: options.publicUrl, trustedProxies: options.trustedProxies, log: options.quiet ? null : (line) => console.log(line), demo: options.demo ?? null });
  const scheduler = startNoticeScheduler(db, clock);
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({ port: options.port, fetch: app.fetch, maxRequestBodySize: 16 * 1024 * 1024 });
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE") {
      console.error(`jifen: cannot start: port ${options.port} is already in use. Stop the other program or set PORT to a free port.`);
      process.exit(1);
    }
    throw error;
  }
  return {
    port: server.port ?? options.port,
    url: `http://localhost:${server.port}`,
    stop: () => {
      server.stop(true);
      scheduler.stop();
      db.close();
    },
  };
}

if (import.meta.main) {
  const options = optionsFromEnv();
  const server = startServer(options);
  console.log(`jifen: serving on ${server.url} (database ${options.databasePath}, public URL ${options.publicUrl})`);
}
