import { failureToProblem } from "../http/failure.ts";
import type { LedgerResult } from "./refusal.ts";

/** Turns a use case's value into the value, or into the problem a client reads. */
export function unwrap<T>(result: LedgerResult<T>): T {
  if (result.ok) return result.value;
  throw failureToProblem(result);
}
