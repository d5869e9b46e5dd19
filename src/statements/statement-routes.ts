/** Points statements over HTTP: issued by staff or by the resident from the card page, listed, withdrawn. The pages are src/pages/statement-page.ts. */
import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import { IdOut, idParams, toIso } from "../http/schemas.ts";
import { actorIdOf } from "../auth/principal.ts";
import { DAY_MS, MINUTE_MS, SECOND_MS } from "../shared/clock.ts";
import type { AuditContext } from "../audit/audit.ts";
import { assert } from "../shared/assert.ts";
import { villageOfHousehold } from "../villages/household-store.ts";
import { findActiveCardByToken } from "../villages/card-store.ts";
import { Reason } from "../ledger/entry-schemas.ts";
import { unwrap } from "../ledger/http-result.ts";
import { PUBLIC_OBJECTIONS_PER_MINUTE } from "../ledger/entry-routes.ts";
import { ProblemError } from "../http/problem.ts";
import { issueStatement, snapshotOf, withdrawStatement } from "./statement.ts";
import { statementsOfHousehold, villageOfStatement, type StatementRow } from "./statement-store.ts";

/** From the card page, one address may ask as often as it may object: statements are cheap to ask for. */
export const PUBLIC_STATEMENTS_PER_MINUTE = PUBLIC_OBJECTIONS_PER_MINUTE;
/** And one card at most this many a day: each takes a number of the township's sequence. */
export const PUBLIC_STATEMENTS_PER_CARD_PER_DAY = 5;

const MonthSchema = z.object({ month: z.string(), byCategory: z.array(z.object({ category: z.string(), earned: z.number().int() })), earned: z.number().int() });

export const StatementSchema = z.object({
  id: IdOut,
  number: z.string().describe("JF-<year>-<6 digits>: per township and year, without gaps"),
  code: z.string().describe("the statement's key (≥ 128 random bits, base64url): its print page is /s/<code>, its verification page /v/<code>"),
  householdId: IdOut,
  villageId: IdOut,
  issuedAt: z.string(),
  honourScore: z.number().int().describe("all points ever earned less deductions (awards, deductions and their reversals; never redemptions or expiry)"),
  star: z.number().int().describe("stars reached by the honour score under the village's thresholds (0 to their number, usually 5)"),
  months: z.array(MonthSchema).describe("the twelve months up to the month of issue, oldest first: net awards and deductions by category, by the day they happened"),
  digest: z.string().describe("SHA-256 of the statement's canonical JSON, as stored"),
  printUrl: z.string(),
  verifyUrl: z.string(),
  withdrawnAt: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
});
export type StatementOut = z.infer<typeof StatementSchema>;

export function statementUrls(publicUrl: string, code: string): { printUrl: string; verifyUrl: string } {
  const origin = publicUrl.replace(/\/+$/, "");
  return { printUrl: `${origin}/s/${code}`, verifyUrl: `${origin}/v/${code}` };
}

export function statementOut(row: StatementRow, publicUrl: string): StatementOut {
  const s = snapshotOf(row);
  return {
    id: String(row.id),
    number: row.number,
    code: row.code,
    householdId: String(row.household_id),
    villageId: String(row.village_id),
    issuedAt: toIso(row.issued_at_ms),
    honourScore: s.honourScore,
    star: s.star,
    months: s.months,
    digest: row.digest,
    ...statementUrls(publicUrl, row.code),
    withdrawnAt: row.withdrawn_at_ms === null ? null : toIso(row.withdrawn_at_ms),
    withdrawnReason: row.withdrawn_reason,
  };
}

const Issued = z.object({ statement: StatementSchema });

/** The card path's limits, per database (so each test's app has its own), shared by the API and the card page's form. */
const byAddressOf = new WeakMap<Database, RateLimiter>();
const byCardOf = new WeakMap<Database, RateLimiter>();
function limiter(map: WeakMap<Database, RateLimiter>, db: Database, max: number, windowMs: number): RateLimiter {
  let found = map.get(db);
  if (found === undefined) map.set(db, (found = new RateLimiter(max, windowMs)));
  return found;
}

export type CardIssue = { ok: true; row: StatementRow } | { ok: false; why: "not-found" | "address-limit" | "card-limit"; waitMs: number };

/**
 * A resident's statement from the card page (the API's and the page's form): for the card's own
 * household only (the token names it; nothing the caller sends can name another), at most
 * PUBLIC_STATEMENTS_PER_MINUTE a minute per address and PUBLIC_STATEMENTS_PER_CARD_PER_DAY a day
 * per card, recorded as issued by `card:<id>` and audited like any other.
 */
