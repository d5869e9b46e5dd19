import { z } from "zod";
import { Id } from "../shared/schemas.ts";

// The shared atoms, for the routes that import every schema from here.
export { Day, Id, IdOut, toIso } from "../shared/schemas.ts";

export const idParams = <K extends string>(...keys: K[]) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, Id])) as Record<K, typeof Id>);

export const Limit = z.coerce.number().int().min(1).max(200).default(50);
export const Cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,200}$/, "must be a cursor from nextCursor")
  .optional();

/** Cursors are opaque to clients: base64url of the last key. */
export function encodeCursor(key: number): string {
  return Buffer.from(String(key)).toString("base64url");
}
/**
 * One page of a keyset listing that was asked for `limit + 1` rows: the first `limit`, and the
 * cursor of the next page (the key of the last row shown) only when the extra row came back.
 */
export function keysetPage<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (row: T) => number,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    page,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

export function decodeCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const n = Number(Buffer.from(cursor, "base64url").toString());
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
