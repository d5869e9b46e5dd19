/** Turns a use case's expected failure into the HTTP problem the contract names. */
import { ProblemError } from "../http/problem.ts";
import type { MarketFailure } from "./redeem.ts";

const STATUS = {
  validation: 400,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "insufficient-points": 409,
  "out-of-stock": 409,
  "idempotency-key-reused": 422,
} as const;

export function problemOf(failure: MarketFailure): ProblemError {
  const errors = failure.reason === "validation" ? [{ path: "body", message: failure.detail }] : undefined;
  return new ProblemError(STATUS[failure.reason], failure.reason, failure.detail, errors);
}
