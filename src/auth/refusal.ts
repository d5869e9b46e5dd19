/**
 * What an auth use case answers when it says no: a value, never an exception. Beside the reason
 * and the English detail it carries the fields the refusal is about, each with its own short
 * message for a form, and a code for a page to say it in its own language. A wrong password is
 * `unauthenticated` (401), which is not one of the shared reasons: it is a refusal only sign-in has.
 */
import type { Because, Failure, FailureReason, Success } from "../shared/result.ts";

export type FieldError = { path: string; message: string };

export type AuthFailure = Omit<Failure, "reason"> & {
  reason: FailureReason | "unauthenticated";
  errors?: FieldError[];
  because?: Because;
};
export type AuthResult<T> = Success<T> | AuthFailure;

/** A refusal; `code` (with its `params`) names what it means, `errors` the fields it is about. */
export function refusal(
  reason: AuthFailure["reason"],
  detail: string,
  more: { code?: string; params?: Because["params"]; errors?: FieldError[] } = {},
): AuthFailure {
  const failure: AuthFailure = { ok: false, reason, detail };
  if (more.errors !== undefined) failure.errors = more.errors;
  if (more.code !== undefined) failure.because = { code: more.code, params: more.params ?? {} };
  return failure;
}
