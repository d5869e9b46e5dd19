/**
 * A kiosk's card read while a large CSV import runs (issue 20, finding 9): the server in its own
 * process on a temp file, a 100,000-row household import sent to it, and a kiosk reading a card
 * every 25 ms until the import answers. Prints the import's time and the card reads' latencies
 * (median, 99th percentile, worst) during it, beside the same reads with no import running.
 *
 *   bun tests/bench/import.bench.ts [rows]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { ensureAdmin } from "../../src/auth/bootstrap.ts";
import { spawnServerProcess } from "../support/server.ts";

const ROWS = Number(process.argv[2] ?? 100_000);
const READ_EVERY_MS = 25;
const PASSWORD = "bench-admin-password";

const dir = mkdtempSync(join(tmpdir(), "jifen-import-bench-"));
const file = join(dir, "bench.db");
const setup = openDatabase(file);
migrate(setup, Date.now());
ensureAdmin(setup, PASSWORD, Date.now());
setup.close();

const { proc, origin } = await spawnServerProcess(file);
try {
  const login = await fetch(`${origin}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: PASSWORD }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { cookie, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as any;
  };
  const villageId = (await call("POST", "/api/villages", { name: "东河村", code: "DH" })).village
    .id;
  const household = (
    await call("POST", `/api/villages/${villageId}/households`, { headName: "张建华" })
  ).household;
  const card = await call("POST", `/api/households/${household.id}/cards`);
  const kiosk = await call("POST", `/api/villages/${villageId}/kiosks`, { name: "超市一号机" });

  const readOnce = async (): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${origin}/api/kiosk/cards/${card.token}`, {
      headers: { authorization: `Bearer ${kiosk.token}` },
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`card read ${res.status}`);
    return performance.now() - started;
  };
  const readsUntil = async (done: () => boolean): Promise<number[]> => {
    const latencies: number[] = [];
    while (!done()) {
      latencies.push(await readOnce());
      await Bun.sleep(READ_EVERY_MS);
    }
    return latencies;
  };
  const summary = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
    return `${s.length} reads, median ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, worst ${s[s.length - 1]!.toFixed(1)} ms`;
  };

  const idle = await (async () => {
    const until = performance.now() + 2000;
    return readsUntil(() => performance.now() > until);
  })();

  const lines = ["户主,住址,成员"];
  for (let i = 0; i < ROWS; i++) lines.push(`村民${i},${(i % 40) + 1}组${i}号,家人${i}、亲属${i}`);
  const csv = new TextEncoder().encode(lines.join("\n") + "\n");
  let finished = false;
  const started = performance.now();
  const importing = fetch(`${origin}/api/villages/${villageId}/households/import`, {
    method: "POST",
    headers: { cookie, "content-type": "text/csv" },
    body: csv,
  }).then(async (res) => {
    const body = (await res.json()) as { created?: number };
    finished = true;
    return { status: res.status, created: body.created, ms: performance.now() - started };
  });
  const during = await readsUntil(() => finished);
  const imported = await importing;

  console.log(
    `import of ${ROWS.toLocaleString("en")} rows (${(csv.byteLength / 2 ** 20).toFixed(1)} MiB): ${imported.status}, ${imported.created} created in ${(imported.ms / 1000).toFixed(1)} s`,
  );
  console.log(`card reads, no import:     ${summary(idle)}`);
  console.log(`card reads, during import: ${summary(during)}`);
} finally {
  proc.kill();
  await proc.exited;
  rmSync(dir, { recursive: true, force: true });
}
