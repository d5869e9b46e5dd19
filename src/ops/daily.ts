/**
 * The server's daily jobs, in one small scheduler: once each Asia/Shanghai day, the chain's
 * checkpoint (verified since the one before) and, when BACKUP_DIR is set, a backup kept
 * BACKUP_KEEP_DAYS days. The timer only asks "has today's work been done?" every few minutes; the
 * work itself runs on a worker thread (src/ops/ops-worker.ts), one job at a time, and a job that
 * fails (a full disk, a broken chain) is logged and tried again at the next look.
 *
 * Other timers stay where they are: posting entries whose notice ended (every 10 s,
 * src/ledger/scheduler.ts) is not a daily job, and idempotency keys are purged by the writes
 * themselves (src/idempotency/key-store.ts), with no timer to forget.
 */
import type { Database } from "bun:sqlite";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { databaseFile, immediate } from "../db/open.ts";
import { GENESIS_HASH } from "../ledger/chain.ts";
import { shanghaiDay } from "../shared/calendar.ts";
import { MINUTE_MS, SECOND_MS, type Clock } from "../shared/clock.ts";
import {
  BACKUP_KEEP_DAYS_DEFAULT,
  BACKUP_KEEP_DAYS_MAX,
  backupFileName,
  pruneBackups,
  type BackupWritten,
} from "./backup.ts";
import {
  checkpointOfDay,
  insertCheckpoint,
  lastCheckpoint,
  type Checkpoint,
} from "./checkpoint.ts";
import type { OpsAnswer, OpsJob } from "./ops-worker.ts";
import { verifySince, type SinceBroken, type SinceOk } from "./verify-since.ts";

/** BACKUP_DIR and BACKUP_KEEP_DAYS; the look times only for tests (see the constants below). */
export type DailyOptions = {
  backupDir: string | null;
  backupKeepDays: number;
  firstLookMs?: number;
  lookIntervalMs?: number;
};
export const DAILY_DEFAULTS: DailyOptions = {
  backupDir: null,
  backupKeepDays: BACKUP_KEEP_DAYS_DEFAULT,
};

/** How often the scheduler looks whether today's jobs are done. */
export const DAILY_LOOK_INTERVAL_MS = 5 * MINUTE_MS;
/** The first look comes this long after start: a server started for a moment (a test) does no daily work. */
export const DAILY_FIRST_LOOK_MS = 30 * SECOND_MS;

/** BACKUP_DIR (unset or empty: no daily backup) and BACKUP_KEEP_DAYS (default 14). */
export function dailyOptionsFromEnv(env: Record<string, string | undefined>): DailyOptions {
  const dir = env["BACKUP_DIR"];
  const keep = env["BACKUP_KEEP_DAYS"];
  const keepDays = keep === undefined || keep === "" ? BACKUP_KEEP_DAYS_DEFAULT : Number(keep);
  if (!Number.isInteger(keepDays) || keepDays < 1 || keepDays > BACKUP_KEEP_DAYS_MAX)
    throw new Error(
      `BACKUP_KEEP_DAYS must be a whole number of days from 1 to ${BACKUP_KEEP_DAYS_MAX}, not ${keep}`,
    );
  return { backupDir: dir === undefined || dir === "" ? null : dir, backupKeepDays: keepDays };
}

export type CheckpointOutcome =
  | { kind: "recorded"; checkpoint: Checkpoint; walked: number }
  | { kind: "exists"; checkpoint: Checkpoint }
  | { kind: "broken"; result: SinceBroken }
  /** Another process wrote a checkpoint between the verify and the write: look again later. */
  | { kind: "raced" };

/** Jobs on the ops thread, each with how to end it (stop() answers them as failed). */
export type RunningJobs = Map<Worker, (answer: OpsAnswer) => void>;

