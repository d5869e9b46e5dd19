import type { Failure } from "../shared/result.ts";
import { ProblemError } from "./problem.ts";

const STATUS_BY_REASON = {
  "not-found": 404,
  forbidden: 403,
  conflict: 409,
  "insufficient-points": 409,
  "out-of-stock": 409,
  validation: 400,
} as const;

/** Turns an expected failure from a use case into the problem the client sees. */
export function failureToProblem(failure: Failure): ProblemError {
  return new ProblemError(STATUS_BY_REASON[failure.reason], failure.reason, failure.detail);
}
