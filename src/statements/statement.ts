/**
 * Points statements for the bank (积分贷): issue, withdraw, and verify against the ledger. A
 * statement is the household's honour score, star tier and last twelve months by category as they
 * stood when it was issued, kept as canonical JSON with its SHA-256 (src/shared/canonical.ts), a
 * number per township and year without gaps (JF-2026-000123), and a random code (144 bits,
 * base64url) that is the only key to its print and verification pages. See README.md beside this file.
 */
import type { Database } from "bun:sqlite";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { assert } from "../shared/assert.ts";
import { canonicalJson, sha256Hex } from "../shared/canonical.ts";
import { shanghaiDay } from "../shared/calendar.ts";
import { findVillage, type VillageRow } from "../villages/village-store.ts";
import { findHousehold } from "../villages/household-store.ts";
import { inTransaction, refuse, type LedgerResult } from "../ledger/refusal.ts";
import { postDueEntriesInside } from "../ledger/posting.ts";
import { starsFor } from "../ledger/report.ts";
import { honourScore, monthsByCategory, statementMonths, type MonthFigures } from "./honour.ts";
import {
  findStatement,
  findStatementByCode,
  insertStatement,
  markWithdrawn,
  nextStatementSeq,
  type StatementRow,
} from "./statement-store.ts";

/** 18 random bytes: 144 bits, 24 base64url characters. */
export const STATEMENT_CODE_BYTES = 18;
export const STATEMENT_NUMBER_PREFIX = "JF";
const SEQ_DIGITS = 6;

/** What a statement says, exactly as printed and hashed. */
export type StatementSnapshot = {
  number: string;
  householdId: string;
  headName: string;
  villageId: string;
  villageName: string;
  issuedOn: string;
  honourScore: number;
  star: number;
  starsMax: number;
  months: MonthFigures[];
};

/** The figures a statement carries, computed from the ledger for the months given. */
export type Figures = {
  honourScore: number;
  star: number;
  starsMax: number;
  months: MonthFigures[];
};

export function statementNumber(year: number, seq: number): string {
  return `${STATEMENT_NUMBER_PREFIX}-${year}-${String(seq).padStart(SEQ_DIGITS, "0")}`;
}

export function newStatementCode(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(STATEMENT_CODE_BYTES))).toString(
    "base64url",
  );
}

/** A code as it may appear in a URL: base64url, of the length we make (a longer one is someone's guess). */
export function plausibleCode(code: string): boolean {
  return /^[A-Za-z0-9_-]{22,64}$/.test(code);
}

function thresholdsOf(village: VillageRow): number[] {
  return JSON.parse(village.star_thresholds) as number[];
}

export function figuresNow(
  db: Database,
  householdId: number,
  village: VillageRow,
  months: readonly string[],
): Figures {
  const score = honourScore(db, householdId);
  const thresholds = thresholdsOf(village);
  return {
    honourScore: score,
    star: starsFor(score, thresholds),
    starsMax: thresholds.length,
    months: monthsByCategory(db, householdId, months),
  };
}

export function snapshotOf(row: StatementRow): StatementSnapshot {
  return JSON.parse(row.snapshot) as StatementSnapshot;
}

/** Whether the stored snapshot still hashes to its stored digest (an edit behind the server's back would not). */
export function intact(row: StatementRow): boolean {
  return sha256Hex(row.snapshot) === row.digest;
}

/**
 * Issues a statement for a household: posts what is due first (so the figures are the ledger's
 * now), takes the next number, stores the snapshot and its digest, audits. `issuedBy` is
 * `user:<id>` or, from the card page, `card:<id>`.
 */
