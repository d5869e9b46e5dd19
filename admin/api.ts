// The staff pages' one way to call the server. Every answer becomes a value: the data, or an
// error that says what kind of failure it was (a refusal with the problem's fields, no answer at
// all, or too slow), so each page can say in words what happened and keep what was typed.
import { request, type RequestOptions } from "../ui/http.ts";

export type FieldError = { path: string; message: string };

export type ApiError =
  | {
      kind: "problem";
      status: number;
      slug: string;
      detail: string;
      errors: FieldError[];
      retryAfterS: number | null;
      code: string | null;
      params: Record<string, string | number>;
    }
  | { kind: "network" }
  | { kind: "timeout" };

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiError };

/** Set by the session: called when the server says the session is gone, so the page can sign in again. */
let onUnauthenticated: (() => void) | null = null;
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

function problemOf(status: number, body: unknown, retryAfter: string | null): ApiError {
  const b = (typeof body === "object" && body !== null ? body : {}) as {
    type?: unknown;
    detail?: unknown;
    errors?: unknown;
    code?: unknown;
    params?: unknown;
  };
  const slug = typeof b.type === "string" ? (b.type.split("/").pop() ?? "") : "";
  const errors = Array.isArray(b.errors)
    ? b.errors.filter(
        (e): e is FieldError =>
          typeof e === "object" &&
          e !== null &&
          typeof e.path === "string" &&
          typeof e.message === "string",
      )
    : [];
  const retry = retryAfter === null ? null : Number(retryAfter);
  const params =
    typeof b.params === "object" && b.params !== null
      ? (b.params as Record<string, string | number>)
      : {};
  return {
    kind: "problem",
    status,
    slug,
    detail: typeof b.detail === "string" ? b.detail : "",
    errors,
    retryAfterS: retry !== null && Number.isFinite(retry) ? retry : null,
    code: typeof b.code === "string" ? b.code : null,
    params,
  };
}

export async function call<T>(
  method: string,
  path: string,
  options: Omit<RequestOptions, "method"> = {},
): Promise<ApiResult<T>> {
  const res = await request(path, { ...options, method });
  if (res.kind === "network-error") return { ok: false, error: { kind: "network" } };
  if (res.kind === "timeout") return { ok: false, error: { kind: "timeout" } };
  if (res.status >= 200 && res.status < 300)
    return { ok: true, status: res.status, data: res.body as T };
  if (res.status === 401 && path !== "/api/auth/login" && path !== "/api/me") onUnauthenticated?.();
  return { ok: false, error: problemOf(res.status, res.body, res.retryAfter) };
}

export const get = <T>(path: string): Promise<ApiResult<T>> => call<T>("GET", path);
export const post = <T>(
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<ApiResult<T>> =>
  call<T>(
    "POST",
    path,
    body === undefined ? { headers: headers ?? {} } : { body, headers: headers ?? {} },
  );
export const patch = <T>(path: string, body: unknown): Promise<ApiResult<T>> =>
  call<T>("PATCH", path, { body });
export const del = (path: string): Promise<ApiResult<null>> => call<null>("DELETE", path);

/** The field errors of a refusal whose path starts with `prefix` (e.g. "body."), keyed by the rest of the path. */
export function fieldErrors(error: ApiError | null, prefix = "body."): Record<string, string> {
  const out: Record<string, string> = {};
  if (error === null || error.kind !== "problem") return out;
  for (const e of error.errors) {
    if (!e.path.startsWith(prefix)) continue;
    const field = e.path.slice(prefix.length).split(".")[0] ?? "";
    out[field] ??= e.message;
  }
  return out;
}

/** A query string from the defined values only. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
