/** Redemptions at the kiosk or the counter, their receipts, lists and voids. */
import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { Cursor, Day, Id, IdOut, idParams, Limit, toIso } from "../http/schemas.ts";
import { findVillage, villageExists } from "../villages/village-store.ts";
import { actorIdOf } from "../auth/principal.ts";
import {
  idempotencyKeyOf,
  keyedResponse,
  KeysInFlight,
  requestFingerprint,
} from "../http/idempotency.ts";
import { hasStoredAnswer } from "../idempotency/key-store.ts";
import { isTypedCardNumber } from "../villages/card-store.ts";
import { cardForCaller, countCardMiss, refuseWhileGuessing } from "./kiosk-card-routes.ts";
import type { Principal } from "../auth/principal.ts";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { principalFromSession, SESSION_COOKIE } from "../auth/sessions.ts";
import type { AuditContext } from "../audit/audit.ts";
import { failureToProblem } from "../http/failure.ts";
import { redeem, REDEEM_ITEMS_MAX, REDEEM_QUANTITY_MAX, voidRedemption } from "./redeem.ts";
import {
  linesOfMany,
  listRedemptions,
  listSales,
  loadReceipt,
  villageOfRedemption,
  type RedemptionRow,
  type SaleCursor,
} from "./redemption-store.ts";
import { actorDisplayNames } from "../auth/actor-names.ts";
import { headNamesOf } from "../ledger/history.ts";
import { receiptHtml } from "./receipt-page.ts";

export const LineSchema = z.object({
  goodsId: IdOut,
  name: z.string(),
  quantity: z.number().int(),
  pricePoints: z.number().int(),
  points: z.number().int(),
});
export const ReceiptSchema = z.object({
  id: IdOut,
  receiptNo: z.number().int(),
  villageId: IdOut,
  villageName: z.string(),
  householdId: IdOut,
  householdName: z.string(),
  totalPoints: z.number().int(),
  balanceAfter: z.number().int(),
  items: z.array(LineSchema),
  createdAt: z.string(),
  createdBy: z.string(),
  voided: z.boolean(),
  voidedAt: z.string().nullable(),
  voidReason: z.string().nullable(),
  delivery: z
    .object({ deliveredBy: z.string().nullable(), deliveredAt: z.string().nullable() })
    .optional()
    .describe(
      "only on a home delivery (送货上门): who delivered it and when, null until confirmed",
    ),
});

/** Ids are strings on the wire; a bare number is accepted too, since scripts send them. */
const GoodsId = z.union([Id, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)]);
export const RedeemBody = z
  .strictObject({
    cardToken: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .optional()
      .describe(
        "the card as read; or householdId instead, for a sale staff make for a household they chose",
      ),
    householdId: Id.optional().describe(
      "staff only, instead of cardToken: the household chosen in the staff pages (a home delivery needs no card read)",
    ),
    delivery: z
      .boolean()
      .optional()
      .describe(
        "staff only: a home delivery (送货上门), waiting until POST /api/redemptions/:id/delivery confirms it",
      ),
    items: z
      .array(
        z.strictObject({
          goodsId: GoodsId,
          quantity: z.number().int().min(1).max(REDEEM_QUANTITY_MAX),
        }),
      )
      .min(1)
      .max(REDEEM_ITEMS_MAX)
      .refine(
        (items) => new Set(items.map((i) => i.goodsId)).size === items.length,
        "each good appears once; use quantity",
      ),
    pin: z
      .string()
      .regex(/^[0-9]{4,6}$/, "must be 4 to 6 digits")
      .optional()
      .describe(
        "the household's PIN, when the card was typed as its number and the village requires it (requirePinForNumber); not part of the Idempotency-Key's body",
      ),
  })
  .refine((b) => (b.cardToken === undefined) !== (b.householdId === undefined), {
    message: "send either cardToken or householdId",
    path: ["cardToken"],
    params: { code: "card-or-household" },
  });

