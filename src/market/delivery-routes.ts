/** Home deliveries (送奖上门): confirm one, list a village's waiting and confirmed ones. */
import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { IdOut, idParams, toIso } from "../http/schemas.ts";
import { failureToProblem } from "../http/failure.ts";
import { actorIdOf } from "../auth/principal.ts";
import { actorDisplayNames } from "../auth/actor-names.ts";
import { VisibleName } from "../shared/name.ts";
import { villageExists } from "../villages/village-store.ts";
import { LineSchema } from "./redemption-routes.ts";
import { linesOfMany, villageOfRedemption } from "./redemption-store.ts";
import {
  confirmDelivery,
  deliveryWithSale,
  listDeliveries,
  type DeliveryListRow,
} from "./delivery.ts";

export const DeliverySchema = z.object({
  redemptionId: IdOut,
  receiptNo: z.number().int(),
  householdId: IdOut,
  householdName: z.string().describe("the head's full name (staff only)"),
  address: z.string().describe("the household's address, where the goods go"),
  totalPoints: z.number().int(),
  items: z.array(LineSchema),
  soldAt: z.string(),
  seller: z.string().describe("who recorded the sale, as people read it"),
  voided: z.boolean(),
  deliveredBy: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  confirmedBy: z.string().nullable().describe("who confirmed it in the app, as people read it"),
  confirmedAt: z.string().nullable(),
});

const ConfirmBody = z.strictObject({
  deliveredBy: VisibleName(60).describe("who carried the goods to the household"),
  deliveredAt: z.iso
    .datetime({ offset: true })
    .describe("when, an ISO 8601 instant; not before the sale, not in the future"),
});

function deliveriesOut(
  db: Database,
  rows: readonly DeliveryListRow[],
): z.infer<typeof DeliverySchema>[] {
  const lines = linesOfMany(
    db,
    rows.map((r) => r.redemption_id),
  );
  const names = actorDisplayNames(
    db,
    rows.flatMap((r) => [r.created_by, r.confirmed_by]),
  );
  return rows.map((r) => ({
    redemptionId: String(r.redemption_id),
    receiptNo: r.receipt_no,
    householdId: String(r.household_id),
    householdName: r.head_name,
    address: r.address,
    totalPoints: r.total_points,
    items: (lines.get(r.redemption_id) ?? []).map((l) => ({
      goodsId: String(l.goods_id),
      name: l.name,
      quantity: l.quantity,
      pricePoints: l.price_points,
      points: l.points,
    })),
    soldAt: toIso(r.created_at_ms),
    seller: names.get(r.created_by) ?? r.created_by,
    voided: r.voided_at_ms !== null,
    deliveredBy: r.delivered_by,
    deliveredAt: r.delivered_at_ms === null ? null : toIso(r.delivered_at_ms),
    confirmedBy: r.confirmed_by === null ? null : (names.get(r.confirmed_by) ?? r.confirmed_by),
    confirmedAt: r.confirmed_at_ms === null ? null : toIso(r.confirmed_at_ms),
  }));
}

export function registerDeliveryRoutes(api: Api): void {
  const staff = ["township_admin", "village_admin", "clerk"] as const;

  api.route(
    {
      method: "post",
      path: "/api/redemptions/:id/delivery",
      summary:
        "Confirm a home delivery (送奖上门) once: who delivered it and when. Audited as confirm_delivery",
      tag: "market",
      access: {
        roles: ["village_admin", "clerk"],
        village: ({ params }, db) => villageOfRedemption(db, params.id),
      },
      params: idParams("id"),
      body: ConfirmBody,
      responses: {
        201: { description: "Confirmed", schema: z.object({ delivery: DeliverySchema }) },
        400: {
          description:
            "Invalid input, deliveredAt before the sale (code delivered-before-sale) or in the future (code delivered-in-future)",
        },
        409: {
          description:
            "Already confirmed (code delivery-confirmed), not a delivery (code not-a-delivery), or the sale voided (code redemption-voided)",
        },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const result = confirmDelivery(db, audit, {
        redemptionId: params.id,
        deliveredBy: body.deliveredBy,
        deliveredAtMs: Date.parse(body.deliveredAt),
        confirmedBy: actorIdOf(principal!),
      });
      if (!result.ok) throw failureToProblem(result);
      return c.json({ delivery: deliveriesOut(db, [deliveryWithSale(db, params.id)!])[0]! }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/deliveries",
      summary:
        "A village's home deliveries: waiting ones (oldest first) or confirmed ones (newest first)",
      tag: "market",
      access: { roles: staff, village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      query: z.strictObject({
        status: z.enum(["waiting", "confirmed"]).default("waiting"),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      responses: {
        200: { description: "Deliveries", schema: z.object({ items: z.array(DeliverySchema) }) },
      },
    },
    ({ c, db, params, query }) =>
      c.json({
        items: deliveriesOut(db, listDeliveries(db, params.villageId, query.status, query.limit)),
      }),
  );
}
