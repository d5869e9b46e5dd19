import { z } from "zod";

/** Ids are integers in the database and strings on the wire. */
export const Id = z.string().regex(/^[1-9][0-9]{0,14}$/, "must be an id (digits)").transform(Number);
export const IdOut = z.string();

export const idParams = <K extends string>(...keys: K[]) => z.strictObject(Object.fromEntries(keys.map((k) => [k, Id])) as Record<K, typeof Id>);

export const Limit = z.coerce.number().int().min(1).max(200).default(50);
export const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "must be a cursor from nextCursor").optional();

export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD").refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "must be a real calendar date");

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Cursors are opaque to clients: base64url of the last key. */
export function encodeCursor(key: number): string {
  return Buffer.from(String(key)).toString("base64url");
}
/**
 * One page of a keyset listing that was asked for `limit + 1` rows: the first `limit`, and the
 * cursor of the next page (the key of the last row shown) only when the extra row came back.
 */
export function keysetPage<T>(rows: readonly T[], limit: number, keyOf: (row: T) => number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

export function decodeCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const n = Number(Buffer.from(cursor, "base64url").toString());
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
