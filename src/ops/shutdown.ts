/**
 * Graceful shutdown on SIGTERM (systemd, docker stop) and SIGINT (Ctrl-C): stop listening, let
 * every request in flight finish (a sale waiting on the group commit's fsync included: its
 * handler awaits that commit, so a finished request is a durable one), then close what the server
 * opened, the database last, and exit 0. A second signal, or requests still running after
 * `timeoutMs`, stops at once with exit code 1: nothing unacknowledged is half written (SQLite
 * rolls back an uncommitted transaction), but a client may not get its answer.
 */
import type { Server } from "bun";

export const SHUTDOWN_TIMEOUT_MS = 10_000;

export type ShutdownOptions = {
  server: Server<unknown>;
  /** Closes everything but the listener (timers, then the database), in order; runs once, after the last request. */
  close: () => void | Promise<void>;
  timeoutMs?: number;
  log?: (line: string) => void;
  exit?: (code: number) => void;
};

/**
 * Returns the function to call on a signal. It resolves with the exit code it passed to `exit`.
 * Idle keep-alive connections are closed at once by Bun's stop(); a connection with a request in
 * flight closes after its response, so no client waits for an answer that never comes.
 */
export function gracefulShutdown(options: ShutdownOptions): (signal: string) => Promise<number> {
  const log = options.log ?? ((line: string) => console.error(line));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = options.timeoutMs ?? SHUTDOWN_TIMEOUT_MS;
  let running: Promise<number> | null = null;
  let force: ((signal: string) => void) | null = null;
  return (signal) => {
    if (running !== null) {
      force?.(signal);
      return running;
    }
    running = new Promise<number>((resolve) => {
      let done = false;
      const finish = async (code: number, why: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (code !== 0) void options.server.stop(true);
        try {
          await options.close();
        } catch (error) {
          log(`jifen: error while closing: ${String(error)}`);
          code = 1;
        }
        log(`jifen: ${why}; exit ${code}`);
        resolve(code);
        exit(code);
      };
      force = (second) =>
        void finish(
          1,
          `${second} again: stopped without waiting for ${options.server.pendingRequests} request(s)`,
        );
      const timer = setTimeout(
        () => void finish(1, `requests still running after ${timeoutMs} ms: stopped without them`),
        timeoutMs,
      );
      log(
        `jifen: ${signal}: no new requests; finishing ${options.server.pendingRequests} in flight`,
      );
      options.server.stop(false).then(
        () => finish(0, "stopped cleanly"),
        (error: unknown) => finish(1, `stopping the listener failed: ${String(error)}`),
      );
    });
    return running;
  };
}

/** Calls `shutdown` on SIGTERM and SIGINT (a second one forces). */
export function onStopSignals(shutdown: (signal: string) => Promise<number>): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const)
    process.on(signal, () => void shutdown(signal));
}
