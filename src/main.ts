import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { openDatabase } from "./db/open.ts";
import { migrate, MigrationError } from "./db/migrate.ts";
import { createApp } from "./http/app.ts";
import { systemClock, type Clock } from "./shared/clock.ts";
import type { DemoShowcase } from "./pages/start-page.ts";
import { ensureAdmin } from "./auth/bootstrap.ts";
import { startNoticeScheduler } from "./ledger/scheduler.ts";
import {
  DAILY_DEFAULTS,
  dailyOptionsFromEnv,
  startDailyJobs,
  type DailyOptions,
} from "./ops/daily.ts";
import { closeDatabase, groupCommitFor } from "./db/group-commit.ts";
import { gracefulShutdown, onStopSignals, SHUTDOWN_TIMEOUT_MS } from "./ops/shutdown.ts";

/**
 * The only place that reads the environment, opens files and serves. `clock` and `demo` are set
 * by the demo alone (src/demo/main.ts): a demo built for another day runs on that day, and its
 * start page lists the demo logins.
 */
export type ServerOptions = {
  port: number;
  databasePath: string;
  publicUrl: string;
  adminPassword: string | undefined;
  quiet: boolean;
  trustedProxies: number;
  metricsToken?: string | null;
  shutdownTimeoutMs?: number;
  daily?: DailyOptions;
  clock?: Clock;
  demo?: DemoShowcase;
};

/** More proxies than this in a row is a mistake in TRUST_PROXY, not a network. */
const TRUSTED_PROXIES_MAX = 5;

/** TRUST_PROXY: unset, `0` or `false` trusts no proxy; `true` is one; a number is that many. */
export function trustedProxiesFrom(value: string | undefined): number {
  if (value === undefined || value === "" || value === "false") return 0;
  if (value === "true") return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > TRUSTED_PROXIES_MAX)
    throw new Error(
      `TRUST_PROXY must be true, false or the number of reverse proxies in front of the server (0 to ${TRUSTED_PROXIES_MAX}), not ${value}`,
    );
  return n;
}

export function optionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ServerOptions {
  const port = Number(env["PORT"] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not ${env["PORT"]}`);
  return {
    port,
    databasePath: env["DATABASE_PATH"] ?? "data/village.db",
    publicUrl: (env["PUBLIC_URL"] ?? `http://localhost:${port}`).replace(/\/+$/, ""),
    adminPassword: env["ADMIN_PASSWORD"],
    quiet: env["LOG_REQUESTS"] === "0",
    trustedProxies: trustedProxiesFrom(env["TRUST_PROXY"]),
    daily: dailyOptionsFromEnv(env),
    metricsToken: metricsTokenFrom(env["METRICS_TOKEN"]),
    shutdownTimeoutMs: shutdownTimeoutFrom(env["SHUTDOWN_TIMEOUT_MS"]),
  };
}

/** METRICS_TOKEN: unset or empty serves /metrics to this machine only; a token must be long enough not to guess. */
export function metricsTokenFrom(value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  if (value.length < 16 || !/^[\x21-\x7e]+$/.test(value))
    throw new Error(
      "METRICS_TOKEN must be at least 16 printable characters without spaces (for example: openssl rand -hex 32)",
    );
  return value;
}

/** SHUTDOWN_TIMEOUT_MS: how long a stop waits for requests in flight before it gives up on them. */
export function shutdownTimeoutFrom(value: string | undefined): number {
  if (value === undefined || value === "") return SHUTDOWN_TIMEOUT_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`SHUTDOWN_TIMEOUT_MS must be a number of milliseconds, not ${value}`);
  return n;
}

export function startServer(options: ServerOptions): {
  stop: () => void;
  shutdown: (signal: string) => Promise<number>;
  port: number;
  url: string;
} {
  const clock = options.clock ?? systemClock;
  if (options.databasePath !== ":memory:")
    mkdirSync(dirname(options.databasePath), { recursive: true });
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
    console.log(
      created.generated
        ? `jifen: created township administrator "admin" with password: ${created.password}\n       (shown once; change it after signing in)`
        : `jifen: created township administrator "admin" with the password from ADMIN_PASSWORD`,
    );
  }
  const group = groupCommitFor(db);
  const app = createApp(db, clock, {
    publicUrl: options.publicUrl,
    trustedProxies: options.trustedProxies,
    log: options.quiet ? null : (line) => console.log(line),
    demo: options.demo ?? null,
    metricsToken: options.metricsToken ?? null,
    metricsSources: { groupCommit: () => group.stats },
  });
  const scheduler = startNoticeScheduler(db, clock);
  // Once a day: the chain's checkpoint, and a backup into BACKUP_DIR (src/ops/daily.ts).
  const daily = startDailyJobs(db, clock, options.daily ?? DAILY_DEFAULTS);
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      port: options.port,
      fetch: app.fetch,
      maxRequestBodySize: 16 * 1024 * 1024,
    });
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE") {
      console.error(
        `jifen: cannot start: port ${options.port} is already in use. Stop the other program or set PORT to a free port.`,
      );
      process.exit(1);
    }
    throw error;
  }
  // The last request is answered only after its commit, so once the listener has closed, the
  // group commit has nothing left; closeDatabase() makes sure before it closes the connection.
  const shutdown = gracefulShutdown({
    server,
    timeoutMs: options.shutdownTimeoutMs ?? SHUTDOWN_TIMEOUT_MS,
    close: async () => {
      scheduler.stop();
      daily.stop();
      // Commits anything still queued on the group commit, then closes the connection.
      await closeDatabase(db);
    },
  });
  return {
    shutdown,
    port: server.port ?? options.port,
    url: `http://localhost:${server.port}`,
    stop: () => {
      server.stop(true);
      scheduler.stop();
      daily.stop();
      db.close();
    },
  };
}

if (import.meta.main) {
  const options = optionsFromEnv();
  const server = startServer(options);
  onStopSignals(server.shutdown);
  console.log(
    `jifen: serving on ${server.url} (database ${options.databasePath}, public URL ${options.publicUrl})`,
  );
}
