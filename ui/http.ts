// One way to call the server, for the kiosk and the staff pages alike: a time limit on every request, the device token where wanted, and
// the answer sorted into response (with its parsed JSON and problem type) or no answer at all.

export const REQUEST_TIMEOUT_MS = 8000;

export type HttpResult =
  | {
      kind: "response";
      status: number;
      body: unknown;
      problemType: string | null;
      retryAfter: string | null;
    }
  | { kind: "network-error" }
  | { kind: "timeout" };

export interface RequestOptions {
  method?: string;
  token?: string | null;
  body?: unknown;
  /** A body sent as it is (a CSV file, a photo), with its own content type. */
  rawBody?: Blob | ArrayBuffer | Uint8Array | string;
  contentType?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export async function request(path: string, opts: RequestOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (opts.rawBody !== undefined)
    headers["Content-Type"] = opts.contentType ?? "application/octet-stream";
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? REQUEST_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? "GET",
      headers,
      body:
        opts.rawBody !== undefined
          ? (opts.rawBody as BodyInit)
          : opts.body === undefined
            ? null
            : JSON.stringify(opts.body),
      credentials: "same-origin",
      cache: "no-store",
      signal: controller.signal,
    });
  } catch {
    clearTimeout(timer);
    return controller.signal.aborted ? { kind: "timeout" } : { kind: "network-error" };
  }
  let body: unknown = null;
  try {
    const text = await res.text();
    body = text === "" ? null : JSON.parse(text);
  } catch {
    // A body cut off by a dropped connection is as good as no answer for a write; reads treat a
    // null body as a failure of their own.
    if (controller.signal.aborted) {
      clearTimeout(timer);
      return { kind: "timeout" };
    }
    body = null;
  }
  clearTimeout(timer);
  const problemType =
    typeof body === "object" &&
    body !== null &&
    typeof (body as { type?: unknown }).type === "string"
      ? (body as { type: string }).type
      : null;
  return {
    kind: "response",
    status: res.status,
    body,
    problemType,
    retryAfter: res.headers.get("retry-after"),
  };
}
