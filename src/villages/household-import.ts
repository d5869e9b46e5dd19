/**
 * Importing households from a parsed CSV (src/villages/csv-import.ts), or previewing the import.
 * A row whose external id (or, without one, head name and address) is already in the village is
 * `existing`, one seen earlier in the same file is `repeated`: neither is created, so importing
 * the same file twice creates nothing twice. In chunks, each one IMMEDIATE transaction with its
 * audit row; with `issueCards` each created household gets its card in its chunk's transaction.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import type { ParsedCsv } from "./csv-import.ts";
import { insertHousehold, type NewHousehold } from "./household-store.ts";
import { insertCard } from "./card-store.ts";

/** A preview lists at most this many rows; the counts still cover the whole file. */
export const IMPORT_PREVIEW_ROWS_MAX = 2_000;

export type ImportRowStatus = "new" | "existing" | "repeated";
export type PreviewRow = {
  line: number;
  headName: string;
  address: string;
  externalId: string | null;
  members: string[];
  status: ImportRowStatus;
};

export type ImportOptions = {
  dryRun: boolean;
  issueCards: boolean;
  lineOffset: number;
  encoding: string;
};

export type ImportOutcome = {
  created: number;
  skipped: number;
  createdIds: number[];
  cardsIssued: number;
  rows: PreviewRow[];
  rowsTruncated: boolean;
};

function alreadyImported(db: Database, villageId: number, h: NewHousehold): boolean {
  if (h.externalId !== null)
    return (
      db
        .query("SELECT 1 FROM households WHERE village_id = ? AND external_id = ?")
        .get(villageId, h.externalId) !== null
    );
  return (
    db
      .query("SELECT 1 FROM households WHERE village_id = ? AND head_name = ? AND address = ?")
      .get(villageId, h.headName, h.address) !== null
  );
}

/** Rows written in one transaction; between two, other requests get the event loop and the database. */
export const IMPORT_CHUNK_ROWS = 500;

/**
 * Imports (or, with dryRun, previews) the rows in chunks of IMPORT_CHUNK_ROWS, each its own
 * IMMEDIATE transaction with its audit row, awaiting `yieldToLoop` between two transactions and
 * never inside one. A 100,000-row file in one transaction held up every kiosk for about 4 s.
 *
 * Whether a row already exists is decided inside the transaction that would create it, so two
 * imports of one file at once never create a row twice; a chunk written before a crash stays,
 * and importing the file again skips it. Every input is checked before the first chunk is written
 * (parsing refuses bad rows), so no request's input stops an import half way.
 */
export async function importHouseholds(
  db: Database,
  audit: AuditContext,
  villageId: number,
  parsed: ParsedCsv,
  options: ImportOptions,
  yieldToLoop: () => Promise<void>,
): Promise<ImportOutcome> {
  const outcome: ImportOutcome = {
    created: 0,
    skipped: 0,
    createdIds: [],
    cardsIssued: 0,
    rows: [],
    rowsTruncated: false,
  };
  const seen = new Set<string>();
  const importId = crypto.randomUUID();
  for (
    let from = 0;
    from < parsed.rows.length || (from === 0 && !options.dryRun);
    from += IMPORT_CHUNK_ROWS
  ) {
    const chunk = parsed.rows.slice(from, from + IMPORT_CHUNK_ROWS);
    const run = () =>
      importChunk(db, audit, villageId, chunk, options, seen, outcome, {
        importId,
        first: from === 0,
        errors: parsed.errors.length,
      });
    // A preview writes nothing: its reads need no write lock.
    if (options.dryRun) run();
    else immediate(db, run);
    if (from + IMPORT_CHUNK_ROWS < parsed.rows.length) await yieldToLoop();
  }
  return outcome;
}

function importChunk(
  db: Database,
  audit: AuditContext,
  villageId: number,
  chunk: ParsedCsv["rows"],
  options: ImportOptions,
  seen: Set<string>,
  outcome: ImportOutcome,
  file: { importId: string; first: boolean; errors: number },
): void {
  const before = {
    created: outcome.created,
    skipped: outcome.skipped,
    cardsIssued: outcome.cardsIssued,
  };
  for (const { line, household } of chunk) {
    const key =
      household.externalId !== null
        ? `id:${household.externalId}`
        : `na:${household.headName}\u0000${household.address}`;
    const status: ImportRowStatus = seen.has(key)
      ? "repeated"
      : alreadyImported(db, villageId, household)
        ? "existing"
        : "new";
    seen.add(key);
    if (options.dryRun) {
      if (outcome.rows.length < IMPORT_PREVIEW_ROWS_MAX) {
        outcome.rows.push({
          line: line + options.lineOffset,
          headName: household.headName,
          address: household.address,
          externalId: household.externalId,
          members: household.members.map((m) => m.name),
          status,
        });
      } else outcome.rowsTruncated = true;
    }
    if (status !== "new") {
      outcome.skipped++;
      continue;
    }
    outcome.created++;
    if (options.dryRun) continue;
    const id = insertHousehold(db, villageId, household, audit.nowMs);
    outcome.createdIds.push(id);
    if (options.issueCards) {
      insertCard(db, id, villageId, audit.nowMs);
      outcome.cardsIssued++;
    }
  }
  if (options.dryRun) return;
  const lines =
    chunk.length === 0
      ? null
      : [chunk[0]!.line + options.lineOffset, chunk[chunk.length - 1]!.line + options.lineOffset];
  recordAudit(db, audit, {
    action: "import",
    entity: "household",
    entityId: null,
    villageId,
    detail: {
      importId: file.importId,
      lines,
      created: outcome.created - before.created,
      skipped: outcome.skipped - before.skipped,
      cardsIssued: outcome.cardsIssued - before.cardsIssued,
      ...(file.first
        ? { errors: file.errors, encoding: options.encoding, lineOffset: options.lineOffset }
        : {}),
    },
  });
}
