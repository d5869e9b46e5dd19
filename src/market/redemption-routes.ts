/** Redemptions at the kiosk or the counter, their receipts, lists and voids. */
import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { Cursor, decodeCursor, Id, IdOut, idParams, keysetPage, Limit } from "../http/schemas.ts";
import { villageExists } from "../villages/village-store.ts";
import { actorIdOf } from "../auth/principal.ts";
import { idempotencyKeyOf, keyedResponse, KeysInFlight, requestFingerprint } from "../http/idempotency.ts";
import type { Principal } from "../auth/principal.ts";
import { failureToProblem } from "../http/failure.ts";
import { redeem, REDEEM_ITEMS_MAX, REDEEM_QUANTITY_MAX, voidRedemption } from "./redeem.ts";
import { listRedemptions, loadReceipt, villageOfRedemption } from "./redemption-store.ts";
import { receiptHtml } from "./receipt-page.ts";

export const LineSchema = z.object({ goodsId: IdOut, name: z.string(), quantity: z.number().int(), pricePoints: z.number().int(), points: z.number().int() });
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
});

/** Ids are strings on the wire; a bare number is accepted too, since scripts send them. */
const GoodsId = z.union([Id, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)]);
export const RedeemBody = z.strictObject({
  cardToken: z.string().trim().min(1).max(300),
  items: z
    .array(z.strictObject({ goodsId: GoodsId, quantity: z.number().int().min(1).max(REDEEM_QUANTITY_MAX) }))
    .min(1)
    .max(REDEEM_ITEMS_MAX)
    .refine((items) => new Set(items.map((i) => i.goodsId)).size === items.length, "each good appears once; use quantity"),
});

const IDEMPOTENCY_HEADER = "idempotency-key";
const REDEMPTIONS_PATH = "/api/redemptions";

/** The village a kiosk or a village's staff sells in; a caller with none (the township) may not sell. */
function villageOfSeller(seller: Principal): number {
  if (seller.villageId === null) throw new ProblemError(403, "forbidden", "Only a village's kiosk or staff may sell.");
  return seller.villageId;
}

export function registerRedemptionRoutes(api: Api): void {
  const staff = ["township_admin", "village_admin", "clerk"] as const;
  const inFlight = new KeysInFlight();
  const redemptionScope = ({ params }: { params: { id: number } }, db: Database) => villageOfRedemption(db, params.id);

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
        201: { description: "Redeemed (or the first answer to this key, replayed)", schema: ReceiptSchema },
        409: { description: "insufficient-points, out-of-stock, or conflict (inactive good, daily limit, or a request with the same Idempotency-Key still being processed, with Retry-After): nothing changed" },
        422: { description: "idempotency-key-reused" },
      },
    },
    async ({ c, db, body, principal, audit, write }) => {
      const key = idempotencyKeyOf(c.req.header(IDEMPOTENCY_HEADER), true, "basket")!;
      const seller = principal!;
      const sellerVillageId = villageOfSeller(seller);
      const createdBy = actorIdOf(seller);
      // Sales that arrive together share one durable commit; each is still its own all-or-nothing.
      const result = await inFlight.hold(createdBy, key, () =>
        write(() =>
          redeem(db, audit, {
            cardCode: body.cardToken,
            items: body.items,
            sellerVillageId,
            createdBy,
            kioskId: seller.kind === "kiosk" ? seller.kioskId : null,
            idempotency: { key, fingerprint: requestFingerprint("POST", REDEMPTIONS_PATH, body) },
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
    ({ c, db, params }) => c.html(receiptHtml(loadReceipt(db, params.id)!)),
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/redemptions",
      summary: "The village's redemptions, newest first",
      tag: "market",
      access: { roles: staff, village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      query: z.strictObject({ limit: Limit, cursor: Cursor }),
      responses: { 200: { description: "A page", schema: z.object({ items: z.array(ReceiptSchema), nextCursor: z.string().nullable() }) } },
    },
    ({ c, db, params, query }) => {
      const rows = listRedemptions(db, { villageId: params.villageId }, decodeCursor(query.cursor) ?? 0, query.limit + 1);
      const { page, nextCursor } = keysetPage(rows, query.limit, (r) => Number(r.id));
      return c.json({ items: page, nextCursor });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/kiosk/redemptions",
      summary: "This device's (or this clerk's) recent sales, newest first, among the village's last 5,000 receipts: for reprint and 'void last sale'",
      tag: "kiosk",
      access: { roles: ["kiosk", "village_admin", "clerk"], village: "own" },
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(10) }),
      responses: { 200: { description: "Recent sales", schema: z.object({ items: z.array(ReceiptSchema) }) } },
    },
    ({ c, db, query, principal }) => {
      return c.json({ items: listRedemptions(db, { villageId: villageOfSeller(principal!), createdBy: actorIdOf(principal!) }, 0, query.limit) });
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
        201: { description: "Voided", schema: ReceiptSchema.extend({ reversal: z.object({ entryId: IdOut, points: z.number().int(), balanceAfter: z.number().int() }) }) },
        409: { description: "Already voided" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const result = voidRedemption(db, audit, { redemptionId: params.id, reason: body.reason, voidedBy: actorIdOf(principal!) });
      if (!result.ok) throw failureToProblem(result);
      return c.json({ ...result.value.receipt, reversal: result.value.reversal }, 201);
    },
  );
}
