import type { z } from "zod";
import type { ProblemFieldError } from "./problem.ts";

/** Turns zod issues into the `errors` list of a 400 problem, paths like `body.members[0].name`. */
export function zodIssuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  where: string,
): ProblemFieldError[] {
  return issues.map((issue) => {
    let path = where;
    for (const key of issue.path) path += typeof key === "number" ? `[${key}]` : `.${String(key)}`;
    if (issue.code === "unrecognized_keys") {
      return {
        path,
        message: `unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`,
      };
    }
    return { path, message: issue.message };
  });
}