export function issueForCard(db: Database, audit: AuditContext, token: string): CardIssue {
  const addressWait = limiter(byAddressOf, db, PUBLIC_STATEMENTS_PER_MINUTE, MINUTE_MS).hit(audit.address, audit.nowMs);
  if (addressWait > 0) return { ok: false, why: "address-limit", waitMs: addressWait };
  const card = findActiveCardByToken(db, token);
  if (card === null) return { ok: false, why: "not-found", waitMs: 0 };
  const cardWait = limiter(byCardOf, db, PUBLIC_STATEMENTS_PER_CARD_PER_DAY, DAY_MS).hit(`card:${card.id}`, audit.nowMs);
  if (cardWait > 0) return { ok: false, why: "card-limit", waitMs: cardWait };
  return { ok: true, row: unwrap(issueStatement(db, audit, card.household_id, `card:${card.id}`)) };
}

export function registerStatementRoutes(api: Api, options: { publicUrl: string }): void {
  const { publicUrl } = options;
  const staff = ["township_admin", "village_admin", "clerk"] as const;

  api.route(
    {
      method: "post",
      path: "/api/households/:id/statements",
      summary:
        "Issue a points statement for the bank (积分贷): the household's honour score and star tier and its last twelve months by category, numbered and stored with its digest; printUrl is the one-page statement with a QR code of verifyUrl, which anyone (a credit cooperative) can open without an account",
      tag: "statements",
      access: { roles: staff, village: ({ params }, db) => villageOfHousehold(db, params.id) },
      params: idParams("id"),
      responses: { 201: { description: "Issued", schema: Issued } },
    },
    ({ c, db, params, principal, audit }) => {
      assert(principal !== null, "a staff route has a principal");
      const row = unwrap(issueStatement(db, audit, params.id, actorIdOf(principal)));
      return c.json({ statement: statementOut(row, publicUrl) }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/households/:id/statements",
      summary: "A household's points statements, newest first, withdrawn ones too",
      tag: "statements",
      access: { roles: staff, village: ({ params }, db) => villageOfHousehold(db, params.id) },
      params: idParams("id"),
      responses: { 200: { description: "Every statement of the household", schema: z.object({ items: z.array(StatementSchema) }) } },
    },
    ({ c, db, params }) => c.json({ items: statementsOfHousehold(db, params.id).map((row) => statementOut(row, publicUrl)) }),
  );

  api.route(
    {
      method: "post",
      path: "/api/statements/:id/withdraw",
      summary: "Withdraw a statement, with the reason: its verification page says so from then on. Once only (409 statement-withdrawn).",
      tag: "statements",
      access: { roles: ["township_admin", "village_admin"], village: ({ params }, db) => villageOfStatement(db, params.id) },
      params: idParams("id"),
      body: z.strictObject({ reason: Reason }),
      responses: { 200: { description: "Withdrawn", schema: Issued }, 409: { description: "statement-withdrawn" } },
    },
    ({ c, db, params, body, principal, audit }) => {
      assert(principal !== null, "a staff route has a principal");
      const row = unwrap(withdrawStatement(db, audit, params.id, actorIdOf(principal), body.reason));
      return c.json({ statement: statementOut(row, publicUrl) });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/public/cards/:token/statements",
      summary: `A resident asks for a points statement of the card's household, from the card page. Rate-limited: ${PUBLIC_STATEMENTS_PER_MINUTE} a minute per client address, ${PUBLIC_STATEMENTS_PER_CARD_PER_DAY} a day per card.`,
      tag: "public",
      access: { public: true },
      params: z.strictObject({ token: z.string().min(1).max(100) }),
      responses: { 201: { description: "Issued", schema: Issued }, 404: { description: "No such card, or a revoked one" }, 429: { description: "rate-limited" } },
    },
    ({ c, db, params, audit }) => {
      const issued = issueForCard(db, audit, params.token);
      if (issued.ok) return c.json({ statement: statementOut(issued.row, publicUrl) }, 201);
      if (issued.why === "not-found") throw new ProblemError(404, "not-found", "No such card.");
      const detail = issued.why === "address-limit" ? "Too many statements asked for from this address." : `At most ${PUBLIC_STATEMENTS_PER_CARD_PER_DAY} statements a day for one card; ask at the village office for more.`;
      throw new ProblemError(429, "rate-limited", detail, undefined, { "retry-after": String(Math.ceil(issued.waitMs / SECOND_MS)) });
    },
  );
}
