/**
 * What a villages use case answers when it says no: a value, never an exception. Beside the
 * reason and the English detail it carries the fields the refusal is about, each with its own
 * short message for a form, and a code for a page to say it in its own language.
 */
import type { Because, Failure, Success } from "../shared/result.ts";

export type FieldError = { path: string; message: string };

export type VillageFailure = Failure & { errors?: FieldError[]; because?: Because };
export type VillageResult<T> = Success<T> | VillageFailure;

/** A refusal; `code` (with its `params`) names what it means, `errors` the fields it is about. */
export function refusal(
  reason: Failure["reason"],
  detail: string,
  more: { code?: string; params?: Because["params"]; errors?: FieldError[] } = {},
): VillageFailure {
  const failure: VillageFailure = { ok: false, reason, detail };
  if (more.errors !== undefined) failure.errors = more.errors;
  if (more.code !== undefined) failure.because = { code: more.code, params: more.params ?? {} };
  return failure;
}
