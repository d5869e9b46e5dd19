/**
 * Continuous replication with Litestream (issue 17; recipe in docs/operations.md). The real
 * server (`bun src/main.ts`) takes awards from several clients at once while Litestream 0.3.13
 * (from npm: @flydotio/litestream) replicates its database to a file replica. At a moment under
 * load the machine "dies": server and Litestream are killed with SIGKILL together and the whole
 * data folder (database, -wal, -shm, Litestream's shadow WAL) is deleted. `litestream restore`
 * then rebuilds the database from the replica alone, and:
 *  - the copy passes PRAGMA integrity_check and the full verify (chain, every balance);
 *  - every award acknowledged (201) earlier than the loss window before the kill is in it, once;
 *  - nothing in it is half written (the chain verifies), and a restored entry that was never
 *    acknowledged can only be one whose answer the kill cut off.
 *
 * The window. Litestream replicates asynchronously: it looks at the WAL every second (its monitor
 * interval) and ships what it copied to each replica every `sync-interval` (1 s, its default,
 * set here explicitly). A write acknowledged less than about monitor + sync-interval before a
 * crash can be lost; Litestream documents exactly this ("a small window, typically the sync
 * interval"). The test measures, for the acknowledged awards missing from the copy, how long
 * before the kill the oldest of them was acknowledged, and requires that to be within
 * WINDOW_LIMIT_MS = monitor 1 s + sync-interval 1 s + 2 s for a busy two-core machine.
 *
 * The load is 200 awards a second (LITESTREAM_RATE), far above a township's busiest hour. Flat
 * out (LITESTREAM_RATE=0), 550-1,000 a second write 30-50 MB of WAL a second and Litestream on
 * a shared two-core host falls seconds behind: the window is then its lag (docs/operations.md).
 *
 * Short form in `npm test` (one round, 4 s of load). Long form:
 *   LITESTREAM_ROUNDS=10 LITESTREAM_LOAD_SECONDS=30 bun test tests/ops/litestream.test.ts
 * LITESTREAM_LOG=1 prints Litestream's own log of each round (the WAL segments it shipped, when).
 *
 * Where the binary cannot run (package-lock.json records it for linux x64 only), the test is
 * skipped and says so on stderr; under CI=true on linux x64, where `npm ci` installs it from
 * package-lock.json, a missing or broken binary fails the test instead.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyLedgerFile } from "../../src/ledger/verify-file.ts";

const ROOT = join(import.meta.dir, "..", "..");
const ROUNDS = Number(process.env["LITESTREAM_ROUNDS"] ?? 1);
const LOAD_MS = Number(process.env["LITESTREAM_LOAD_SECONDS"] ?? 4) * 1000;
const CLIENTS = 8;
/**
 * Awards a second from all clients together; 0 sends as fast as the server answers. 200 a second
 * is far above a township's busiest hour (a few sales a minute per kiosk) and writes about 8 MB of
 * WAL a second here (each commit rewrites its pages whole); see the flood below for more.
 */
const RATE_PER_SECOND = Number(process.env["LITESTREAM_RATE"] ?? 200);
const SYNC_INTERVAL_MS = 1000;
const MONITOR_INTERVAL_MS = 1000;
const WINDOW_LIMIT_MS = MONITOR_INTERVAL_MS + SYNC_INTERVAL_MS + 2000;
const ADMIN_PASSWORD = "litestream-test-admin-password";

setDefaultTimeout(60_000 + ROUNDS * (LOAD_MS + 30_000));

/** The binary npm installed for this machine, if it runs. */
function litestreamBinary(): { path: string; version: string } | { problem: string } {
  const pkg = `@flydotio/litestream-${process.platform}-${process.arch}`;
  let path: string;
  try {
    path = createRequire(join(ROOT, "package.json")).resolve(`${pkg}/litestream`);
  } catch {
    return {
      problem: `${pkg} is not installed (package-lock.json records Litestream's binary for linux x64 only)`,
    };
  }
  const run = Bun.spawnSync([path, "version"]);
  if (run.exitCode !== 0)
    return {
      problem: `${path} does not run here: ${run.stderr.toString().trim() || `exit ${run.exitCode}`}`,
    };
  return { path, version: run.stdout.toString().trim() };
}

const binary = litestreamBinary();
const mustRun =
  process.env["CI"] === "true" && process.platform === "linux" && process.arch === "x64";
