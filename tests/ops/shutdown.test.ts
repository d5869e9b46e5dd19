/**
 * Graceful shutdown of the real server process (`bun src/main.ts`): under a mixed load of awards,
 * batches, sales and voids from 16 clients, SIGTERM stops the listener, lets every request in
 * flight finish (sales waiting on the group commit's fsync among them), closes the database and
 * exits 0. Every client's every request is answered or refused a connection, none waits; every
 * acknowledged write is in the file once; nothing was written that was not answered; the balances,
 * stock and chain hold.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildWorld,
  checkInvariants,
  checkOutcomes,
  LoadClient,
  startServerProcess,
  type Outcome,
} from "./world.ts";

const dir = mkdtempSync(join(tmpdir(), "jifen-shutdown-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal} under load: requests in flight finish, none hangs, nothing acknowledged lost, exit 0`, async () => {
    // The signal can land in a gap with nothing in flight (every client between two requests);
    // such a run proves the rest but not the in-flight part, so it is run again, at most 3 times.
    for (let attempt = 1; ; attempt++) {
      const exercised = await oneStop(signal, attempt);
      if (exercised) return;
      if (attempt === 3)
        throw new Error(`${signal}: three runs in a row had nothing in flight at the signal`);
      console.warn(
        `${signal}: nothing was in flight at the signal (run ${attempt}); running again`,
      );
    }
  }, 120_000);
}

/** One run: load, signal, checks. Returns whether requests were in flight at the signal (else the in-flight part is unproven). */
async function oneStop(signal: "SIGTERM" | "SIGINT", attempt: number): Promise<boolean> {
  {
    const file = join(dir, `${signal}-${attempt}.db`);
    const world = await buildWorld(file);
    const server = await startServerProcess(file);
    let signalled = false;
    const clients = Array.from(
      { length: 16 },
      (_, i) => new LoadClient(world, () => server.url, `${signal}-c${i}`, 15_000),
    );
    // Each client sends one request after another until, after the signal, the server refuses it.
    const afterSignal: Outcome[] = [];
    const drive = async (client: LoadClient) => {
      for (;;) {
        const sentAfterSignal = signalled;
        const o = await client.once();
        if (signalled && o.answered && !sentAfterSignal) afterSignal.push(o);
        if (signalled && !o.answered) return;
      }
    };
    const runs = clients.map(drive);
    // Under way: a few dozen writes answered (however busy the machine), then the signal.
    const acked = () =>
      clients.reduce(
        (n, c) => n + c.outcomes.filter((o) => o.answered && o.status === 201).length,
        0,
      );
    while (acked() < 60) await Bun.sleep(20);
    signalled = true;
    server.proc.kill(signal);
    const code = await server.proc.exited;
    await Promise.all(runs);

    expect(code).toBe(0);
    expect(server.stderr()).toContain("stopped cleanly");
    const inFlight = Number(/finishing (\d+) in flight/.exec(server.stderr())?.[1]);
    const outcomes = clients.flatMap((c) => c.outcomes);
    // No client hangs: a request is answered, or its connection is refused or closed unanswered.
    expect(outcomes.filter((o) => !o.answered && o.error === "timeout")).toEqual([]);
    // Every answer is a success: the load never asks for anything refusable.
    expect(outcomes.filter((o) => o.answered && o.status !== 201)).toEqual([]);
    // Requests sent before the signal and answered after it: the server finished what it had.
    if (inFlight > 0) expect(afterSignal.length).toBeGreaterThan(0);

    const checked = checkOutcomes(file, outcomes);
    expect(checked.acknowledged).toBeGreaterThanOrEqual(60);
    // A clean stop answers everything it did: nothing was written without an answer.
    expect(checked.unansweredThere).toBe(0);
    checkInvariants(file);
    const refusals = [...new Set(outcomes.flatMap((o) => (o.answered ? [] : [o.error])))];
    console.log(
      `${signal}: ${checked.acknowledged} writes acknowledged, ${inFlight} in flight at the signal, ${afterSignal.length} answered after it; then ${refusals.join(" / ")}`,
    );
    // The database was closed cleanly: its WAL checkpointed into the file and removed (or emptied).
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
    return inFlight > 0;
  }
}