/** A sale as the staff's sales list shows it: full names (staff only), the kiosk, who sold and who voided. */
export const SaleSchema = z.object({
  id: IdOut,
  receiptNo: z.number().int(),
  createdAt: z.string(),
  occurredOn: z.string().describe("the sale's day in Asia/Shanghai"),
  villageId: IdOut,
  householdId: IdOut,
  householdName: z.string().describe("the head's full name"),
  kioskId: IdOut.nullable(),
  kioskName: z.string().nullable(),
  seller: z.string().describe("who sold: the kiosk's name, or the staff member's display name"),
  createdBy: z.string().describe("as stored: kiosk:<id> or user:<id>"),
  totalPoints: z.number().int(),
  balanceAfter: z.number().int(),
  items: z.array(LineSchema),
  voided: z.boolean(),
  voidedAt: z.string().nullable(),
  voidReason: z.string().nullable(),
  voidedBy: z.string().nullable().describe("who voided it, as people read it"),
  delivery: z
    .object({ deliveredBy: z.string().nullable(), deliveredAt: z.string().nullable() })
    .optional()
    .describe(
      "only on a home delivery (送货上门): who delivered it and when, null until confirmed",
    ),
});

const SalesQuery = z
  .strictObject({
    from: Day.optional(),
    to: Day.optional(),
    kioskId: Id.optional(),
    householdId: Id.optional(),
    receiptNo: z
      .string()
      .regex(/^[1-9][0-9]{0,8}$/, "must be a receipt number")
      .transform(Number)
      .optional(),
    voided: z.enum(["true", "false"]).optional(),
    limit: Limit,
    cursor: Cursor,
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: "to must not be before from",
    path: ["to"],
    params: { code: "period-reversed" },
  });

/** The cursor of the sales list: the last row's day and id, opaque to clients. */
function encodeSaleCursor(cursor: SaleCursor): string {
  return Buffer.from(`${cursor.day}/${cursor.id}`).toString("base64url");
}
/** null for no cursor; undefined for one that is not ours. */
function decodeSaleCursor(text: string): SaleCursor | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})\/([1-9][0-9]{0,14})$/.exec(
    Buffer.from(text, "base64url").toString(),
  );
  return match === null ? undefined : { day: match[1]!, id: Number(match[2]) };
}

function salesOut(db: Database, rows: readonly RedemptionRow[]): z.infer<typeof SaleSchema>[] {
  const lines = linesOfMany(
    db,
    rows.map((r) => r.id),
  );
  const heads = headNamesOf(
    db,
    rows.map((r) => r.household_id),
  );
  const names = actorDisplayNames(
    db,
    rows.flatMap((r) => [
      r.created_by,
      r.voided_by,
      r.kiosk_id === null ? null : `kiosk:${r.kiosk_id}`,
    ]),
  );
  const deliveries = deliveriesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: String(r.id),
    receiptNo: r.receipt_no,
    createdAt: toIso(r.created_at_ms),
    occurredOn: r.occurred_on,
    villageId: String(r.village_id),
    householdId: String(r.household_id),
    householdName: heads.get(r.household_id) ?? "",
    kioskId: r.kiosk_id === null ? null : String(r.kiosk_id),
    kioskName: r.kiosk_id === null ? null : (names.get(`kiosk:${r.kiosk_id}`) ?? null),
    seller: names.get(r.created_by) ?? r.created_by,
    createdBy: r.created_by,
    totalPoints: r.total_points,
    balanceAfter: r.balance_after,
    items: (lines.get(r.id) ?? []).map((l) => ({
      goodsId: String(l.goods_id),
      name: l.name,
      quantity: l.quantity,
      pricePoints: l.price_points,
      points: l.points,
    })),
    voided: r.voided_at_ms !== null,
    voidedAt: r.voided_at_ms === null ? null : toIso(r.voided_at_ms),
    voidReason: r.void_reason,
    voidedBy: r.voided_by === null ? null : (names.get(r.voided_by) ?? r.voided_by),
    ...(deliveries.has(r.id) ? { delivery: deliveries.get(r.id)! } : {}),
  }));
}

