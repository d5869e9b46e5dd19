// The kiosk's standing listeners: a one-second tick for countdowns and the idle timeout, touches
// and keys as activity, and the keyboard-wedge scanner on a capture-phase keydown.
import { idlePhase } from "../logic/idle.ts";
import { createWedgeDetector } from "../logic/wedge.ts";
import { onScan, resetVisit, touchActivity } from "./actions.ts";
import {
  idleDeadlineMs,
  lastActivityMs,
  nowMs,
  receiptShownAtMs,
  screen,
  submitting,
} from "./store.ts";

const TICK_MS = 1000;
const RECEIPT_HOME_MS = 30_000;

const RESTING_SCREENS = new Set(["boot", "unpaired", "locked", "attract"]);

export function tick(now: number): void {
  nowMs.value = now;
  const clearable = !RESTING_SCREENS.has(screen.value) && !submitting.value;
  const phase = idlePhase(lastActivityMs.value, now, clearable);
  if (screen.value === "receipt" && now >= receiptHomeAtMs(receiptShownAtMs.value)) {
    resetVisit();
    return;
  }
  if (phase.kind === "expired") {
    idleDeadlineMs.value = null;
    resetVisit();
  } else {
    idleDeadlineMs.value = phase.kind === "asking" ? phase.deadlineMs : null;
  }
}

export function receiptHomeAtMs(shownAtMs: number): number {
  return shownAtMs + RECEIPT_HOME_MS;
}

export function startWatching(): void {
  setInterval(() => tick(Date.now()), TICK_MS);

  const activity = (): void => touchActivity(Date.now());
  window.addEventListener("pointerdown", activity, { capture: true, passive: true });

  const wedge = createWedgeDetector();
  window.addEventListener(
    "keydown",
    (e: KeyboardEvent) => {
      activity();
      // Staff type their password here; a scan there means nothing.
      if (screen.value === "staff-login" || screen.value === "staff") return;
      const text = wedge.feed({
        key: e.key,
        code: e.code,
        shiftKey: e.shiftKey,
        isComposing: e.isComposing,
        timeMs: e.timeStamp,
      });
      if (text !== null) {
        // The Enter that ends a scan must not also press whatever button has the focus.
        e.preventDefault();
        e.stopPropagation();
        onScan(text, Date.now());
      }
    },
    { capture: true },
  );

  // A screen change counts as activity, so a long sale that just ended starts a fresh 90 s.
  screen.subscribe(() => activity());
}
