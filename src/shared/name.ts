/**
 * Names people read (a household's head and members, goods, villages, staff display names, rule
 * titles): what may be in one. Pure, shared by the request schemas and the CSV import.
 *
 * Refused: control characters (NUL, line breaks, escapes: a name is one line of text), the
 * bidirectional overrides and isolates U+202A-202E and U+2066-2069 (they make a name display in
 * another order than it is stored, as in "ﺭ‮gpj.exe"), lone surrogate halves, and a name with no
 * visible character at all (only spaces, zero-width characters or the Hangul fillers that fonts
 * draw as nothing), which looks empty on every list and receipt.
 */
import { z } from "zod";

/** C0 and C1 controls and DEL, the bidi embeddings/overrides/isolates, and lone surrogates. */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;
/** Characters that draw nothing: spaces, format characters (zero-width, marks, BOM), combining marks alone, fillers. */
const INVISIBLE = /^[\s\p{Cf}\p{Mn}\p{Me}\u115f\u1160\u3164\uffa0\u2800]*$/u;

export type NameProblem = "control" | "bidi" | "invisible";

/** What is wrong with a name, or null when it may be used. */
export function nameProblem(name: string): NameProblem | null {
  const forbidden = FORBIDDEN.exec(name);
  if (forbidden !== null)
    return /[\u202a-\u202e\u2066-\u2069]/.test(forbidden[0]) ? "bidi" : "control";
  if (INVISIBLE.test(name)) return "invisible";
  return null;
}

const MESSAGES: Record<NameProblem, string> = {
  control: "must not contain control characters (NUL, line breaks, tabs)",
  bidi: "must not contain bidirectional override or isolate characters (U+202A-202E, U+2066-2069)",
  invisible: "must contain a visible character",
};

export function nameProblemMessage(problem: NameProblem): string {
  return MESSAGES[problem];
}

/** The refusal's code, as a page looks it up in its catalog. */
export const INVALID_NAME_CODE = "invalid-name";

/** A name of 1 to `maxChars` characters after trimming, refused with code invalid-name as above. */
export function VisibleName(maxChars: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(maxChars)
    .superRefine((name, ctx) => {
      const problem = nameProblem(name);
      if (problem !== null)
        ctx.addIssue({
          code: "custom",
          message: nameProblemMessage(problem),
          params: { code: INVALID_NAME_CODE },
        });
    });
}
