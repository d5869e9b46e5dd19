// When to ask "还需要时间吗？" and when to give up. Pure: the caller passes the time of the last
// touch or key and the current time, and whether anything may be cleared at all.

export const IDLE_ASK_MS = 90_000;
export const IDLE_COUNTDOWN_MS = 20_000;

export type IdlePhase =
  { kind: "active" } | { kind: "asking"; deadlineMs: number } | { kind: "expired" };

export function idlePhase(lastActivityMs: number, nowMs: number, clearable: boolean): IdlePhase {
  // A sale in flight (or the attract screen, where there is nothing to clear) never times out.
  if (!clearable) return { kind: "active" };
  const askAtMs = lastActivityMs + IDLE_ASK_MS;
  const deadlineMs = askAtMs + IDLE_COUNTDOWN_MS;
  if (nowMs < askAtMs) return { kind: "active" };
  if (nowMs < deadlineMs) return { kind: "asking", deadlineMs };
  return { kind: "expired" };
}
