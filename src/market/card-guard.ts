/**
 * Card-number guessing at a kiosk (issue 20, finding 4). A printed card number has 7 random
 * digits, so a device that may ask about numbers without end finds cards (300,000 guesses in 22 s
 * found 4). Every lookup that finds no card (and every wrong household PIN) is a miss of the
 * device, or of the staff member, that asked; after CARD_MISSES_MAX misses within
 * CARD_MISS_WINDOW_MS the caller's card lookups and sales wait (429) until the oldest of them is a
 * window old, hits included, so a blocked caller learns nothing more. The miss that reaches the
 * limit is a burst, and the route records it in the audit log for staff (action card_guessing).
 *
 * Counts live in memory, per database: a restart forgets them, which only gives a guesser one more
 * window, and a kiosk's reads stay free of writes. Kept per caller, at most CALLERS_MAX of them.
 */
import type { Database } from "bun:sqlite";
import { MINUTE_MS } from "../shared/clock.ts";

export const CARD_MISSES_MAX = 30;
export const CARD_MISS_WINDOW_MS = MINUTE_MS;
const CALLERS_MAX = 10_000;

export class CardGuard {
  /** Each caller's misses within the window, oldest first. */
  private readonly misses = new Map<string, number[]>();
  /** When each caller's last burst was reported: at most one report a window, however long the attack. */
  private readonly reportedAtMs = new Map<string, number>();

  /** Milliseconds until `caller` may look up cards again; 0 when it may now. */
  waitMs(caller: string, nowMs: number): number {
    const recent = this.recent(caller, nowMs);
    if (recent.length < CARD_MISSES_MAX) return 0;
    return recent[recent.length - CARD_MISSES_MAX]! + CARD_MISS_WINDOW_MS - nowMs;
  }

  /** Counts a miss; true when this one reaches the limit and no burst of the caller was reported within the window. */
  miss(caller: string, nowMs: number): boolean {
    if (!this.misses.has(caller) && this.misses.size >= CALLERS_MAX) {
      this.misses.clear();
      this.reportedAtMs.clear();
    }
    const recent = this.recent(caller, nowMs);
    recent.push(nowMs);
    this.misses.set(caller, recent);
    if (recent.length < CARD_MISSES_MAX) return false;
    const reported = this.reportedAtMs.get(caller);
    if (reported !== undefined && nowMs - reported < CARD_MISS_WINDOW_MS && reported <= nowMs)
      return false;
    this.reportedAtMs.set(caller, nowMs);
    return true;
  }

  private recent(caller: string, nowMs: number): number[] {
    const all = this.misses.get(caller);
    if (all === undefined) return [];
    const kept = all.filter((at) => nowMs - at < CARD_MISS_WINDOW_MS && at <= nowMs);
    if (kept.length === 0) this.misses.delete(caller);
    else this.misses.set(caller, kept);
    return kept;
  }
}

const guards = new WeakMap<Database, CardGuard>();

/** The one guard of a database, shared by the card read and the sale. */
export function cardGuardFor(db: Database): CardGuard {
  let guard = guards.get(db);
  if (guard === undefined) guards.set(db, (guard = new CardGuard()));
  return guard;
}