export function issueStatement(
  db: Database,
  audit: AuditContext,
  householdId: number,
  issuedBy: string,
): LedgerResult<StatementRow> {
  return inTransaction(db, () => {
    const household = findHousehold(db, householdId);
    if (household === null) refuse("not-found", `No household ${householdId}.`);
    const village = findVillage(db, household.village_id)!;
    postDueEntriesInside(db, audit.nowMs);
    const issuedOn = shanghaiDay(audit.nowMs);
    const year = Number(issuedOn.slice(0, 4));
    const seq = nextStatementSeq(db, year);
    const number = statementNumber(year, seq);
    const snapshot: StatementSnapshot = {
      number,
      householdId: String(household.id),
      headName: household.head_name,
      villageId: String(village.id),
      villageName: village.name,
      issuedOn,
      ...figuresNow(db, household.id, village, statementMonths(issuedOn)),
    };
    const text = canonicalJson(snapshot);
    const row = insertStatement(db, {
      number,
      year,
      seq,
      code: newStatementCode(),
      household_id: household.id,
      village_id: village.id,
      issued_at_ms: audit.nowMs,
      issued_by: issuedBy,
      snapshot: text,
      digest: sha256Hex(text),
    });
    recordAudit(db, audit, {
      action: "issue",
      entity: "statement",
      entityId: row.id,
      villageId: village.id,
      detail: {
        number,
        householdId: household.id,
        honourScore: snapshot.honourScore,
        star: snapshot.star,
        by: issuedBy,
      },
    });
    return row;
  });
}

/** Withdraws a statement with a reason: its verification page says so from then on. Once only. */
export function withdrawStatement(
  db: Database,
  audit: AuditContext,
  statementId: number,
  by: string,
  reason: string,
): LedgerResult<StatementRow> {
  return inTransaction(db, () => {
    const row = findStatement(db, statementId);
    if (row === null) refuse("not-found", `No statement ${statementId}.`);
    if (row.withdrawn_at_ms !== null) {
      refuse(
        "conflict",
        `Statement ${row.number} was already withdrawn (${row.withdrawn_reason}).`,
        undefined,
        { code: "statement-withdrawn", params: { number: row.number } },
      );
    }
    markWithdrawn(db, row.id, by, reason, audit.nowMs);
    recordAudit(db, audit, {
      action: "withdraw",
      entity: "statement",
      entityId: row.id,
      villageId: row.village_id,
      detail: { number: row.number, reason },
    });
    const after = findStatement(db, row.id)!;
    assert(after.withdrawn_at_ms === audit.nowMs, "the statement is withdrawn now");
    return after;
  });
}

/**
 * What the verification page says: `withdrawn` (with the reason), `altered` (the stored statement
 * no longer matches its digest: someone changed it behind the server's back), `current` (the
 * ledger's figures now equal the statement's) or `changed` (genuine, but entries since have moved
 * the figures).
 */
export type Verdict = "current" | "changed" | "withdrawn" | "altered";
export type Verification = {
  row: StatementRow;
  stated: StatementSnapshot;
  now: Figures;
  verdict: Verdict;
};

/** Compares a statement with the ledger now, for its own months. Null when no statement has this code. Reads only. */
export function verifyStatement(db: Database, code: string): Verification | null {
  if (!plausibleCode(code)) return null;
  const row = findStatementByCode(db, code);
  if (row === null) return null;
  const stated = snapshotOf(row);
  const village = findVillage(db, row.village_id)!;
  const now = figuresNow(
    db,
    row.household_id,
    village,
    stated.months.map((m) => m.month),
  );
  const same =
    canonicalJson(now) ===
    canonicalJson({
      honourScore: stated.honourScore,
      star: stated.star,
      starsMax: stated.starsMax,
      months: stated.months,
    });
  const verdict: Verdict =
    row.withdrawn_at_ms !== null
      ? "withdrawn"
      : !intact(row)
        ? "altered"
        : same
          ? "current"
          : "changed";
  return { row, stated, now, verdict };
}

/** Where a statement is printed and where anyone checks it, under the server's public address. */
export function statementUrls(
  publicUrl: string,
  code: string,
): { printUrl: string; verifyUrl: string } {
  const origin = publicUrl.replace(/\/+$/, "");
  return { printUrl: `${origin}/s/${code}`, verifyUrl: `${origin}/v/${code}` };
}
