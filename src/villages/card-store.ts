import type { Database } from "bun:sqlite";
import { CARD_TOKEN_BYTES, randomToken } from "../auth/tokens.ts";
import { isValidCardNumber, randomCardNumber } from "./card-number.ts";

export type CardRow = {
  id: number;
  household_id: number;
  village_id: number;
  token: string;
  number: string;
  created_at_ms: number;
  revoked_at_ms: number | null;
};

/** Issues a card; any earlier active card of the household stays valid until revoked. */
export function insertCard(
  db: Database,
  householdId: number,
  villageId: number,
  nowMs: number,
): CardRow {
  for (;;) {
    const number = randomCardNumber();
    if (db.query("SELECT 1 FROM cards WHERE number = ?").get(number)) continue;
    return db
      .query<CardRow, [number, number, string, string, number]>(
        "INSERT INTO cards (household_id, village_id, token, number, created_at_ms) VALUES (?, ?, ?, ?, ?) RETURNING *",
      )
      .get(householdId, villageId, randomToken(CARD_TOKEN_BYTES), number, nowMs)!;
  }
}

/** Marks an active card revoked from `nowMs`; a revoked card keeps when it was revoked. Call inside a transaction. */
export function markCardRevoked(db: Database, card: CardRow, nowMs: number): void {
  if (card.revoked_at_ms === null)
    db.query("UPDATE cards SET revoked_at_ms = ? WHERE id = ?").run(nowMs, card.id);
}

export function findCard(db: Database, id: number): CardRow | null {
  return db.query<CardRow, [number]>("SELECT * FROM cards WHERE id = ?").get(id);
}

/**
 * An active card by what a reader produced: a card URL, a bare token or the printed number
 * (spaces allowed). A revoked card is not found, as if it never existed.
 */
/** Whether a reader's code is a typed card number (digits and spaces) rather than a scanned token or URL. */
export function isTypedCardNumber(code: string): boolean {
  return /^\d[\d\s]*$/.test(code.trim());
}

export function findActiveCardByCode(db: Database, code: string): CardRow | null {
  const trimmed = code.trim();
  const digits = trimmed.replace(/\s+/g, "");
  if (/^\d+$/.test(digits)) {
    if (!isValidCardNumber(digits)) return null;
    return db
      .query<CardRow, [string]>("SELECT * FROM cards WHERE number = ? AND revoked_at_ms IS NULL")
      .get(digits);
  }
  const token = trimmed.includes("/c/")
    ? trimmed.slice(trimmed.lastIndexOf("/c/") + 3).split(/[?#/]/)[0]!
    : trimmed;
  return findActiveCardByToken(db, token);
}

export function findActiveCardByToken(db: Database, token: string): CardRow | null {
  if (!/^[A-Za-z0-9_-]{22,64}$/.test(token)) return null;
  return db
    .query<CardRow, [string]>("SELECT * FROM cards WHERE token = ? AND revoked_at_ms IS NULL")
    .get(token);
}

export function cardsOfHousehold(db: Database, householdId: number): CardRow[] {
  return db
    .query<CardRow, [number]>("SELECT * FROM cards WHERE household_id = ? ORDER BY id")
    .all(householdId);
}

export type CardSummary = { id: number; number: string };

/** Each household's newest active card, for lists that show whether a household has one. */
export function newestActiveCards(
  db: Database,
  householdIds: readonly number[],
): Map<number, CardSummary> {
  const out = new Map<number, CardSummary>();
  if (householdIds.length === 0) return out;
  const rows = db
    .query<{ household_id: number; id: number; number: string }, number[]>(
      `SELECT household_id, id, number FROM cards WHERE household_id IN (${householdIds.map(() => "?").join(",")}) AND revoked_at_ms IS NULL ORDER BY id`,
    )
    .all(...householdIds);
  for (const r of rows) out.set(r.household_id, { id: r.id, number: r.number });
  return out;
}

/** The village's active cards for the print sheet, narrowed to some households or one card. */
export function activeCardsForSheet(
  db: Database,
  villageId: number,
  only: { householdIds?: readonly number[]; cardId?: number },
): (CardRow & { head_name: string; address: string })[] {
  const where = ["c.village_id = ?", "c.revoked_at_ms IS NULL"];
  const args: number[] = [villageId];
  if (only.cardId !== undefined) (where.push("c.id = ?"), args.push(only.cardId));
  if (only.householdIds !== undefined) {
    if (only.householdIds.length === 0) return [];
    where.push(`c.household_id IN (${only.householdIds.map(() => "?").join(",")})`);
    args.push(...only.householdIds);
  }
  return db
    .query<CardRow & { head_name: string; address: string }, number[]>(
      `SELECT c.*, h.head_name, h.address FROM cards c JOIN households h ON h.id = c.household_id WHERE ${where.join(" AND ")} ORDER BY h.id, c.id`,
    )
    .all(...args);
}
