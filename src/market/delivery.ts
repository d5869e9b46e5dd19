/**
 * Home delivery (送奖上门): a sale staff record for a household that cannot come (POST
 * /api/redemptions with `delivery: true`) waits until staff confirm who carried the goods and when.
 * Confirmed once: a second confirmation is a conflict here, and the trigger of migrations/0017
 * refuses any change of a confirmed row at the database. A voided sale is not confirmed (its goods
 * went back on the shelf).
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { fail, ok, type Because, type Failure, type Result } from "../shared/result.ts";
import { MINUTE_MS } from "../shared/clock.ts";

/** How far past the server's clock a delivery time may be (a tablet's clock a little fast). */
export const DELIVERED_AT_SLACK_MS = 5 * MINUTE_MS;

export type DeliveryRow = {
  redemption_id: number;
  village_id: number;
  created_at_ms: number;
  delivered_by: string | null;
  delivered_at_ms: number | null;
  confirmed_by: string | null;
  confirmed_at_ms: number | null;
};

/** A delivery with its sale, as the sales page lists it. */
export type DeliveryListRow = DeliveryRow & {
  receipt_no: number;
  household_id: number;
  head_name: string;
  address: string;
  total_points: number;
  created_by: string;
  voided_at_ms: number | null;
};

function refused(
  detail: string,
  code: string,
  params: Record<string, string | number> = {},
): Failure & { because: Because } {
  return { ...fail("conflict", detail), because: { code, params } };
}

export function findDelivery(db: Database, redemptionId: number): DeliveryRow | null {
  return db
    .query<DeliveryRow, [number]>("SELECT * FROM deliveries WHERE redemption_id = ?")
    .get(redemptionId);
}

export type ConfirmInput = {
  redemptionId: number;
  deliveredBy: string;
  deliveredAtMs: number;
  confirmedBy: string;
};

/** Confirms a delivery once, with who delivered it and when; audited as `confirm_delivery`. */
export function confirmDelivery(
  db: Database,
  audit: AuditContext,
  input: ConfirmInput,
): Result<DeliveryRow> {
  return immediate(db, (): Result<DeliveryRow> => {
    const sale = db
      .query<
        {
          id: number;
          village_id: number;
          receipt_no: number;
          created_at_ms: number;
          voided_at_ms: number | null;
        },
        [number]
      >(
        "SELECT id, village_id, receipt_no, created_at_ms, voided_at_ms FROM redemptions WHERE id = ?",
      )
      .get(input.redemptionId);
    if (sale === null) return fail("not-found", `No redemption with id ${input.redemptionId}.`);
    const delivery = findDelivery(db, sale.id);
    if (delivery === null)
      return refused(`Receipt ${sale.receipt_no} is not a home delivery.`, "not-a-delivery", {
        receiptNo: sale.receipt_no,
      });
    if (delivery.confirmed_at_ms !== null) {
      return refused(
        `Receipt ${sale.receipt_no} was already confirmed as delivered by ${delivery.delivered_by ?? ""}.`,
        "delivery-confirmed",
        { receiptNo: sale.receipt_no, deliveredBy: delivery.delivered_by ?? "" },
      );
    }
    if (sale.voided_at_ms !== null)
      return refused(
        `Receipt ${sale.receipt_no} was voided; there is nothing to deliver.`,
        "redemption-voided",
        { receiptNo: sale.receipt_no },
      );
    // Staff type the time to the minute: a delivery in the sale's own minute is not before it.
    if (input.deliveredAtMs < Math.floor(sale.created_at_ms / MINUTE_MS) * MINUTE_MS) {
      return {
        ...fail("validation", "deliveredAt must not be before the sale."),
        path: "body.deliveredAt",
        because: {
          code: "delivered-before-sale",
          params: { soldAt: new Date(sale.created_at_ms).toISOString() },
        },
      } as Failure;
    }
    if (input.deliveredAtMs > audit.nowMs + DELIVERED_AT_SLACK_MS) {
      return {
        ...fail("validation", "deliveredAt must not be in the future."),
        path: "body.deliveredAt",
        because: { code: "delivered-in-future", params: {} },
      } as Failure;
    }
    db.query(
      "UPDATE deliveries SET delivered_by = ?, delivered_at_ms = ?, confirmed_by = ?, confirmed_at_ms = ? WHERE redemption_id = ?",
    ).run(input.deliveredBy, input.deliveredAtMs, input.confirmedBy, audit.nowMs, sale.id);
    recordAudit(db, audit, {
      action: "confirm_delivery",
      entity: "redemption",
      entityId: sale.id,
      villageId: sale.village_id,
      detail: {
        receiptNo: sale.receipt_no,
        deliveredBy: input.deliveredBy,
        deliveredAt: new Date(input.deliveredAtMs).toISOString(),
      },
    });
    return ok(findDelivery(db, sale.id)!);
  });
}

/**
 * A village's deliveries: waiting ones oldest first (the next to carry out on top), confirmed
 * ones newest first; both through deliveries_village.
 */
const LIST_COLUMNS = `d.*, r.receipt_no, r.household_id, h.head_name, h.address, r.total_points, r.created_by, r.voided_at_ms
       FROM deliveries d JOIN redemptions r ON r.id = d.redemption_id JOIN households h ON h.id = r.household_id`;

/** One delivery with its sale. */
export function deliveryWithSale(db: Database, redemptionId: number): DeliveryListRow | null {
  return db
    .query<DeliveryListRow, [number]>(`SELECT ${LIST_COLUMNS} WHERE d.redemption_id = ?`)
    .get(redemptionId);
}

export function listDeliveries(
  db: Database,
  villageId: number,
  status: "waiting" | "confirmed",
  limit: number,
): DeliveryListRow[] {
  const where =
    status === "waiting"
      ? "d.confirmed_at_ms IS NULL ORDER BY d.redemption_id"
      : "d.confirmed_at_ms IS NOT NULL ORDER BY d.confirmed_at_ms DESC, d.redemption_id DESC";
  return db
    .query<DeliveryListRow, [number, number]>(
      `SELECT ${LIST_COLUMNS} WHERE d.village_id = ? AND ${where} LIMIT ?`,
    )
    .all(villageId, limit);
}
