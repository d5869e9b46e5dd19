/**
 * Expected outcomes are values. A use case answers `ok(value)` or `fail(reason)`, and the route
 * turns a failure into an RFC 9457 problem.
 */
export type Failure = {
  ok: false;
  reason: FailureReason;
  detail: string;
};
/**
 * What a refusal means, as a code and its figures (`monthly-cap`, {cap: 10, …}), beside the
 * English detail, so that a page can say it in its own language.
 */
export type Because = { code: string; params: Record<string, string | number> };

export type Success<T> = { ok: true; value: T };
export type Result<T> = Success<T> | Failure;

export type FailureReason =
  "not-found" | "forbidden" | "conflict" | "insufficient-points" | "out-of-stock" | "validation";

export function ok<T>(value: T): Success<T> {
  return { ok: true, value };
}

export function fail(reason: FailureReason, detail: string): Failure {
  return { ok: false, reason, detail };
}
