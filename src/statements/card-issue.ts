/** A resident's statement asked for from the card page: the use case the API and the page's form share, with its limits. */
import type { Database } from "bun:sqlite";
import { limiterPerDatabase } from "../http/rate-limit.ts";
import { DAY_MS, MINUTE_MS } from "../shared/clock.ts";
import type { AuditContext } from "../audit/audit.ts";
import { findActiveCardByToken } from "../villages/card-store.ts";
import { unwrap } from "../ledger/http-result.ts";
import { PUBLIC_OBJECTIONS_PER_MINUTE } from "../ledger/objection-limit.ts";
import { issueStatement } from "./statement.ts";
import type { StatementRow } from "./statement-store.ts";

/** From the card page, one address may ask as often as it may object: statements are cheap to ask for. */
export const PUBLIC_STATEMENTS_PER_MINUTE = PUBLIC_OBJECTIONS_PER_MINUTE;
/** And one card at most this many a day: each takes a number of the township's sequence. */
export const PUBLIC_STATEMENTS_PER_CARD_PER_DAY = 5;

/** The card path's limits, per database, shared by the API and the card page's form. */
const byAddress = limiterPerDatabase(PUBLIC_STATEMENTS_PER_MINUTE, MINUTE_MS);
const byCard = limiterPerDatabase(PUBLIC_STATEMENTS_PER_CARD_PER_DAY, DAY_MS);

export type CardIssue =
  | { ok: true; row: StatementRow }
  | { ok: false; why: "not-found" | "address-limit" | "card-limit"; waitMs: number };

/**
 * A resident's statement from the card page (the API's and the page's form): for the card's own
 * household only (the token names it; nothing the caller sends can name another), at most
 * PUBLIC_STATEMENTS_PER_MINUTE a minute per address and PUBLIC_STATEMENTS_PER_CARD_PER_DAY a day
 * per card, recorded as issued by `card:<id>` and audited like any other.
 */
export function issueForCard(db: Database, audit: AuditContext, token: string): CardIssue {
  const addressWait = byAddress(db).hit(audit.address, audit.nowMs);
  if (addressWait > 0) return { ok: false, why: "address-limit", waitMs: addressWait };
  const card = findActiveCardByToken(db, token);
  if (card === null) return { ok: false, why: "not-found", waitMs: 0 };
  const cardWait = byCard(db).hit(`card:${card.id}`, audit.nowMs);
  if (cardWait > 0) return { ok: false, why: "card-limit", waitMs: cardWait };
  return { ok: true, row: unwrap(issueStatement(db, audit, card.household_id, `card:${card.id}`)) };
}
