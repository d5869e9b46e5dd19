import { ProblemError } from "../http/problem.ts";
import type { LedgerResult } from "./refusal.ts";

const STATUS = { "not-found": 404, forbidden: 403, conflict: 409, validation: 400, "insufficient-points": 409, "out-of-stock": 409 } as const;

/** Turns a use case's value into the value, or into the problem a client reads. */
export function unwrap<T>(result: LedgerResult<T>): T {
  if (result.ok) return result.value;
  const errors = result.reason === "validation" ? [{ path: result.path ?? "body", message: result.detail }] : undefined;
  throw new ProblemError(STATUS[result.reason], result.reason, result.detail, errors);
}
