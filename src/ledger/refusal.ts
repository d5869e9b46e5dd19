import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { fail, ok, type Because, type FailureReason, type Result } from "../shared/result.ts";

/**
 * An expected refusal raised inside a use case's transaction. Throwing it rolls the transaction
 * back, so a refused write changes nothing; `inTransaction` turns it into a `Failure` value for
 * the caller. It never leaves this folder as an exception.
 */
export class Refusal extends Error {
  override name = "Refusal";
  constructor(
    readonly reason: FailureReason,
    readonly detail: string,
    /** The field a validation refusal is about, like `body.memberId`. */
    readonly path?: string,
    /** What the refusal means, for a page to say in its own language (src/http/problem.ts). */
    readonly because?: Because,
  ) {
    super(detail);
  }
}

export type LedgerFailure = {
  ok: false;
  reason: FailureReason;
  detail: string;
  path?: string;
  because?: Because;
};
export type LedgerResult<T> = Exclude<Result<T>, { ok: false }> | LedgerFailure;

/** Runs a write use case as one IMMEDIATE transaction; `fn` must be synchronous (no await). */
export function inTransaction<T>(db: Database, fn: () => T): LedgerResult<T> {
  try {
    return ok(immediate(db, fn));
  } catch (error) {
    if (error instanceof Refusal) {
      const failure: LedgerFailure = fail(error.reason, error.detail);
      if (error.path !== undefined) failure.path = error.path;
      if (error.because !== undefined) failure.because = error.because;
      return failure;
    }
    throw error;
  }
}

export function refuse(
  reason: FailureReason,
  detail: string,
  path?: string,
  because?: Because,
): never {
  throw new Refusal(reason, detail, path, because);
}
