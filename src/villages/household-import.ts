/**
 * Importing households from a parsed CSV (src/villages/csv-import.ts), or previewing the import.
 * A row whose external id (or, without one, head name and address) is already in the village is
 * `existing`, one seen earlier in the same file is `repeated`: neither is created, so importing
 * the same file twice creates nothing twice. One IMMEDIATE transaction, audited; with
 * `issueCards` each created household gets its card in the same transaction.
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
export type PreviewRow = { line: number; headName: string; address: string; externalId: string | null; members: string[]; status: ImportRowStatus };

export type ImportOptions = { dryRun: boolean; issueCards: boolean; lineOffset: number; encoding: string };

export type ImportOutcome = {
  created: number;
  skipped: number;
  createdIds: number[];
  cardsIssued: number;
  rows: PreviewRow[];
  rowsTruncated: boolean;
};

function alreadyImported(db: Database, villageId: number, h: NewHousehold): boolean {
  if (h.externalId !== null) return db.query("SELECT 1 FROM households WHERE village_id = ? AND external_id = ?").get(villageId, h.externalId) !== null;
  return db.query("SELECT 1 FROM households WHERE village_id = ? AND head_name = ? AND address = ?").get(villageId, h.headName, h.address) !== null;
}

export function importHouseholds(db: Database, audit: AuditContext, villageId: number, parsed: ParsedCsv, options: ImportOptions): ImportOutcome {
  return immediate(db, () => {
    const outcome: ImportOutcome = { created: 0, skipped: 0, createdIds: [], cardsIssued: 0, rows: [], rowsTruncated: false };
    const seen = new Set<string>();
    for (const { line, household } of parsed.rows) {
      const key = household.externalId !== null ? `id:${household.externalId}` : `na:${household.headName}\u0000${household.address}`;
      const status: ImportRowStatus = seen.has(key) ? "repeated" : alreadyImported(db, villageId, household) ? "existing" : "new";
      seen.add(key);
      if (options.dryRun) {
        if (outcome.rows.length < IMPORT_PREVIEW_ROWS_MAX) {
          outcome.rows.push({ line: line + options.lineOffset, headName: household.headName, address: household.address, externalId: household.externalId, members: household.members.map((m) => m.name), status });
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
    if (!options.dryRun) {
      recordAudit(db, audit, {
        action: "import",
        entity: "household",
        entityId: null,
        villageId,
        detail: { created: outcome.created, skipped: outcome.skipped, errors: parsed.errors.length, encoding: options.encoding, cardsIssued: outcome.cardsIssued, lineOffset: options.lineOffset },
      });
    }
    return outcome;
  });
}
