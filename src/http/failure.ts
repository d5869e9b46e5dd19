import type { Failure } from "../shared/result.ts";
import { ProblemError, type ProblemReason } from "./problem.ts";

/** An expected failure as a use case reports it; `path` names the field of a validation failure. */
export type ReportedFailure = Omit<Failure, "reason"> & {
  reason: Failure["reason"] | "idempotency-key-reused";
  path?: string;
  because?: ProblemReason;
};

const STATUS_BY_REASON = {
  validation: 400,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "insufficient-points": 409,
  "out-of-stock": 409,
  "idempotency-key-reused": 422,
} as const;

/**
 * Turns an expected failure from a use case into the problem the client sees. A failure that
 * names its field lists it in `errors`, whatever its status, so a form can show it beside the field.
 */
export function failureToProblem(failure: ReportedFailure): ProblemError {
  const errors =
    failure.reason === "validation" || failure.path !== undefined
      ? [{ path: failure.path ?? "body", message: failure.detail }]
      : undefined;
  return new ProblemError(
    STATUS_BY_REASON[failure.reason],
    failure.reason,
    failure.detail,
    errors,
    undefined,
    failure.because,
  );
}
