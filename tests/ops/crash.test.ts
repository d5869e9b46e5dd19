/**
 * Crash safety, at length: the real server process (`bun src/main.ts`) is killed with SIGKILL at
 * a random moment of a mixed load (awards, batches of three, sales, voids from 8 clients), then
 * started again on the same file, CRASH_CYCLES times (10 here; `CRASH_CYCLES=100 bun test
 * tests/ops/crash.test.ts` for the long form, CRASH_SEED=n to replay one run). After each restart:
 * every write ever acknowledged is in the file exactly once; a write that got no answer is there
 * whole or not at all; balances equal the sums of their entries, stock the sums of its movements,
 * every sale has its entry, lines and one Idempotency-Key row; the integrity check passes and the
 * chain verifies. Each unanswered write is then sent again with its key, as a kiosk retries: it
 * is either replayed (it had been made) or made now, never twice.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildWorld,
  checkInvariants,
  checkOutcomes,
  LoadClient,
  mulberry,
  warmServerProcess,
  type Outcome,
  type ServerProcess,
} from "./world.ts";

const CYCLES = Number(process.env["CRASH_CYCLES"] ?? 10);
const SEED = Number(process.env["CRASH_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
const CLIENTS = 8;
const dir = mkdtempSync(join(tmpdir(), "jifen-crash-"));
let server: ServerProcess | null = null;
let next: ReturnType<typeof warmServerProcess> | null = null;

afterAll(() => {
  server?.proc.kill("SIGKILL");
  next?.proc.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

test(
  `SIGKILL at random moments under mixed load, ${CYCLES} times: nothing acknowledged lost, nothing half written (seed ${SEED})`,
  async () => {
    const random = mulberry(SEED);
    const file = join(dir, "crash.db");
    const world = await buildWorld(file);
    const outcomes: Outcome[] = [];
    let url = "";
    const clients = Array.from(
      { length: CLIENTS },
      (_, i) => new LoadClient(world, () => url, `k${i}`, 20_000, mulberry(SEED + i + 1)),
    );
    let unanswered: Outcome[] = [];
    const totals = { acknowledged: 0, unanswered: 0, unansweredThere: 0, resent: 0 };
    const ms = { start: 0, check: 0, load: 0 };
    let t = performance.now();
    const lap = (phase: keyof typeof ms) => {
      const now = performance.now();
      ms[phase] += now - t;
      t = now;
    };
    for (let cycle = 0; cycle <= CYCLES; cycle++) {
      // The next server loads its code meanwhile (tests/ops/warm-server.ts); it opens the file only
      // when started, after the kill, as a restart does.
      server = await (next ?? warmServerProcess(file)).start();
      next = cycle < CYCLES ? warmServerProcess(file) : null;
      url = server.url;
      lap("start");
      // The server recovered the file; everything so far must hold.
      checkInvariants(file);
      const checked = checkOutcomes(file, outcomes);
      totals.unansweredThere = checked.unansweredThere;

      // Retry what got no answer, with the same key and body: made once, whether or not it had been.
      const retried = await Promise.all(
        unanswered.filter((o) => o.op !== "void").map((o, i) => clients[i % CLIENTS]!.resend(o)),
      );
      totals.resent += retried.length;
      for (const r of retried) {
        if (!r.answered || r.status !== 201)
          throw new Error(
            `resent ${r.op} ${r.key}: ${r.answered ? `${r.status} ${JSON.stringify(r.body)}` : r.error} (seed ${SEED})`,
          );
        outcomes[outcomes.findIndex((o) => o.key === r.key)] = r;
      }
      if (retried.length > 0) checkOutcomes(file, outcomes);
      lap("check");
      if (cycle === CYCLES) break;

      // Load, then a kill at a random moment after the first answers of this cycle.
      const before = clients.map((c) => c.outcomes.length);
      let killed = false;
      const runs = clients.map(async (c) => {
        for (;;) {
          const o = await c.once();
          if (killed && !o.answered) return;
        }
      });
      const answeredNow = () =>
        clients.reduce(
          (n, c, i) => n + c.outcomes.slice(before[i]).filter((o) => o.answered).length,
          0,
        );
      while (answeredNow() < 8) await Bun.sleep(5);
      await Bun.sleep(Math.floor(random() * 400));
      server.proc.kill("SIGKILL");
      killed = true;
      expect(await server.proc.exited).not.toBe(0);
      server = null;
      await Promise.all(runs);
      const fresh = clients.flatMap((c, i) => c.outcomes.slice(before[i]));
      outcomes.push(...fresh);
      unanswered = fresh.filter((o) => !o.answered);
      if (fresh.some((o) => !o.answered && o.error === "timeout"))
        throw new Error(`a request hung (seed ${SEED})`);
      totals.unanswered += unanswered.length;
      lap("load");
      if (CYCLES > 10 && (cycle + 1) % 10 === 0)
        console.log(
          `crash: ${cycle + 1} of ${CYCLES} kills, ${outcomes.length} writes sent so far (seed ${SEED})`,
        );
    }
    server?.proc.kill("SIGTERM");
    expect(await server!.proc.exited).toBe(0);
    server = null;
    const final = checkOutcomes(file, outcomes);
    totals.acknowledged = final.acknowledged;
    console.log(
      `crash: ${CYCLES} kills (seed ${SEED}); ${final.acknowledged} writes acknowledged and all there; ${totals.unanswered} cut off by a kill, resent once each (${totals.resent}); ms in restarts ${ms.start.toFixed(0)}, checks ${ms.check.toFixed(0)}, load ${ms.load.toFixed(0)}`,
    );
    expect(final.acknowledged).toBeGreaterThan(CYCLES * 8);
    // Every write cut off by a kill was sent again and answered: none is left unanswered.
    expect(outcomes.filter((o) => !o.answered && o.op !== "void")).toEqual([]);
  },
  Math.max(60_000, CYCLES * 30_000),
);
