/**
 * The hash chain over posted entries: pure. Each posted entry's hash covers a canonical encoding
 * of every field that gives it meaning plus the previous entry's hash, so any edit, insertion or
 * deletion made behind the server's back breaks the chain from that entry on.
 */

export const GENESIS_HASH = "0".repeat(64);

/** The fields that are hashed, in this fixed order. Changing it is a new chain version. */
export const CHAINED_COLUMNS = [
  "seq",
  "id",
  "village_id",
  "household_id",
  "member_id",
  "rule_id",
  "kind",
  "points",
  "quantity",
  "rule_code",
  "rule_title",
  "category",
  "note",
  "occurred_on",
  "reverses_id",
  "redemption_id",
  "batch_id",
  "created_at_ms",
  "created_by",
  "approved_by",
  "approved_at_ms",
  "posted_at_ms",
  "balance_after",
  "prev_hash",
] as const;

export type ChainValue = string | number | null;
export type ChainedFields = Record<(typeof CHAINED_COLUMNS)[number], ChainValue>;

/** JSON of the values in column order: unambiguous, and the same bytes in every process. */
export function canonicalEncoding(values: readonly ChainValue[]): string {
  return JSON.stringify(values);
}

export function entryHash(values: readonly ChainValue[]): string {
  return hashEncoded(canonicalEncoding(values));
}

export function chainValues(fields: ChainedFields): ChainValue[] {
  return CHAINED_COLUMNS.map((column) => fields[column]);
}

/**
 * The same canonical encoding, built by SQLite: `json_array` writes integers, text and null
 * byte for byte as `JSON.stringify` does (tests/ledger/chain.test.ts checks every BMP character),
 * and building it in SQL is several times faster than reading 24 columns into JavaScript. Verify
 * uses it only as a fast path: a row whose SQL encoding does not match its hash is re-encoded
 * in JavaScript before it is called broken, so the two can never disagree about a break.
 */
export const CANONICAL_SQL = `json_array(${CHAINED_COLUMNS.join(", ")})`;

/** SHA-256 of an already encoded row. */
export function hashEncoded(encoded: string): string {
  return Bun.SHA256.hash(encoded, "hex") as string;
}
