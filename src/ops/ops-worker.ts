/**
 * The daily jobs' slow parts on a thread of their own, each on a connection of its own, so the
 * server's event loop keeps answering kiosks: verifying the chain since the last checkpoint (the
 * first one walks the whole ledger) and writing a backup. One job a message; the answer is a
 * plain object (see OpsJob / OpsAnswer).
 */
import { Database } from "bun:sqlite";
import { BUSY_TIMEOUT_MS } from "../db/open.ts";
import { writeBackup, type BackupWritten } from "./backup.ts";
import { verifySinceInSnapshot, type SinceResult } from "./verify-since.ts";

export type OpsJob =
  { kind: "verify-since"; path: string } | { kind: "backup"; path: string; target: string };
export type OpsAnswer =
  { ok: true; verify?: SinceResult; backup?: BackupWritten } | { ok: false; error: string };

export function runOpsJob(job: OpsJob): OpsAnswer {
  try {
    if (job.kind === "backup") return { ok: true, backup: writeBackup(job.path, job.target) };
    const db = new Database(job.path, { readonly: true });
    try {
      db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      return { ok: true, verify: verifySinceInSnapshot(db) };
    } finally {
      db.close();
    }
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

declare const self: Worker;

if (!Bun.isMainThread) {
  self.onmessage = (event: MessageEvent<OpsJob>) => {
    self.postMessage(runOpsJob(event.data));
  };
}
