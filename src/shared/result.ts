/**
 * Expected outcomes are values. A use case answers `ok(value)` or `fail(reason)`, and the route
 * turns a failure into an RFC 9457 problem.
 */
export type Failure = {
  ok: false;
  reason: FailureReason;
  detail: string;
};
export type Success<T> = { ok: true; value: T };
export type Result<T> = Success<T> | Failure;

export type FailureReason =
  | "not-found"
  | "forbidden"
  | "conflict"
  | "insufficient-points"
  | "out-of-stock"
  | "validation";

export function ok<T>(value: T): Success<T> {
  return { ok: true, value };
}

export function fail(reason: FailureReason, detail: string): Failure {
  return { ok: false, reason, detail };
}
