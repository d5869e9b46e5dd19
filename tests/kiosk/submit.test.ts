// Proves the idempotent submit: definite answers end it, lost or busy answers keep the same key and
// body for a retry, the key follows the basket, and a stored request survives a reload.
import { test, expect } from "bun:test";
import {
  afterAttempt,
  classifyAttempt,
  keepsPending,
  keyForBody,
  parsePending,
  problemSlug,
  retryDelayMs,
  retryIfDue,
  startSubmit,
  type PendingSubmit,
  type SubmitState,
} from "../../kiosk/logic/submit.ts";

const pending: PendingSubmit = {
  key: "k-1",
  body: { cardToken: "q3J9xK2mVb7LwP0sT5nYzA", items: [{ goodsId: "rice", quantity: 2 }] },
  householdName: "张*华",
  createdAtMs: 1,
};
const P = (type: string) => `https://jifen.example/problems/${type}`;

test.each([
  [{ kind: "response", status: 201, problemType: null }, { kind: "success" }],
  [
    { kind: "response", status: 409, problemType: P("insufficient-points") },
    { kind: "rejected", reason: "insufficient-points" },
  ],
  [
    { kind: "response", status: 409, problemType: P("out-of-stock") },
    { kind: "rejected", reason: "out-of-stock" },
  ],
  [
    { kind: "response", status: 409, problemType: P("conflict"), retryAfter: "1" },
    { kind: "retry" },
  ],
  [
    { kind: "response", status: 409, problemType: P("conflict"), retryAfter: null },
    { kind: "rejected", reason: "conflict" },
  ],
  [{ kind: "response", status: 409, problemType: null }, { kind: "retry" }],
  [
    { kind: "response", status: 422, problemType: P("idempotency-key-reused") },
    { kind: "rejected", reason: "idempotency-key-reused" },
  ],
  [
    { kind: "response", status: 404, problemType: P("not-found") },
    { kind: "rejected", reason: "not-found" },
  ],
  [{ kind: "response", status: 401, problemType: P("unauthenticated") }, { kind: "locked" }],
  [{ kind: "response", status: 502, problemType: null }, { kind: "retry" }],
  [{ kind: "response", status: 429, problemType: P("rate-limited") }, { kind: "retry" }],
  [{ kind: "network-error" }, { kind: "retry" }],
  [{ kind: "timeout" }, { kind: "retry" }],
])("classifies %o as %o", (result, outcome) => {
  expect(classifyAttempt(result as Parameters<typeof classifyAttempt>[0])).toEqual(
    outcome as ReturnType<typeof classifyAttempt>,
  );
});

test("reads the slug at the end of a problem type", () => {
  expect(problemSlug("https://x/problems/out-of-stock")).toBe("out-of-stock");
  expect(problemSlug("urn:problem:conflict")).toBe("conflict");
  expect(problemSlug(undefined)).toBeNull();
});

test("a lost answer keeps the same key and body and goes out again when due and online", () => {
  let s: SubmitState<string> = startSubmit(pending);
  s = afterAttempt(s, { kind: "timeout" }, null, 10_000);
  expect(s.phase).toBe("unknown");
  expect(keepsPending(s)).toBe(true);
  expect(retryIfDue(s, 10_500, true)).toBe(s);
  expect(retryIfDue(s, 11_000, false)).toBe(s);
  const again = retryIfDue(s, 11_000, true);
  expect(again).toEqual({ phase: "sending", pending, attempt: 2 });
});

test("a definite success ends the submit with the receipt and lets storage go", () => {
  const s = afterAttempt(
    startSubmit<string>(pending),
    { kind: "response", status: 201, problemType: null },
    "receipt",
    0,
  );
  expect(s).toEqual({ phase: "done", pending, receipt: "receipt" });
  expect(keepsPending(s)).toBe(false);
});

test("a 201 whose body could not be read counts as unknown, not as done", () => {
  const s = afterAttempt(
    startSubmit<string>(pending),
    { kind: "response", status: 201, problemType: null },
    null,
    0,
  );
  expect(s.phase).toBe("unknown");
});

test("a refusal ends the submit with its reason", () => {
  const s = afterAttempt(
    startSubmit<string>(pending),
    { kind: "response", status: 409, problemType: P("insufficient-points") },
    null,
    0,
  );
  expect(s).toEqual({ phase: "rejected", pending, reason: "insufficient-points" });
  expect(keepsPending(s)).toBe(false);
});

test("backs off from one second to at most ten", () => {
  expect([1, 2, 3, 4, 5, 9].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
});

test("reuses the key while the basket is unchanged and makes a fresh one when it changes", () => {
  const fresh = () => "k-new";
  expect(keyForBody({ key: "k-1", body: pending.body }, { ...pending.body }, fresh)).toBe("k-1");
  expect(
    keyForBody(
      { key: "k-1", body: pending.body },
      { ...pending.body, items: [{ goodsId: "rice", quantity: 3 }] },
      fresh,
    ),
  ).toBe("k-new");
  expect(keyForBody(null, pending.body, fresh)).toBe("k-new");
});

test("reads a stored request back after a reload and refuses a damaged one", () => {
  expect(parsePending(JSON.stringify(pending))).toEqual(pending);
  expect(parsePending("{not json")).toBeNull();
  expect(
    parsePending(JSON.stringify({ key: "k", body: { cardToken: "x", items: [{ goodsId: 1 }] } })),
  ).toBeNull();
  expect(parsePending(null)).toBeNull();
});