if ("problem" in binary) {
  console.error(`\n*** tests/ops/litestream.test.ts: SKIPPED: ${binary.problem}\n`);
  if (mustRun)
    test("Litestream's binary runs under CI, where npm ci installs it", () =>
      expect(binary.problem).toBe("no problem"));
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "jifen-litestream-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Server = { proc: ReturnType<typeof Bun.spawn>; url: string };

async function startServer(databasePath: string): Promise<Server> {
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/main.ts")], {
    env: {
      ...process.env,
      PORT: "0",
      DATABASE_PATH: databasePath,
      ADMIN_PASSWORD,
      LOG_REQUESTS: "0",
      BACKUP_DIR: "",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 30_000;
  while (!/serving on (http:\/\/\S+)/.test(text)) {
    if (Date.now() > deadline) throw new Error(`server did not start: ${text}`);
    const { value, done } = await reader.read();
    if (done)
      throw new Error(
        `server exited: ${text}${await new Response(proc.stderr as ReadableStream).text()}`,
      );
    text += decoder.decode(value);
  }
  reader.releaseLock();
  void (proc.stdout as ReadableStream<Uint8Array>).pipeTo(new WritableStream());
  return { proc, url: /serving on (http:\/\/\S+)/.exec(text)![1]! };
}

async function call(
  server: Server,
  cookie: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any; cookie: string | null }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { "content-type": "application/json", ...(cookie === null ? {} : { cookie }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : null,
    cookie: res.headers.get("set-cookie")?.split(";")[0] ?? null,
  };
}

/** Waits until Litestream has written the replica's first snapshot. */
async function replicaReady(replica: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const generations = join(replica, "generations");
    if (existsSync(generations)) {
      for (const g of readdirSync(generations)) {
        const snapshots = join(generations, g, "snapshots");
        if (existsSync(snapshots) && readdirSync(snapshots).length > 0) return;
      }
    }
    if (Date.now() > deadline) throw new Error("Litestream wrote no snapshot within 30 s");
    await Bun.sleep(100);
  }
}

if (!("problem" in binary)) {
  const bin = binary.path;
  for (let round = 1; round <= ROUNDS; round++) {
    test(`Litestream ${binary.version}: the database is lost under load and restored from a file replica; nothing acknowledged is lost beyond the window (round ${round} of ${ROUNDS})`, async () => {
      const data = join(dir, `data-${round}`);
      const replica = join(dir, `replica-${round}`);
      mkdirSync(data, { recursive: true });
      const database = join(data, "village.db");
      const config = join(dir, `litestream-${round}.yml`);
      writeFileSync(
        config,
        `dbs:\n  - path: ${database}\n    replicas:\n      - type: file\n        path: ${replica}\n        sync-interval: ${SYNC_INTERVAL_MS / 1000}s\n`,
      );

      const server = await startServer(database);
      const litestream = Bun.spawn([bin, "replicate", "-config", config], {
        stdout: "pipe",
        stderr: "pipe",
      });
      let killed = false;
      try {
        const login = await call(server, null, "POST", "/api/auth/login", {
          username: "admin",
          password: ADMIN_PASSWORD,
        });
        expect(login.status).toBe(200);
        const cookie = login.cookie!;
        const village = (
          await call(server, cookie, "POST", "/api/villages", { name: "东河村", code: "DH" })
        ).body.village.id as string;
        const rule = (
          await call(server, cookie, "POST", `/api/villages/${village}/rules`, {
            code: "R1",
            title: "清扫",
            category: "environment",
            points: 5,
          })
        ).body.rule.id as string;
        const households: string[] = [];
        for (let i = 0; i < 20; i++)
          households.push(
            (
              await call(server, cookie, "POST", `/api/villages/${village}/households`, {
                headName: `户主${i}`,
              })
            ).body.household.id,
          );
        await replicaReady(replica);

        // Load: CLIENTS clients award at RATE_PER_SECOND together (or flat out); each 201 is noted with its time.
        const acknowledged: { id: number; atMs: number }[] = [];
        let sent = 0;
        let stop = false;
        const loadStartMs = Date.now();
        const client = async (c: number): Promise<void> => {
          for (let i = 0; !stop; i++) {
            if (RATE_PER_SECOND > 0) {
              // Client c's i-th award is due at its share of the rate; a late one goes at once.
              const dueMs = loadStartMs + ((i * CLIENTS + c) * 1000) / RATE_PER_SECOND;
              if (dueMs > Date.now()) await Bun.sleep(dueMs - Date.now());
              if (stop) break;
            }
            sent++;
            try {
              const r = await call(server, cookie, "POST", "/api/entries", {
                householdId: households[(c * 7 + i) % households.length],
                ruleId: rule,
              });
              if (r.status === 201)
                acknowledged.push({ id: Number(r.body.entry.id), atMs: Date.now() });
              else if (!stop) throw new Error(`award → ${r.status} ${JSON.stringify(r.body)}`);
            } catch (error) {
              if (!stop) throw error;
            }
          }
        };
        const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
        // The crash comes at a random moment in the second half of the load.
        await Bun.sleep(LOAD_MS / 2 + Math.random() * (LOAD_MS / 2));
        const killAtMs = Date.now();
        server.proc.kill("SIGKILL");
        litestream.kill("SIGKILL");
        killed = true;
        stop = true;
        await Promise.allSettled(clients);
        await Promise.all([server.proc.exited, litestream.exited]);
        const litestreamLog =
          (await new Response(litestream.stderr as ReadableStream).text()) +
          (await new Response(litestream.stdout as ReadableStream).text());
        if (process.env["LITESTREAM_LOG"] === "1") console.error(litestreamLog);
        expect(acknowledged.length).toBeGreaterThan(50);

        // The disk is gone: the database, its WAL and Litestream's own files beside it.
        rmSync(data, { recursive: true, force: true });
        const restored = join(dir, `restored-${round}.db`);
        const restore = Bun.spawnSync([
          bin,
          "restore",
          "-config",
          config,
          "-o",
          restored,
          database,
        ]);
        expect(restore.stderr.toString() + restore.stdout.toString()).not.toContain("error");
        expect(restore.exitCode).toBe(0);

        const db = new Database(restored, { readonly: true });
        expect(
          db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()!
            .integrity_check,
        ).toBe("ok");
        const present = new Set(
          db
            .query<{ id: number }, []>("SELECT id FROM entries WHERE status = 'posted'")
            .all()
            .map((r) => r.id),
        );
        const maxId =
          db.query<{ id: number | null }, []>("SELECT max(id) AS id FROM entries").get()!.id ?? 0;
        db.close();
        const verified = await verifyLedgerFile(restored);
        expect(verified.ok).toBe(true);

        const lost = acknowledged.filter((a) => !present.has(a.id));
        const windowMs = lost.length === 0 ? 0 : killAtMs - Math.min(...lost.map((a) => a.atMs));
        // What was restored is a prefix of what was written: every acknowledged id up to the
        // restored maximum is there (ids are given in commit order), and the lost are all after it.
        expect(acknowledged.filter((a) => a.id <= maxId && !present.has(a.id))).toEqual([]);
        const acknowledgedIds = new Set(acknowledged.map((a) => a.id));
        const notAcknowledged = [...present].filter((id) => !acknowledgedIds.has(id)).length;
        console.error(
          `litestream round ${round}: ${sent} awards sent, ${acknowledged.length} acknowledged in ${(LOAD_MS / 1000).toFixed(0)} s of load at ${RATE_PER_SECOND > 0 ? `${RATE_PER_SECOND}/s` : "full speed"}; restored ${present.size} (${notAcknowledged} whose answer the kill cut off); ${lost.length} acknowledged awards lost, the oldest acknowledged ${windowMs} ms before the kill (limit ${WINDOW_LIMIT_MS} ms); chain of ${verified.entries} entries verifies`,
        );
        expect(windowMs).toBeLessThanOrEqual(WINDOW_LIMIT_MS);

        // The operator's last step (docs/operations.md): `bun run restore` checks the copy and puts it in place.
        mkdirSync(data, { recursive: true });
        const put = Bun.spawnSync(
          [process.execPath, join(ROOT, "src/ops/restore-cli.ts"), restored],
          { env: { ...process.env, DATABASE_PATH: database } },
        );
        expect(put.stdout.toString()).toContain(`${verified.entries} posted entries chained`);
        expect(put.exitCode).toBe(0);
      } finally {
        if (!killed) {
          server.proc.kill("SIGKILL");
          litestream.kill("SIGKILL");
        }
      }
    });
  }
}
