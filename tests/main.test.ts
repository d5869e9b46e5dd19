/**
 * Proves the process-level behaviour of `bun run start`, `bun run backup` and the request log:
 * a real server process on a temp database prints the admin password once, answers /healthz,
 * refuses to start on an edited migration naming the file, writes one JSON line per request
 * with the route pattern and never a card or device token, and a backup taken while it serves is
 * a consistent copy.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { createHarness } from "./support/harness.ts";

const ROOT = join(import.meta.dir, "..");

async function startProcess(
  env: Record<string, string>,
): Promise<{ proc: ReturnType<typeof Bun.spawn>; url: string; output: () => string }> {
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/main.ts")], {
    env: { ...process.env, PORT: "0", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let text = "";
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + 15_000;
  while (!/serving on (http:\/\/\S+)/.test(text)) {
    if (Date.now() > deadline) throw new Error(`server did not start: ${text}`);
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  const url = /serving on (http:\/\/\S+)/.exec(text)?.[1] ?? "";
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += decoder.decode(value);
    }
  })();
  return { proc, url, output: () => text };
}

/** These tests start real server processes; on a loaded two-core machine a start takes up to 10 s. */
const SPAWN_TIMEOUT_MS = 30_000;

test(
  "start creates admin with a password printed once, serves /healthz and logs without tokens",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "jifen-main-"));
    try {
      const db = join(dir, "v.db");
      const first = await startProcess({ DATABASE_PATH: db });
      expect(first.output()).toMatch(
        /created township administrator "admin" with password: \S{16,}/,
      );
      const health = await fetch(`${first.url}/healthz`);
      expect(await health.json()).toEqual({ ok: true });
      const token = "A".repeat(22);
      await fetch(`${first.url}/api/public/cards/${token}`);
      await fetch(`${first.url}/c/${token}`);
      await Bun.sleep(100);
      const lines = first
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"));
      const logged = lines.map(
        (l) =>
          JSON.parse(l) as {
            method: string;
            route: string;
            status: number;
            ms: number;
            requestId: string;
          },
      );
      expect(
        logged.some(
          (l) =>
            l.route === "/api/public/cards/:token" &&
            l.status === 404 &&
            typeof l.ms === "number" &&
            l.requestId.length > 0,
        ),
      ).toBe(true);
      expect(first.output()).not.toContain(token);
      first.proc.kill();
      await first.proc.exited;

      const second = await startProcess({ DATABASE_PATH: db });
      expect(second.output()).not.toContain("created township administrator");
      second.proc.kill();
      await second.proc.exited;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  SPAWN_TIMEOUT_MS,
);

test(
  "start refuses a database whose applied migration was edited, and says which",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "jifen-main-"));
    try {
      const dbPath = join(dir, "v.db");
      const h = createHarness();
      h.close();
      const db = new Database(dbPath, { create: true });
      db.run(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at_ms INTEGER NOT NULL) STRICT",
      );
      db.run("INSERT INTO schema_migrations VALUES (1, '0001_foundation.sql', 'deadbeef', 0)");
      db.close();
      const proc = Bun.spawn([process.execPath, join(ROOT, "src/main.ts")], {
        env: { ...process.env, PORT: "0", DATABASE_PATH: dbPath },
        stdout: "pipe",
        stderr: "pipe",
      });
      const code = await proc.exited;
      const stderr = await new Response(proc.stderr as ReadableStream).text();
      expect(code).toBe(1);
      expect(stderr).toContain("0001_foundation.sql was edited after it was applied");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  SPAWN_TIMEOUT_MS,
);

test(
  "backup writes a consistent copy of a live database and refuses to overwrite",
  async () => {
    const h = createHarness();
    try {
      const admin = await h.login("admin");
      await h.json("POST", "/api/villages", {
        cookie: admin,
        body: { name: "东河村", code: "DH" },
      });
      const target = join(h.dir, "copy.db");
      const run = () =>
        Bun.spawnSync([process.execPath, join(ROOT, "src/db/backup-cli.ts"), target], {
          env: { ...process.env, DATABASE_PATH: join(h.dir, "test.db") },
        });
      const first = run();
      expect(first.exitCode).toBe(0);
      expect(existsSync(target)).toBe(true);
      const copy = new Database(target, { readonly: true });
      expect(copy.query("SELECT name FROM villages").all()).toEqual([{ name: "东河村" }]);
      copy.close();
      const second = run();
      expect(second.exitCode).toBe(1);
      expect(second.stderr.toString()).toContain("already exists");
    } finally {
      h.close();
    }
  },
  SPAWN_TIMEOUT_MS,
);

test(
  "start says plainly when the port is taken",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "jifen-main-"));
    const taken = Bun.serve({ port: 0, hostname: "0.0.0.0", fetch: () => new Response("busy") });
    try {
      const proc = Bun.spawn([process.execPath, join(ROOT, "src/main.ts")], {
        env: { ...process.env, PORT: String(taken.port), DATABASE_PATH: join(dir, "v.db") },
        stdout: "pipe",
        stderr: "pipe",
      });
      expect(await proc.exited).toBe(1);
      expect(await new Response(proc.stderr as ReadableStream).text()).toContain(
        `port ${taken.port} is already in use`,
      );
    } finally {
      taken.stop(true);
      rmSync(dir, { recursive: true, force: true });
    }
  },
  SPAWN_TIMEOUT_MS,
);
