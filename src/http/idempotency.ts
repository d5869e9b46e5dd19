/**
 * The Idempotency-Key over HTTP: the header read and checked, the keys this server is working on,
 * and the stored answer sent back. The keys and their answers are stored by
 * src/idempotency/key-store.ts, inside each use case's transaction.
 */
import type { Context } from "hono";
import type { KeyedAnswer } from "../idempotency/key-store.ts";
import { ProblemError } from "./problem.ts";

export const IDEMPOTENCY_KEY_LENGTH_MAX = 255;

/** Printable ASCII without quote or backslash, so the key is also a valid sf-string's content. */
const KEY_PATTERN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * The key from the header. The draft makes it a Structured Field string (`"abc"`); most clients
 * send it bare (`abc`), so both are accepted. Null when missing or malformed.
 */
function parseIdempotencyKey(header: string | undefined): string | null {
  if (header === undefined) return null;
  let key = header.trim();
  if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) key = key.slice(1, -1);
  if (key.length === 0 || key.length > IDEMPOTENCY_KEY_LENGTH_MAX || !KEY_PATTERN.test(key))
    return null;
  return key;
}

/** SHA-256 of method, path and the parsed body in canonical form (so whitespace does not count). */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return Bun.SHA256.hash(
    `${method.toUpperCase()}\n${path}\n${JSON.stringify(body)}`,
    "hex",
  ) as string;
}

/**
 * The (caller, key) pairs whose request this server is still working on. A second request with
 * one of them answers 409 with Retry-After at once, as the draft asks, instead of queueing behind
 * the first; once the first is answered, the key replays its answer. Across two server processes
 * the database's write lock orders the two requests, and the second replays.
 */
export class KeysInFlight {
  private readonly running = new Set<string>();

  /** Runs `work` holding the key; throws the 409 problem when the key is already held. */
  async hold<T>(caller: string, key: string, work: () => Promise<T>): Promise<T> {
    const id = `${caller}\n${key}`;
    if (this.running.has(id)) {
      throw new ProblemError(
        409,
        "conflict",
        "A request with this Idempotency-Key is still being processed; send it again in a moment to get its answer.",
        undefined,
        { "retry-after": "1" },
      );
    }
    this.running.add(id);
    try {
      return await work();
    } finally {
      this.running.delete(id);
    }
  }
}

/**
 * The request's Idempotency-Key: the key, or null when the header is absent and `required` is
 * false. A malformed key, or a missing one where it is required, is a 400 problem.
 */
export function idempotencyKeyOf(
  header: string | undefined,
  required: boolean,
  what: string,
): string | null {
  if (header === undefined && !required) return null;
  const key = parseIdempotencyKey(header);
  if (key === null) {
    const message =
      header === undefined
        ? `required: one key per ${what}`
        : "must be 1 to 255 printable ASCII characters";
    throw new ProblemError(400, "validation", `Idempotency-Key header ${message}.`, [
      { path: "headers.Idempotency-Key", message },
    ]);
  }
  return key;
}

/** The answer of a write under a key (201 unless said): its JSON text as stored for the key, marked when replayed. */
export function keyedResponse(c: Context, answer: KeyedAnswer, status: 200 | 201 = 201): Response {
  if (answer.replayed) c.header("idempotent-replayed", "true");
  return c.body(answer.json, status, { "content-type": "application/json" });
}
