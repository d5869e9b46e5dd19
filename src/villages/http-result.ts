/** The villages routes' HTTP adapter: a use case's refusal becomes the problem the client reads. */
import { failureToProblem } from "../http/failure.ts";
import { ProblemError } from "../http/problem.ts";
import { fail } from "../shared/result.ts";
import type { VillageResult } from "./refusal.ts";

/** A use case's value, or the problem a client reads: the status of its reason, its own field errors. */
export function unwrap<T>(result: VillageResult<T>): T {
  if (result.ok) return result.value;
  const { status } = failureToProblem(fail(result.reason, result.detail));
  throw new ProblemError(
    status,
    result.reason,
    result.detail,
    result.errors,
    undefined,
    result.because,
  );
}