/** Runs a job on a thread of its own, listed in `running` until it answers. */
function onThread(job: OpsJob, running: RunningJobs): Promise<OpsAnswer> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL("./ops-worker.ts", import.meta.url).href);
    const done = (answer: OpsAnswer): void => {
      if (!running.delete(worker)) return;
      worker.terminate();
      resolve(answer);
    };
    running.set(worker, done);
    worker.onmessage = (event: MessageEvent<OpsAnswer>) => done(event.data);
    worker.onerror = (event) => done({ ok: false, error: event.message });
    worker.postMessage(job);
  });
}

/** Writes the checkpoint a verify found sound, if nothing changed the checkpoints meanwhile. */
export function recordVerified(
  db: Database,
  verified: SinceOk,
  day: string,
  nowMs: number,
): CheckpointOutcome {
  return immediate(db, () => {
    const existing = checkpointOfDay(db, day);
    if (existing !== null) return { kind: "exists", checkpoint: existing };
    const last = lastCheckpoint(db);
    if ((last?.hash ?? null) !== (verified.anchor?.hash ?? null)) return { kind: "raced" };
    const checkpoint = insertCheckpoint(db, {
      day,
      seq: verified.entries,
      head: verified.head,
      households: verified.households,
      lastHouseholdId: verified.lastHouseholdId,
      balancesDigest: verified.balancesDigest,
      createdAtMs: nowMs,
      prevHash: last?.hash ?? GENESIS_HASH,
    });
    return { kind: "recorded", checkpoint, walked: verified.walked };
  });
}

/**
 * Today's checkpoint: verifies from the last one (on the ops thread for a file; in place, under
 * the write lock, for an in-memory database) and writes the state it verified.
 */
export async function takeCheckpoint(
  db: Database,
  nowMs: number,
  running: RunningJobs = new Map(),
): Promise<CheckpointOutcome> {
  const day = shanghaiDay(nowMs);
  const existing = checkpointOfDay(db, day);
  if (existing !== null) return { kind: "exists", checkpoint: existing };
  const file = databaseFile(db);
  if (file === null) {
    return immediate(db, () => {
      const verified = verifySince(db);
      return verified.ok
        ? recordVerified(db, verified, day, nowMs)
        : { kind: "broken", result: verified };
    });
  }
  const answer = await onThread({ kind: "verify-since", path: file }, running);
  if (!answer.ok) throw new Error(answer.error);
  const verified = answer.verify!;
  return verified.ok
    ? recordVerified(db, verified, day, nowMs)
    : { kind: "broken", result: verified };
}

export type BackupOutcome =
  | { kind: "written"; backup: BackupWritten; removed: string[] }
  | { kind: "exists"; path: string; removed: string[] };

/** Today's backup into `dir`, if not made yet, then the old ones removed. */
export async function takeBackup(
  db: Database,
  nowMs: number,
  dir: string,
  keepDays: number,
  running: RunningJobs = new Map(),
): Promise<BackupOutcome> {
  const file = databaseFile(db);
  if (file === null) throw new Error("an in-memory database has no file to back up");
  const day = shanghaiDay(nowMs);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, backupFileName(file, day));
  if (existsSync(target))
    return { kind: "exists", path: target, removed: pruneBackups(dir, file, day, keepDays) };
  const answer = await onThread({ kind: "backup", path: file, target }, running);
  if (!answer.ok) throw new Error(answer.error);
  return {
    kind: "written",
    backup: answer.backup!,
    removed: pruneBackups(dir, file, day, keepDays),
  };
}

/** What one run did; null for a job already done today. */
export type DailyRun = {
  day: string;
  checkpoint: CheckpointOutcome | { kind: "failed"; error: string } | null;
  backup: BackupOutcome | { kind: "failed"; error: string } | null;
};
export type DailyJobs = {
  /** Runs today's jobs now if they are not done (tests, and the first look). */
  runNow: () => Promise<DailyRun | null>;
  /** Stops the timer and any job on the ops thread (a half-written backup stays a temporary file). */
  stop: () => void;
};

