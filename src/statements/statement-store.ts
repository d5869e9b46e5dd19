/** SQL for points statements. Never opens a transaction: the use case holds one. */
import type { Database } from "bun:sqlite";

export type StatementRow = {
  id: number;
  number: string;
  year: number;
  seq: number;
  code: string;
  household_id: number;
  village_id: number;
  issued_at_ms: number;
  issued_by: string;
  snapshot: string;
  digest: string;
  withdrawn_at_ms: number | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
};

/**
 * The next number of `year`, 1, 2, 3, … without gaps: moved inside the issuing transaction, so a
 * refused or rolled-back statement takes no number.
 */
export function nextStatementSeq(db: Database, year: number): number {
  return db
    .query<{ last_seq: number }, [number]>(
      "INSERT INTO statement_counters (year, last_seq) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
    )
    .get(year)!.last_seq;
}

export type NewStatement = Omit<
  StatementRow,
  "id" | "withdrawn_at_ms" | "withdrawn_by" | "withdrawn_reason"
>;

export function insertStatement(db: Database, s: NewStatement): StatementRow {
  return db
    .query<
      StatementRow,
      [string, number, number, string, number, number, number, string, string, string]
    >(
      `INSERT INTO household_statements (number, year, seq, code, household_id, village_id, issued_at_ms, issued_by, snapshot, digest)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    )
    .get(
      s.number,
      s.year,
      s.seq,
      s.code,
      s.household_id,
      s.village_id,
      s.issued_at_ms,
      s.issued_by,
      s.snapshot,
      s.digest,
    )!;
}

export function findStatement(db: Database, id: number): StatementRow | null {
  return db
    .query<StatementRow, [number]>("SELECT * FROM household_statements WHERE id = ?")
    .get(id);
}

export function findStatementByCode(db: Database, code: string): StatementRow | null {
  return db
    .query<StatementRow, [string]>("SELECT * FROM household_statements WHERE code = ?")
    .get(code);
}

export function villageOfStatement(db: Database, id: number): number | null {
  return (
    db
      .query<{ village_id: number }, [number]>(
        "SELECT village_id FROM household_statements WHERE id = ?",
      )
      .get(id)?.village_id ?? null
  );
}

/** A household's statements, newest first (household_statements_household). */
export function statementsOfHousehold(db: Database, householdId: number): StatementRow[] {
  return db
    .query<StatementRow, [number]>(
      "SELECT * FROM household_statements WHERE household_id = ? ORDER BY id DESC",
    )
    .all(householdId);
}

export function markWithdrawn(
  db: Database,
  id: number,
  by: string,
  reason: string,
  nowMs: number,
): void {
  db.query(
    "UPDATE household_statements SET withdrawn_at_ms = ?, withdrawn_by = ?, withdrawn_reason = ? WHERE id = ? AND withdrawn_at_ms IS NULL",
  ).run(nowMs, by, reason, id);
}
