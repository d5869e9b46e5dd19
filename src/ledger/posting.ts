/**
 * Posting when the public notice ends. All the state is in the database (status and
 * notice_ends_at_ms), so posting survives restarts, and because it runs inside one IMMEDIATE
 * transaction that re-reads the due entries, two runs (two timers, two processes) never post the
 * same entry twice: the second finds it already posted.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { postEntry } from "./entry-store.ts";

/** Posts due entries inside the caller's transaction; returns how many were posted. */
export function postDueEntriesInside(db: Database, nowMs: number): number {
  const due = db
    .query<{ id: number }, [number]>(
      "SELECT id FROM entries WHERE status = 'in_notice' AND notice_ends_at_ms <= ? ORDER BY notice_ends_at_ms, id",
    )
    .all(nowMs);
  for (const { id } of due) postEntry(db, id, nowMs);
  return due.length;
}

/** Whether any entry's notice has ended unposted: a cheap indexed probe before taking the write lock. */
export function anyDue(db: Database, nowMs: number): boolean {
  return (
    db
      .query("SELECT 1 FROM entries WHERE status = 'in_notice' AND notice_ends_at_ms <= ? LIMIT 1")
      .get(nowMs) !== null
  );
}

/** Posts every entry on notice whose notice has ended with no objection, in one transaction. */
export function postDueEntries(db: Database, nowMs: number): number {
  if (!anyDue(db, nowMs)) return 0;
  return immediate(db, () => postDueEntriesInside(db, nowMs));
}
