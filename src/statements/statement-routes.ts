/** Points statements over HTTP: issued by staff or by the resident from the card page, listed, withdrawn. The pages are src/pages/statement-page.ts. */
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { IdOut, idParams, toIso } from "../http/schemas.ts";
import { actorIdOf } from "../auth/principal.ts";
import { SECOND_MS } from "../shared/clock.ts";
import { assert } from "../shared/assert.ts";
import { villageOfHousehold } from "../villages/household-store.ts";
import { Reason } from "../ledger/entry-schemas.ts";
import { unwrap } from "../ledger/http-result.ts";
import { ProblemError } from "../http/problem.ts";
import { issueStatement, snapshotOf, statementUrls, withdrawStatement } from "./statement.ts";
import {
  issueForCard,
  PUBLIC_STATEMENTS_PER_CARD_PER_DAY,
  PUBLIC_STATEMENTS_PER_MINUTE,
} from "./card-issue.ts";
import { statementsOfHousehold, villageOfStatement, type StatementRow } from "./statement-store.ts";

const MonthSchema = z.object({
  month: z.string(),
  byCategory: z.array(z.object({ category: z.string(), earned: z.number().int() })),
  earned: z.number().int(),
});

export const StatementSchema = z.object({
  id: IdOut,
  number: z.string().describe("JF-<year>-<6 digits>: per township and year, without gaps"),
  code: z
    .string()
    .describe(
      "the statement's key (≥ 128 random bits, base64url): its print page is /s/<code>, its verification page /v/<code>",
    ),
  householdId: IdOut,
  villageId: IdOut,
  issuedAt: z.string(),
  honourScore: z
    .number()
    .int()
    .describe(
      "all points ever earned less deductions (awards, deductions and their reversals; never redemptions or expiry)",
    ),
  star: z
    .number()
    .int()
    .describe(
      "stars reached by the honour score under the village's thresholds (0 to their number, usually 5)",
    ),
  months: z
    .array(MonthSchema)
    .describe(
      "the twelve months up to the month of issue, oldest first: net awards and deductions by category, by the day they happened",
    ),
  digest: z.string().describe("SHA-256 of the statement's canonical JSON, as stored"),
  printUrl: z.string(),
  verifyUrl: z.string(),
  withdrawnAt: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
});
export type StatementOut = z.infer<typeof StatementSchema>;

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
      responses: {
        200: {
          description: "Every statement of the household",
          schema: z.object({ items: z.array(StatementSchema) }),
        },
      },
    },
    ({ c, db, params }) =>
      c.json({
        items: statementsOfHousehold(db, params.id).map((row) => statementOut(row, publicUrl)),
      }),
  );

  api.route(
    {
      method: "post",
      path: "/api/statements/:id/withdraw",
      summary:
        "Withdraw a statement, with the reason: its verification page says so from then on. Once only (409 statement-withdrawn).",
      tag: "statements",
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ params }, db) => villageOfStatement(db, params.id),
      },
      params: idParams("id"),
      body: z.strictObject({ reason: Reason }),
      responses: {
        200: { description: "Withdrawn", schema: Issued },
        409: { description: "statement-withdrawn" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      assert(principal !== null, "a staff route has a principal");
      const row = unwrap(
        withdrawStatement(db, audit, params.id, actorIdOf(principal), body.reason),
      );
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
      responses: {
        201: { description: "Issued", schema: Issued },
        404: { description: "No such card, or a revoked one" },
        429: { description: "rate-limited" },
      },
    },
    ({ c, db, params, audit }) => {
      const issued = issueForCard(db, audit, params.token);
      if (issued.ok) return c.json({ statement: statementOut(issued.row, publicUrl) }, 201);
      if (issued.why === "not-found") throw new ProblemError(404, "not-found", "No such card.");
      const detail =
        issued.why === "address-limit"
          ? "Too many statements asked for from this address."
          : `At most ${PUBLIC_STATEMENTS_PER_CARD_PER_DAY} statements a day for one card; ask at the village office for more.`;
      throw new ProblemError(429, "rate-limited", detail, undefined, {
        "retry-after": String(Math.ceil(issued.waitMs / SECOND_MS)),
      });
    },
  );
}