/** The home deliveries among a page of sales, by redemption id: one read for the page. */
function deliveriesOf(
  db: Database,
  ids: readonly number[],
): Map<number, { deliveredBy: string | null; deliveredAt: string | null }> {
  const out = new Map<number, { deliveredBy: string | null; deliveredAt: string | null }>();
  if (ids.length === 0) return out;
  const rows = db
    .query<
      { redemption_id: number; delivered_by: string | null; delivered_at_ms: number | null },
      number[]
    >(
      `SELECT redemption_id, delivered_by, delivered_at_ms FROM deliveries WHERE redemption_id IN (${ids.map(() => "?").join(",")})`,
    )
    .all(...ids);
  for (const d of rows)
    out.set(d.redemption_id, {
      deliveredBy: d.delivered_by,
      deliveredAt: d.delivered_at_ms === null ? null : toIso(d.delivered_at_ms),
    });
  return out;
}

const IDEMPOTENCY_HEADER = "idempotency-key";
const REDEMPTIONS_PATH = "/api/redemptions";

/** The village a kiosk or a village's staff sells in; a caller with none (the township) may not sell. */
function villageOfSeller(seller: Principal): number {
  if (seller.villageId === null)
    throw new ProblemError(403, "forbidden", "Only a village's kiosk or staff may sell.");
  return seller.villageId;
}

/**
 * The household's PIN for a sale on a typed card number, where the village requires one: its
 * hash when `pin` is right (the sale checks inside its transaction that it is still the same),
 * null when none is required. No PIN set → 409 pin-not-set; none sent → 403 pin-required; a wrong
 * one → 403 wrong-pin, counted against the device like a card not found.
 */
async function checkHouseholdPin(
  db: Database,
  seller: Principal,
  audit: AuditContext,
  householdId: number,
  pin: string | undefined,
): Promise<string | null> {
  const row = db
    .query<{ required: number; pin_hash: string | null }, [number]>(
      "SELECT (SELECT require_pin_for_number FROM villages WHERE id = h.village_id) AS required, h.pin_hash FROM households h WHERE h.id = ?",
    )
    .get(householdId)!;
  if (row.required !== 1) return null;
  if (row.pin_hash === null) {
    throw new ProblemError(
      409,
      "conflict",
      "The village asks for the household's PIN when a card number is typed, and this household has none yet: scan the card, or ask staff to set a PIN.",
      undefined,
      undefined,
      { code: "pin-not-set", params: {} },
    );
  }
  if (pin === undefined)
    throw new ProblemError(
      403,
      "forbidden",
      "A typed card number needs the household's PIN in this village.",
      [{ path: "body.pin", message: "required" }],
      undefined,
      { code: "pin-required", params: {} },
    );
  if (!(await Bun.password.verify(pin, row.pin_hash))) {
    countCardMiss(db, seller, audit, "wrong-pin");
    throw new ProblemError(
      403,
      "forbidden",
      "The household's PIN is wrong.",
      [{ path: "body.pin", message: "wrong PIN" }],
      undefined,
      { code: "wrong-pin", params: {} },
    );
  }
  return row.pin_hash;
}

/**
 * Who may open the supermarket for this sale outside its opening hours: the staff member selling
 * (a clerk or village administrator at the counter), or one signed in on the kiosk itself (their
 * session cookie beside the device token, from the kiosk's staff sign-in). A kiosk alone: nobody.
 */
function openerOf(c: Context, db: Database, seller: Principal, nowMs: number): string | null {
  if (seller.kind === "user") return actorIdOf(seller);
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie === undefined || cookie.length > 100) return null;
  const staff = principalFromSession(db, cookie, nowMs);
  const mayOpen =
    staff?.kind === "user" &&
    staff.villageId === seller.villageId &&
    (staff.role === "clerk" || staff.role === "village_admin");
  return mayOpen ? actorIdOf(staff) : null;
}

