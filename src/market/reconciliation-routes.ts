/** The supermarket's month-end statement (对账) over HTTP: read, sign, print, and the frozen months on the public side. */
import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import { Id, IdOut, idParams } from "../http/schemas.ts";
import { ProblemError } from "../http/problem.ts";
import { MINUTE_MS } from "../shared/clock.ts";
import { assert } from "../shared/assert.ts";
import { villageExists } from "../villages/village-store.ts";
import { maskName } from "../villages/names.ts";
import { unwrap } from "../ledger/http-result.ts";
import { frozenStatements, marketStatement, signMarketStatement } from "./reconciliation.ts";
import { reconciliationHtml } from "./reconciliation-page.ts";

/** The public board reads these now and then; a client that reads more is not a board. */
export const PUBLIC_STATEMENT_READS_PER_MINUTE = 60;
/** The public side lists at most this many months (ten years). */
const PUBLIC_MONTHS_MAX = 120;

const Month = z
  .string()
  .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM")
  .refine((m) => m >= "2000-01" && m <= "2999-12", "must be a month between 2000-01 and 2999-12");

const Sources = z.object({
  donation: z.number().int(),
  government: z.number().int(),
  village: z.number().int(),
  other: z.number().int(),
});
const Figures = z.object({
  opening: z.number().int(),
  in: Sources,
  sold: z.number().int(),
  voided: z.number().int(),
  writtenOff: z.number().int(),
  countedDifference: z.number().int(),
  closing: z.number().int(),
});
const Line = Figures.extend({ goodsId: IdOut, name: z.string(), donors: z.array(z.string()) });
const SignerRole = z.enum(["clerk", "village_admin"]);

export const MarketStatementSchema = z.object({
  month: z.string(),
  villageId: IdOut,
  villageName: z.string(),
  lines: z
    .array(Line)
    .describe(
      "one per good with stock at the month's start or a movement in it; opening + in − sold + voided − writtenOff + countedDifference = closing, in units",
    ),
  totals: Figures,
  pointsRedeemed: z
    .number()
    .int()
    .describe("points of the month's sales less the points its voids gave back"),
  pointsVoided: z.number().int(),
  sales: z.number().int().describe("sales made in the month"),
  voids: z.number().int().describe("sales voided in the month"),
  signatures: z.array(
    z.object({ role: SignerRole, userId: IdOut, name: z.string(), signedAt: z.string() }),
  ),
  ended: z.boolean().describe("the month is over in Asia/Shanghai: only then may it be signed"),
  frozen: z
    .boolean()
    .describe("both have signed: the stored snapshot is answered, never recomputed"),
  frozenAt: z.string().nullable(),
  digest: z.string().nullable().describe("SHA-256 of the frozen snapshot's canonical JSON"),
  intact: z
    .boolean()
    .nullable()
    .describe("for a frozen month: the stored snapshot still hashes to its digest"),
});

const MonthParams = z.strictObject({ villageId: Id, month: Month });

export function registerReconciliationRoutes(api: Api): void {
  const staff = ["township_admin", "village_admin", "clerk"] as const;
  const villageScope = ({ params }: { params: { villageId: number } }, db: Database) =>
    villageExists(db, params.villageId);
  const limiter = new RateLimiter(PUBLIC_STATEMENT_READS_PER_MINUTE, MINUTE_MS);

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/market/statements/:month",
      summary:
        "The supermarket's month-end statement (对账): per good, opening, goods in by source (donation with the donors, government fund, village income, other), sold, back by voids, written off, a count's difference and closing; points redeemed; the signatures. Once the clerk and a village administrator have both signed, the frozen snapshot is answered with its digest.",
      tag: "market",
      access: { roles: staff, village: villageScope },
      params: MonthParams,
      responses: { 200: { description: "The statement", schema: MarketStatementSchema } },
    },
    ({ c, db, params, nowMs }) =>
      c.json(marketStatement(db, params.villageId, params.month, nowMs)),
  );

  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/market/statements/:month/sign",
      summary:
        "Sign a month's statement: a clerk signs as clerk, a village administrator (or the township's) as village_admin. Once both have signed it is frozen: snapshot and digest stored, audited. 409 month-not-ended (Asia/Shanghai), already-signed (the same person twice, or in both roles), role-signed (someone else signed in that role), statement-frozen.",
      tag: "market",
      access: { roles: staff, village: villageScope },
      params: MonthParams,
      responses: {
        200: { description: "The statement after the signature", schema: MarketStatementSchema },
        409: { description: "month-not-ended, already-signed, role-signed, statement-frozen" },
      },
    },
    ({ c, db, params, principal, audit }) => {
      assert(principal !== null && principal.kind === "user", "only staff sign");
      const user = db
        .query<{ display_name: string | null; username: string }, [number]>(
          "SELECT display_name, username FROM users WHERE id = ?",
        )
        .get(principal.userId);
      assert(user !== null, "a signed-in user exists");
      const signer = {
        userId: principal.userId,
        role: principal.role,
        name: user.display_name || user.username,
      };
      return c.json(unwrap(signMarketStatement(db, audit, params.villageId, params.month, signer)));
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/market/statements/:month/print",
      summary:
        "The month-end statement as an A4 page to print (Chinese), with its signatures. Opened in a browser without a session, it sends the browser to /admin/login and back.",
      tag: "market",
      access: { roles: staff, village: villageScope },
      params: MonthParams,
      responses: {
        200: { description: "HTML for printing", contentType: "text/html" },
        302: { description: "A browser without a session: to /admin/login?next=…" },
      },
    },
    ({ c, db, params, nowMs }) =>
      c.html(reconciliationHtml(marketStatement(db, params.villageId, params.month, nowMs))),
  );

  api.route(
    {
      method: "get",
      path: "/api/public/villages/:villageId/market/statements",
      summary:
        "A village's frozen month-end statements for the public board (村务公开), newest first: totals, points redeemed, the signers' names masked, the digest. Rate-limited per client address.",
      tag: "public",
      access: { public: true },
      params: idParams("villageId"),
      responses: {
        200: {
          description: "The frozen months",
          schema: z.object({
            villageId: IdOut,
            items: z.array(
              z.object({
                month: z.string(),
                totals: Figures,
                pointsRedeemed: z.number().int(),
                sales: z.number().int(),
                voids: z.number().int(),
                signers: z.array(z.object({ role: SignerRole, name: z.string() })),
                frozenAt: z.string(),
                digest: z.string(),
                intact: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    ({ c, db, params, audit }) => {
      limiter.enforce(audit.address, audit.nowMs, "Too many statement reads from this address.");
      if (villageExists(db, params.villageId) === null)
        throw new ProblemError(404, "not-found", "No such village.");
      const items = frozenStatements(db, params.villageId, PUBLIC_MONTHS_MAX).map((s) => ({
        ...s,
        signers: s.signers.map((x) => ({ role: x.role, name: maskName(x.name) })),
      }));
      return c.json({ villageId: String(params.villageId), items });
    },
  );
}
