/**
 * A real server on a free loopback port over a temp SQLite file, for browser and multi-process
 * tests. Each test gets its own database and port.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "bun:sqlite";
import type { Subprocess } from "bun";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createApp } from "../../src/http/app.ts";
import { ensureAdmin } from "../../src/auth/bootstrap.ts";
import { systemClock, type Clock } from "../../src/shared/clock.ts";
import { setPasswordCost } from "../../src/auth/users.ts";
import { ADMIN_PASSWORD } from "./harness.ts";

setPasswordCost({ memoryCost: 1024, timeCost: 1 });

export type TestServer = {
  url: string;
  port: number;
  db: Database;
  dir: string;
  stop: () => void;
  login: (username: string, password?: string) => Promise<string>;
};

export function startTestServer(options: { clock?: Clock } = {}): TestServer {
  const dir = mkdtempSync(join(tmpdir(), "jifen-srv-"));
  const db = openDatabase(join(dir, "test.db"));
  const clock = options.clock ?? systemClock;
  migrate(db, clock.nowMs());
  ensureAdmin(db, ADMIN_PASSWORD, clock.nowMs());
  // Port 0 asks the OS for a free port; PUBLIC_URL must match it, so build the app after.
  let publicUrl = "";
  let app: ReturnType<typeof createApp> | null = null;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req, srv) => app!.fetch(req, srv),
  });
  publicUrl = `http://127.0.0.1:${server.port}`;
  app = createApp(db, clock, { publicUrl, log: () => {}, validateResponses: true });
  const login = async (username: string, password = ADMIN_PASSWORD) => {
    const res = await fetch(`${publicUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login failed ${res.status}`);
    return res.headers.get("set-cookie")!.split(";")[0]!;
  };
  return {
    url: publicUrl,
    port: server.port!,
    db,
    dir,
    login,
    stop: () => {
      server.stop(true);
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real app in a server process of its own (tests/support/server-process.ts) on `file`, for
 * tests and benches where two processes share one database or the load generator must not share
 * the server's process. Resolves once the process says which port it took.
 */
export async function spawnServerProcess(
  file: string,
): Promise<{ proc: Subprocess<"ignore", "pipe", "inherit">; origin: string }> {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "server-process.ts"), file], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = proc.stdout.getReader();
  let text = "";
  while (!/PORT \d+\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`server process exited early: ${text}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return { proc, origin: `http://127.0.0.1:${/PORT (\d+)/.exec(text)![1]}` };
}
