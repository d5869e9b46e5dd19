/**
 * Canonical JSON and its digest, for records that are frozen and checked later (a signed month of
 * the supermarket, a points statement for the bank): object keys sorted at every depth, no
 * whitespace, so the same content always gives the same text and the same SHA-256, whatever order
 * the code built it in. Only what JSON carries: strings, finite numbers, booleans, null, arrays
 * and plain objects (an `undefined` member is left out, as JSON.stringify does). Pure.
 */
import { assert } from "./assert.ts";

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "string" || typeof value === "boolean")
    return JSON.stringify(value);
  if (typeof value === "number") {
    assert(Number.isFinite(value), "canonical JSON holds finite numbers only");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(",")}]`;
  assert(typeof value === "object", `canonical JSON cannot hold a ${typeof value}`);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
}

/** SHA-256 of a text, lower-case hex (64 characters). */
export function sha256Hex(text: string): string {
  return Bun.SHA256.hash(text, "hex") as string;
}
