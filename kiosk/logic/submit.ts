// The idempotent submit of one basket. A POST whose answer never arrives may or may not have been
// committed, so "unknown" is its own state: the kiosk keeps the request (key and body) in storage
// before sending, and sends exactly the same request again until the server gives a definite
// answer. The server replays the first answer for a repeated key, so a basket is charged once.
// This module is pure: the caller does the I/O and the timers and feeds the outcomes in.

export interface RedemptionBody {
  cardToken: string;
  items: { goodsId: string; quantity: number }[];
}

export interface PendingSubmit {
  key: string;
  body: RedemptionBody;
  /** What the screens need to resume after a reload: whose basket this is. */
  householdName: string;
  createdAtMs: number;
}

export type RejectReason =
  | "insufficient-points"
  | "out-of-stock"
  | "not-found"
  | "validation"
  | "idempotency-key-reused"
  | "forbidden"
  | "conflict"
  | "other";

/** What one attempt came back with, as the transport saw it. */
export type AttemptResult =
  | { kind: "response"; status: number; problemType: string | null; retryAfter?: string | null }
  | { kind: "network-error" }
  | { kind: "timeout" };

export type Outcome =
  | { kind: "success" }
  | { kind: "rejected"; reason: RejectReason }
  | { kind: "locked" }
  | { kind: "retry" };

export type SubmitState<R> =
  | { phase: "idle" }
  | { phase: "sending"; pending: PendingSubmit; attempt: number }
  | { phase: "unknown"; pending: PendingSubmit; attempt: number; retryAtMs: number }
  | { phase: "done"; pending: PendingSubmit; receipt: R }
  | { phase: "rejected"; pending: PendingSubmit; reason: RejectReason }
  | { phase: "locked"; pending: PendingSubmit };

export const RETRY_DELAY_MS_MIN = 1000;
export const RETRY_DELAY_MS_MAX = 10_000;

/** The last path segment of a problem's `type`: ".../problems/out-of-stock" → "out-of-stock". */
export function problemSlug(type: unknown): string | null {
  if (typeof type !== "string" || type === "") return null;
  const parts = type.split(/[/#:]/).filter((s) => s !== "");
  return parts[parts.length - 1] ?? null;
}

const DEFINITE_REJECTIONS: ReadonlySet<string> = new Set([
  "insufficient-points",
  "out-of-stock",
  "not-found",
  "validation",
  "idempotency-key-reused",
  "forbidden",
]);

/** Sorts an attempt's result into: done, refused (nothing changed), device locked, or ask again. */
export function classifyAttempt(result: AttemptResult): Outcome {
  if (result.kind !== "response") return { kind: "retry" };
  const { status } = result;
  const slug = problemSlug(result.problemType);
  if (status === 200 || status === 201) return { kind: "success" };
  if (status === 401) return { kind: "locked" };
  // 409 conflict with Retry-After: the same key is still being worked on (our own earlier
  // attempt), so ask again. Without it the sale itself conflicts (a good taken off sale, the
  // village's daily limit): nothing was charged and asking again would not change that.
  if (status === 409 && (slug === null || (slug === "conflict" && result.retryAfter != null)))
    return { kind: "retry" };
  if (status === 409 && slug === "conflict") return { kind: "rejected", reason: "conflict" };
  if (status === 408 || status === 429 || status >= 500) return { kind: "retry" };
  if (slug !== null && DEFINITE_REJECTIONS.has(slug))
    return { kind: "rejected", reason: slug as RejectReason };
  if (status === 404) return { kind: "rejected", reason: "not-found" };
  if (status === 400) return { kind: "rejected", reason: "validation" };
  if (status === 403) return { kind: "rejected", reason: "forbidden" };
  if (status === 422) return { kind: "rejected", reason: "idempotency-key-reused" };
  return { kind: "rejected", reason: "other" };
}

/** 1 s, 2 s, 4 s, 8 s, then every 10 s. */
export function retryDelayMs(attempt: number): number {
  const exp = RETRY_DELAY_MS_MIN * 2 ** Math.max(0, attempt - 1);
  return Math.min(RETRY_DELAY_MS_MAX, exp);
}

export function startSubmit<R>(pending: PendingSubmit): SubmitState<R> {
  return { phase: "sending", pending, attempt: 1 };
}

/** The state after an attempt of `state` (which must be "sending") came back. */
export function afterAttempt<R>(
  state: SubmitState<R>,
  result: AttemptResult,
  receipt: R | null,
  nowMs: number,
): SubmitState<R> {
  if (state.phase !== "sending") return state;
  const outcome = classifyAttempt(result);
  switch (outcome.kind) {
    case "success":
      if (receipt === null) {
        // A 2xx without a readable body is as unknown as a lost answer: ask again.
        return {
          phase: "unknown",
          pending: state.pending,
          attempt: state.attempt,
          retryAtMs: nowMs + retryDelayMs(state.attempt),
        };
      }
      return { phase: "done", pending: state.pending, receipt };
    case "rejected":
      return { phase: "rejected", pending: state.pending, reason: outcome.reason };
    case "locked":
      return { phase: "locked", pending: state.pending };
    case "retry":
      return {
        phase: "unknown",
        pending: state.pending,
        attempt: state.attempt,
        retryAtMs: nowMs + retryDelayMs(state.attempt),
      };
  }
}

/** An "unknown" submit whose retry time has come goes out again with the same key and body. */
export function retryIfDue<R>(
  state: SubmitState<R>,
  nowMs: number,
  online: boolean,
): SubmitState<R> {
  if (state.phase !== "unknown" || !online || nowMs < state.retryAtMs) return state;
  return { phase: "sending", pending: state.pending, attempt: state.attempt + 1 };
}

/** Whether the stored request must stay in storage: until the outcome is definite. */
export function keepsPending<R>(state: SubmitState<R>): boolean {
  return state.phase === "sending" || state.phase === "unknown";
}

export function sameBody(a: RedemptionBody, b: RedemptionBody): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * One key per basket: the key saved with a draft is reused while the basket (the body) is the
 * same, and a changed basket gets a fresh key, because the server refuses a key reused with
 * another body (422).
 */
export function keyForBody(
  draft: { key: string; body: RedemptionBody } | null,
  body: RedemptionBody,
  freshKey: () => string,
): string {
  return draft !== null && sameBody(draft.body, body) ? draft.key : freshKey();
}

/** Reads a stored pending submit back, refusing anything malformed. */
export function parsePending(raw: string | null): PendingSubmit | null {
  if (raw === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  const body = o.body as Record<string, unknown> | undefined;
  if (typeof o.key !== "string" || o.key === "" || typeof body !== "object" || body === null)
    return null;
  if (typeof body.cardToken !== "string" || !Array.isArray(body.items)) return null;
  const items: { goodsId: string; quantity: number }[] = [];
  for (const it of body.items as unknown[]) {
    const item = it as Record<string, unknown> | null;
    if (item === null || typeof item.goodsId !== "string" || !Number.isInteger(item.quantity))
      return null;
    items.push({ goodsId: item.goodsId, quantity: item.quantity as number });
  }
  return {
    key: o.key,
    body: { cardToken: body.cardToken, items },
    householdName: typeof o.householdName === "string" ? o.householdName : "",
    createdAtMs: typeof o.createdAtMs === "number" ? o.createdAtMs : 0,
  };
}