function log(fields: Record<string, unknown>): void {
  const line = JSON.stringify({ kind: "daily", ...fields });
  if (fields["level"] === "error") console.error(line);
  else console.log(line);
}

export function startDailyJobs(
  db: Database,
  clock: Clock,
  options: DailyOptions,
  timing: { firstLookMs?: number; lookIntervalMs?: number; quiet?: boolean } = {},
): DailyJobs {
  const running: RunningJobs = new Map();
  // The day each job last finished. A broken chain also finishes the checkpoint's day: walking it
  // again every few minutes would find the same break; the operator runs the full verify.
  let checkpointDay: string | null = null;
  let backupDay: string | null = null;
  let inFlight: Promise<DailyRun | null> | null = null;
  let stopped = false;
  const quiet = timing.quiet === true;

  const work = async (): Promise<DailyRun | null> => {
    const nowMs = clock.nowMs();
    const day = shanghaiDay(nowMs);
    const wantsBackup = options.backupDir !== null && databaseFile(db) !== null;
    if (stopped || (checkpointDay === day && (!wantsBackup || backupDay === day))) return null;
    const run: DailyRun = { day, checkpoint: null, backup: null };
    if (checkpointDay !== day) {
      try {
        run.checkpoint = await takeCheckpoint(db, nowMs, running);
        if (run.checkpoint.kind !== "raced") checkpointDay = day;
      } catch (error) {
        run.checkpoint = { kind: "failed", error: (error as Error).message };
      }
    }
    if (wantsBackup && backupDay !== day) {
      try {
        run.backup = await takeBackup(
          db,
          nowMs,
          options.backupDir!,
          options.backupKeepDays,
          running,
        );
        backupDay = day;
      } catch (error) {
        run.backup = { kind: "failed", error: (error as Error).message };
      }
    }
    const ok =
      (run.checkpoint === null ||
        run.checkpoint.kind === "recorded" ||
        run.checkpoint.kind === "exists") &&
      (run.backup === null || run.backup.kind !== "failed");
    if (!quiet && !stopped) {
      const c = run.checkpoint;
      const checkpoint =
        c === null
          ? {}
          : c.kind === "recorded" || c.kind === "exists"
            ? {
                checkpoint: c.kind,
                entries: c.checkpoint.seq,
                head: c.checkpoint.head.slice(0, 16),
              }
            : c.kind === "broken"
              ? {
                  checkpoint: "broken",
                  brokenAt: c.result.brokenAt,
                  hint: "no checkpoint today; run `bun run verify` on a copy and compare with a backup",
                }
              : { checkpoint: c.kind, error: "error" in c ? c.error : undefined };
      const b = run.backup;
      const backup =
        b === null
          ? {}
          : b.kind === "written"
            ? {
                backup: b.backup.path,
                bytes: b.backup.bytes,
                tookMs: b.backup.tookMs,
                removed: b.removed,
              }
            : b.kind === "exists"
              ? { backup: "exists", removed: b.removed }
              : { backup: "failed", error: b.error };
      log({ level: ok ? "info" : "error", day, ...checkpoint, ...backup });
    }
    return run;
  };
  const runNow = (): Promise<DailyRun | null> => {
    if (inFlight !== null) return inFlight;
    inFlight = work().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
  const look = (): void => {
    void runNow().catch((error: unknown) =>
      log({ level: "error", message: (error as Error).message }),
    );
  };
  const first = setTimeout(look, timing.firstLookMs ?? options.firstLookMs ?? DAILY_FIRST_LOOK_MS);
  const timer = setInterval(
    look,
    timing.lookIntervalMs ?? options.lookIntervalMs ?? DAILY_LOOK_INTERVAL_MS,
  );
  // The daily timer never keeps a process alive by itself.
  (first as unknown as { unref?: () => void }).unref?.();
  (timer as unknown as { unref?: () => void }).unref?.();
  return {
    runNow,
    stop: () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      for (const done of [...running.values()]) done({ ok: false, error: "stopped" });
    },
  };
}