export function registerRedemptionRoutes(api: Api): void {
  const staff = ["township_admin", "village_admin", "clerk"] as const;
  const inFlight = new KeysInFlight();
  const redemptionScope = ({ params }: { params: { id: number } }, db: Database) =>
    villageOfRedemption(db, params.id);

  api.route(
    {
      method: "post",
      path: REDEMPTIONS_PATH,
      summary:
        "Redeem a basket on a card: balance and stock checked and moved in one transaction. Requires Idempotency-Key: the same key and body replay the first 201; another body → 422; the same key while its first request is still being processed → 409 with Retry-After. Refusals (409/404) are not stored, so a retry is judged afresh.",
      tag: "market",
      // The card names the village; it is checked against the seller's inside the transaction.
      access: { roles: ["kiosk", "clerk", "village_admin"], village: "own" },
      body: RedeemBody,
      headers: z.object({ "Idempotency-Key": z.string() }),
      responses: {
        201: {
          description: "Redeemed (or the first answer to this key, replayed)",
          schema: ReceiptSchema,
        },
        403: {
          description:
            "A typed card number in a village that requires the household's PIN: pin missing (code pin-required) or wrong (code wrong-pin, counted like a card not found); a kiosk sending householdId or delivery (code staff-only)",
        },
        404: {
          description: "No such card here (counted against the device: 30 a minute, then 429)",
        },
        409: {
          description:
            "insufficient-points, out-of-stock, or conflict (inactive good, daily limit, the household has no PIN where one is required (code pin-not-set), the household's redemptions suspended (code household-suspended, params.until, rule, entryId), a kiosk's sale outside the village's opening hours (code market-closed, params.opensAt; staff may sell then, audited as open_outside_hours), a household that never had a card (code household-has-no-card), or a request with the same Idempotency-Key still being processed, with Retry-After): nothing changed",
        },
        422: { description: "idempotency-key-reused" },
        429: {
          description:
            "Too many cards not found or wrong PINs from this device lately (code card-guessing)",
        },
      },
    },
    async ({ c, db, body, principal, audit, write, nowMs }) => {
      const key = idempotencyKeyOf(c.req.header(IDEMPOTENCY_HEADER), true, "basket")!;
      const seller = principal!;
      const sellerVillageId = villageOfSeller(seller);
      const createdBy = actorIdOf(seller);
      const { pin, ...basket } = body;
      if (seller.kind === "kiosk" && (body.householdId !== undefined || body.delivery === true)) {
        throw new ProblemError(
          403,
          "forbidden",
          "Only staff sell without a card read or record a home delivery.",
          undefined,
          undefined,
          { code: "staff-only", params: {} },
        );
      }
      let pinChecked: string | null = null;
      if (body.cardToken !== undefined) {
        refuseWhileGuessing(db, seller, nowMs);
        const card = cardForCaller(db, seller, body.cardToken);
        if (card === null) {
          countCardMiss(db, seller, audit, "not-found");
          throw new ProblemError(404, "not-found", "No such card.");
        }
        // Before the write, since the hash is slow: the household's PIN, where the card was typed and
        // the village asks for it. A retry of a sale already made is replayed below without it.
        pinChecked =
          isTypedCardNumber(body.cardToken) && !hasStoredAnswer(db, createdBy, key)
            ? await checkHouseholdPin(db, seller, audit, card.household_id, pin)
            : null;
      }
      const opener = openerOf(c, db, seller, nowMs);
      // Sales that arrive together share one durable commit; each is still its own all-or-nothing.
      const result = await inFlight.hold(createdBy, key, () =>
        write(() =>
          redeem(db, audit, {
            cardCode: body.cardToken ?? null,
            householdId: body.householdId ?? null,
            delivery: body.delivery === true,
            opener,
            items: body.items,
            sellerVillageId,
            createdBy,
            kioskId: seller.kind === "kiosk" ? seller.kioskId : null,
            pinChecked,
            idempotency: { key, fingerprint: requestFingerprint("POST", REDEMPTIONS_PATH, basket) },
          }),
        ),
      );
      if (!result.ok) throw failureToProblem(result);
      // The JSON text the use case stored for the key, sent as it is: written once, not twice.
      return keyedResponse(c, result.value);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/redemptions/:id",
      summary: "A redemption as its receipt, with its voided flag",
      tag: "market",
      access: { roles: [...staff, "kiosk"], village: redemptionScope },
      params: idParams("id"),
      responses: { 200: { description: "The receipt", schema: ReceiptSchema } },
    },
    ({ c, db, params }) => c.json(loadReceipt(db, params.id)!),
  );

  api.route(
    {
      method: "get",
      path: "/api/redemptions/:id/receipt",
      summary: "The receipt as a page for a 58 mm printer (48 mm printable)",
      tag: "market",
      access: { roles: [...staff, "kiosk"], village: redemptionScope },
      params: idParams("id"),
      responses: { 200: { description: "HTML", contentType: "text/html" } },
    },
    ({ c, db, params }) => {
      const receipt = loadReceipt(db, params.id)!;
      // In the village's own language, as its resident pages speak.
      return c.html(
        receiptHtml(
          receipt,
          findVillage(db, Number(receipt.villageId))?.default_language ?? "zh-CN",
        ),
      );
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/redemptions",
      summary:
        "The village's sales, newest first (by day, then id), filtered by days (from..to, Asia/Shanghai, both included), kiosk, household, receipt number and voided; each with its lines, kiosk, seller and void",
      tag: "market",
      access: { roles: staff, village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      query: SalesQuery,
      responses: {
        200: {
          description: "A page",
          schema: z.object({ items: z.array(SaleSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    ({ c, db, params, query }) => {
      const after = query.cursor === undefined ? null : decodeSaleCursor(query.cursor);
      if (after === undefined)
        throw new ProblemError(
          400,
          "validation",
          "query.cursor: must be a cursor from nextCursor",
          [{ path: "query.cursor", message: "must be a cursor from nextCursor" }],
        );
      const rows = listSales(
        db,
        {
          villageId: params.villageId,
          from: query.from,
          to: query.to,
          kioskId: query.kioskId,
          householdId: query.householdId,
          receiptNo: query.receiptNo,
          voided: query.voided === undefined ? undefined : query.voided === "true",
        },
        after,
        query.limit + 1,
      );
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      const nextCursor =
        rows.length > query.limit && last !== undefined
          ? encodeSaleCursor({ day: last.occurred_on, id: last.id })
          : null;
      return c.json({ items: salesOut(db, page), nextCursor });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/kiosk/redemptions",
      summary:
        "This device's (or this clerk's) recent sales, newest first, among the village's last 5,000 receipts: for reprint and 'void last sale'",
      tag: "kiosk",
      access: { roles: ["kiosk", "village_admin", "clerk"], village: "own" },
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(10) }),
      responses: {
        200: { description: "Recent sales", schema: z.object({ items: z.array(ReceiptSchema) }) },
      },
    },
    ({ c, db, query, principal }) => {
      return c.json({
        items: listRedemptions(
          db,
          { villageId: villageOfSeller(principal!), createdBy: actorIdOf(principal!) },
          0,
          query.limit,
        ),
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/redemptions/:id/void",
      summary: "Void a redemption (staff, not a kiosk device): points and stock go back, once",
      tag: "market",
      access: { roles: staff, village: redemptionScope },
      params: idParams("id"),
      body: z.strictObject({ reason: z.string().trim().min(1).max(200) }),
      responses: {
        201: {
          description: "Voided",
          schema: ReceiptSchema.extend({
            reversal: z.object({
              entryId: IdOut,
              points: z.number().int(),
              balanceAfter: z.number().int(),
            }),
          }),
        },
        409: { description: "Already voided" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const result = voidRedemption(db, audit, {
        redemptionId: params.id,
        reason: body.reason,
        voidedBy: actorIdOf(principal!),
      });
      if (!result.ok) throw failureToProblem(result);
      return c.json({ ...result.value.receipt, reversal: result.value.reversal }, 201);
    },
  );
}
