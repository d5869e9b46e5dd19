import type { Because } from "../shared/result.ts";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ProblemSlug =
  | "validation"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "method-not-allowed"
  | "insufficient-points"
  | "out-of-stock"
  | "conflict"
  | "too-large"
  | "unsupported-media-type"
  | "idempotency-key-reused"
  | "rate-limited"
  | "internal";

export const PROBLEM_TITLES: Record<ProblemSlug, string> = {
  validation: "The request is not valid",
  unauthenticated: "Sign-in required",
  forbidden: "Not allowed for this role",
  "not-found": "Not found",
  "method-not-allowed": "Method not allowed",
  "insufficient-points": "Not enough points",
  "out-of-stock": "Out of stock",
  conflict: "Conflict with the current state",
  "too-large": "Request body too large",
  "unsupported-media-type": "Unsupported media type",
  "idempotency-key-reused": "Idempotency-Key reused with a different request",
  "rate-limited": "Too many attempts",
  internal: "Internal server error",
};

export type ProblemFieldError = { path: string; message: string };

/**
 * A machine-readable reason beside the English detail (RFC 9457 extension members `code` and
 * `params`), so a page can say the refusal in its own language.
 */
export type ProblemReason = Because;

export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ProblemFieldError[];
  code?: string;
  params?: Record<string, string | number>;
};

export function problemType(slug: ProblemSlug): string {
  return `/problems/${slug}`;
}

export function problemBody(
  status: number,
  slug: ProblemSlug,
  detail?: string,
  errors?: ProblemFieldError[],
  reason?: ProblemReason,
): ProblemBody {
  const body: ProblemBody = { type: problemType(slug), title: PROBLEM_TITLES[slug], status };
  if (detail !== undefined) body.detail = detail;
  if (errors !== undefined) body.errors = errors;
  if (reason !== undefined) {
    body.code = reason.code;
    body.params = reason.params;
  }
  return body;
}

export function problemResponse(
  status: number,
  slug: ProblemSlug,
  detail?: string,
  errors?: ProblemFieldError[],
  headers?: Record<string, string>,
  reason?: ProblemReason,
): Response {
  return new Response(JSON.stringify(problemBody(status, slug, detail, errors, reason)), {
    status,
    headers: { "content-type": "application/problem+json; charset=utf-8", ...headers },
  });
}

/** Thrown from anywhere inside a request to answer with a problem; caught by app.onError. */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly slug: ProblemSlug,
    readonly detail?: string,
    readonly errors?: ProblemFieldError[],
    readonly headers?: Record<string, string>,
    readonly reason?: ProblemReason,
  ) {
    super(detail ?? slug);
  }
  toResponse(): Response {
    return problemResponse(
      this.status,
      this.slug,
      this.detail,
      this.errors,
      this.headers,
      this.reason,
    );
  }
}
