/**
 * The zod atoms that domains and routes share: ids (integers in the database, strings on the
 * wire) and calendar days. Pure: no HTTP, no SQL.
 */
import { z } from "zod";

/** Ids are integers in the database and strings on the wire. */
export const Id = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, "must be an id (digits)")
  .transform(Number);
export const IdOut = z.string();

export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
      new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    "must be a real calendar date",
  );

/** A time as it goes on the wire: ISO 8601 in UTC. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
