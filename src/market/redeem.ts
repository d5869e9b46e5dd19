/**
 * Redemption (兑换) and its void: the use cases that move points and stock together.
 *
 * Each is one IMMEDIATE transaction with nothing awaited inside: the write lock is taken before
 * the balance and the stock are read, so two kiosks (or two server processes) selling on one card
 * or the last unit of a good are serialized, and the second sees what the first spent. Every check
 * comes before the first write, so a refusal changes nothing; an unexpected throw rolls it all back.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { appendPostedEntry } from "../ledger/entry-store.ts";
import { assert } from "../shared/assert.ts";
import { fail, ok, type Because, type Failure, type Result } from "../shared/result.ts";
import { findActiveCardByCode, isTypedCardNumber } from "../villages/card-store.ts";
import { shanghaiDay } from "../shared/calendar.ts";
import { marketState } from "../shared/opening-hours.ts";
import { openingHoursOf } from "../villages/village-store.ts";
import { suspensionOf } from "../ledger/suspension.ts";
import { appendMovement, findGoods, insertMovement, type GoodsRow } from "./goods-store.ts";
import { answerOnce, type KeyedAnswer } from "../idempotency/key-store.ts";
import {
  findRedemption,
  linesOf,
  pointsRedeemedOnDay,
  receiptFrom,
  receiptOf,
  takeReceiptNo,
  type Receipt,
} from "./redemption-store.ts";

export const REDEEM_ITEMS_MAX = 50;
export const REDEEM_QUANTITY_MAX = 999;

export type MarketFailure =
  Failure | { ok: false; reason: "idempotency-key-reused"; detail: string };
export type MarketResult<T> = Result<T> | MarketFailure;

export type RedeemInput = {
  /**
   * What the reader produced: the card token, the card URL or the printed 8-digit number; null
   * for a sale staff make for a household they chose (`householdId`), such as a home delivery.
   */
  cardCode: string | null;
  /** The household chosen by staff when no card is read (cardCode null). */
  householdId?: number | null;
  /** A home delivery (送货上门): recorded as waiting until staff confirm it (src/market/delivery.ts). */
  delivery?: boolean;
  /**
   * The staff member (`user:<id>`) who may open the supermarket for this sale outside its opening
   * hours, or null (a kiosk alone): outside them the sale is then refused (market-closed).
   */
  opener?: string | null;
  items: { goodsId: number; quantity: number }[];
  /** The village of the kiosk or clerk selling: a card or good of another village is not found. */
  sellerVillageId: number;
  /** `kiosk:3` or `user:5`: the ledger entry's creator and the owner of the idempotency key. */
  createdBy: string;
  kioskId: number | null;
  /**
   * The household PIN's hash the route verified, for a typed card number in a village that asks
   * for one (src/market/redemption-routes.ts); absent or null when none was checked. The sale is
   * refused unless it is still the household's hash when the sale is made.
   */
  pinChecked?: string | null;
  idempotency: { key: string; fingerprint: string } | null;
};

/** `json` is the answer's body as stored for the Idempotency-Key: a replay sends the same bytes. */
export type RedeemOutcome = KeyedAnswer & { receipt: Receipt };

export function redeem(
  db: Database,
  audit: AuditContext,
  input: RedeemInput,
): MarketResult<RedeemOutcome> {
  const nowMs = audit.nowMs;
  const today = shanghaiDay(nowMs);
  return immediate(db, (): MarketResult<RedeemOutcome> => {
    const keyed =
      input.idempotency === null
        ? null
        : {
            caller: input.createdBy,
            key: input.idempotency.key,
            fingerprint: input.idempotency.fingerprint,
          };
    let sold: Receipt | null = null;
    const answered = answerOnce<Failure>(db, keyed, nowMs, () => {
      const made = sell(db, audit, input, nowMs, today);
      if (!made.ok) return made;
      sold = made.value;
      return ok({ json: JSON.stringify(made.value) });
    });
    if (!answered.ok) return answered;
    const { json, replayed } = answered.value;
    return ok({ receipt: sold ?? (JSON.parse(json) as Receipt), json, replayed });
  });
}

/** The sale itself, inside redeem's transaction: every check first, then every write; its receipt. */
function sell(
  db: Database,
  audit: AuditContext,
  input: RedeemInput,
  nowMs: number,
  today: string,
): Result<Receipt> {
  const checked = checkBasket(db, input, today, nowMs);
  if (!checked.ok) return checked;
  const { card, household, lines, totalPoints, outsideHours } = checked.value;

  const receiptNo = takeReceiptNo(db, card.village_id, household.last_receipt_no);
  const balanceAfter = household.balance - totalPoints;
  // The entry names the redemption and the redemption names the entry. The redemption's id was
  // read with the household (the transaction's write lock keeps it ours), so the entry is posted
  // first and the redemption inserted once, complete, instead of inserted and then updated.
  const redemptionId = household.next_redemption_id;
  const posted = appendPostedEntry(
    db,
    {
      villageId: card.village_id,
      householdId: household.id,
      kind: "redemption",
      points: -totalPoints,
      note: `积分超市兑换 小票 ${receiptNo}`,
      occurredOn: today,
      redemptionId,
      createdAtMs: nowMs,
      createdBy: input.createdBy,
    },
    nowMs,
  );
  assert(
    posted.balanceAfter === balanceAfter && posted.balanceAfter >= 0,
    "a redemption leaves the balance checked above, never below zero",
  );
  db.query<never, (string | number | null)[]>(
    `INSERT INTO redemptions (id, village_id, household_id, card_id, receipt_no, total_points, balance_after, entry_id, kiosk_id, created_by, created_at_ms, occurred_on)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    redemptionId,
    card.village_id,
    household.id,
    card.id,
    receiptNo,
    totalPoints,
    balanceAfter,
    posted.id,
    input.kioskId,
    input.createdBy,
    nowMs,
    today,
  );

  lines.forEach((line, index) => {
    db.query(
      "INSERT INTO redemption_lines (redemption_id, line_no, goods_id, name, price_points, quantity, points) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(
      redemptionId,
      index + 1,
      line.goods.id,
      line.goods.name,
      line.goods.price_points,
      line.quantity,
      line.points,
    );
    appendMovement(
      db,
      {
        goodsId: line.goods.id,
        villageId: card.village_id,
        kind: "sale",
        delta: -line.quantity,
        reason: null,
        redemptionId,
        occurredOn: today,
        nowMs,
        createdBy: input.createdBy,
      },
      line.goods.stock,
    );
  });

  recordAudit(db, audit, {
    action: "redeem",
    entity: "redemption",
    entityId: redemptionId,
    villageId: card.village_id,
    detail: {
      receiptNo,
      householdId: household.id,
      totalPoints,
      items: lines.map((l) => [l.goods.id, l.quantity]),
    },
  });
  if (input.delivery === true) {
    db.query(
      "INSERT INTO deliveries (redemption_id, village_id, created_at_ms) VALUES (?, ?, ?)",
    ).run(redemptionId, card.village_id, nowMs);
  }
  if (outsideHours) {
    // A staff member opened the supermarket for this sale: its own audit row, so the audit page
    // finds every sale made outside the village's hours by its action.
    recordAudit(db, audit, {
      action: "open_outside_hours",
      entity: "redemption",
      entityId: redemptionId,
      villageId: card.village_id,
      detail: { receiptNo, openedBy: input.opener ?? null },
    });
  }

  // The receipt from what was just written, as receiptOf would read it back (tests compare the two).
  const receipt = receiptFrom(
    {
      id: redemptionId,
      village_id: card.village_id,
      household_id: household.id,
      receipt_no: receiptNo,
      total_points: totalPoints,
      balance_after: balanceAfter,
      created_by: input.createdBy,
      created_at_ms: nowMs,
      voided_at_ms: null,
      void_reason: null,
    },
    lines.map((l) => ({
      goods_id: l.goods.id,
      name: l.goods.name,
      price_points: l.goods.price_points,
      quantity: l.quantity,
      points: l.points,
    })),
    household,
  );
  // Only a delivery's receipt says so; a kiosk sale's stored answer stays as it was.
  return ok(
    input.delivery === true
      ? { ...receipt, delivery: { deliveredBy: null, deliveredAt: null } }
      : receipt,
  );
}

type CheckedBasket = {
  card: { id: number; village_id: number };
  household: {
    id: number;
    village_id: number;
    balance: number;
    head_name: string;
    village_name: string;
    daily_redeem_limit_points: number | null;
    require_pin_for_number: number;
    pin_hash: string | null;
    /** The village's receipt counter and the next redemption id, read now so the sale need not read them again. */
    last_receipt_no: number;
    next_redemption_id: number;
    /** The village's opening hours (JSON) or null, and whether the household has any suspending deduction. */
    opening_hours: string | null;
    may_be_suspended: number;
  };
  lines: { goods: GoodsRow; quantity: number; points: number }[];
  totalPoints: number;
  /** The supermarket is closed now and a staff member opened it for this sale. */
  outsideHours: boolean;
};

/** The card a sale without a card read is recorded on: the household's newest active card, else its newest. */
function cardOfHousehold(
  db: Database,
  householdId: number,
): { id: number; village_id: number; household_id: number } | null {
  return db
    .query<{ id: number; village_id: number; household_id: number }, [number]>(
      "SELECT id, village_id, household_id FROM cards WHERE household_id = ? ORDER BY revoked_at_ms IS NULL DESC, id DESC LIMIT 1",
    )
    .get(householdId);
}

/**
 * Every refusal, before any write: card, opening hours, suspension, goods, balance, stock, the
 * village's daily limit.
 */
function checkBasket(
  db: Database,
  input: RedeemInput,
  today: string,
  nowMs: number,
): Result<CheckedBasket> {
  if (input.items.length === 0 || input.items.length > REDEEM_ITEMS_MAX)
    return fail("validation", `A basket holds 1 to ${REDEEM_ITEMS_MAX} goods.`);
  const card =
    input.cardCode !== null
      ? findActiveCardByCode(db, input.cardCode)
      : cardOfHousehold(db, input.householdId ?? 0);
  if (
    input.cardCode === null &&
    card === null &&
    db
      .query("SELECT 1 FROM households WHERE id = ? AND village_id = ?")
      .get(input.householdId ?? 0, input.sellerVillageId) !== null
  ) {
    return because(
      fail(
        "conflict",
        "The household has never had a card; issue one first (the sale is recorded on it).",
      ),
      "household-has-no-card",
      {},
    );
  }
  // A card of another village is "not found", as for any reader there: tenancy leaks nothing.
  if (card === null || card.village_id !== input.sellerVillageId)
    return fail("not-found", input.cardCode === null ? "No such household." : "No such card.");
  // Scalar subqueries, not a JOIN: in bun:sqlite 1.4.5 (SQLite 3.54) a two-table join costs about
  // 6 µs more per execution than the same lookups as subqueries (measured), on every sale.
  const household = db
    .query<CheckedBasket["household"], [number]>(
      `SELECT h.id, h.village_id, h.balance, h.head_name, (SELECT name FROM villages WHERE id = h.village_id) AS village_name,
            (SELECT daily_redeem_limit_points FROM villages WHERE id = h.village_id) AS daily_redeem_limit_points,
            (SELECT require_pin_for_number FROM villages WHERE id = h.village_id) AS require_pin_for_number, h.pin_hash,
            (SELECT last_receipt_no FROM villages WHERE id = h.village_id) AS last_receipt_no,
            (SELECT coalesce(max(id), 0) + 1 FROM redemptions) AS next_redemption_id,
            (SELECT opening_hours FROM villages WHERE id = h.village_id) AS opening_hours,
            EXISTS (SELECT 1 FROM entries INDEXED BY entries_suspending WHERE household_id = h.id AND suspend_months IS NOT NULL AND status = 'posted') AS may_be_suspended
     FROM households h WHERE h.id = ?`,
    )
    .get(card.household_id);
  assert(household !== null, "an active card's household exists");
  assert(household.village_id === card.village_id, "a card belongs to its household's village");
  let outsideHours = false;
  if (household.opening_hours !== null) {
    const state = marketState(openingHoursOf(household), nowMs);
    if (!state.open) {
      if (input.opener == null) {
        const opensAt = state.opensAtMs === null ? "" : new Date(state.opensAtMs).toISOString();
        return because(
          fail(
            "conflict",
            `The supermarket is closed now${opensAt === "" ? "" : `; it opens next at ${opensAt}`}.`,
          ),
          "market-closed",
          { opensAt },
        );
      }
      outsideHours = true;
    }
  }
  if (household.may_be_suspended === 1) {
    const suspended = suspensionOf(db, household.id, today);
    if (suspended !== null) {
      return because(
        fail(
          "conflict",
          `The household's redemptions are suspended until ${suspended.until} by a deduction under "${suspended.ruleTitle}" (entry ${suspended.entryId}).`,
        ),
        "household-suspended",
        {
          until: suspended.until,
          rule: suspended.ruleTitle,
          entryId: String(suspended.entryId),
          from: suspended.fromDay,
        },
      );
    }
  }
  if (
    input.cardCode !== null &&
    household.require_pin_for_number === 1 &&
    isTypedCardNumber(input.cardCode) &&
    (household.pin_hash === null || household.pin_hash !== input.pinChecked)
  ) {
    // The route checks the PIN before the sale; this holds when the setting or the PIN changed in between.
    const refused: Failure & { because: Because } = {
      ...fail("forbidden", "A typed card number needs the household's PIN in this village."),
      because: { code: "pin-required", params: {} },
    };
    return refused;
  }

  const lines: CheckedBasket["lines"] = [];
  const seen = new Set<number>();
  let totalPoints = 0;
  for (const item of input.items) {
    if (
      !Number.isSafeInteger(item.quantity) ||
      item.quantity < 1 ||
      item.quantity > REDEEM_QUANTITY_MAX
    )
      return fail("validation", `Quantity must be 1 to ${REDEEM_QUANTITY_MAX}.`);
    if (seen.has(item.goodsId))
      return fail("validation", `Goods ${item.goodsId} appears twice in the basket.`);
    seen.add(item.goodsId);
    const goods = findGoods(db, item.goodsId);
    if (goods === null || goods.village_id !== card.village_id)
      return fail("not-found", `No good with id ${item.goodsId} in this village.`);
    if (goods.active !== 1) return fail("conflict", `${goods.name} is no longer for sale.`);
    const points = goods.price_points * item.quantity;
    totalPoints += points;
    lines.push({ goods, quantity: item.quantity, points });
  }
  assert(
    Number.isSafeInteger(totalPoints) && totalPoints > 0,
    "a basket's total is a positive safe integer",
  );

  if (household.balance < totalPoints)
    return fail(
      "insufficient-points",
      `The basket costs ${totalPoints} points; the household has ${household.balance}.`,
    );
  for (const line of lines) {
    if (line.goods.stock < line.quantity)
      return fail(
        "out-of-stock",
        `${line.goods.name}: ${line.goods.stock} in stock, ${line.quantity} asked.`,
      );
  }
  const limit = household.daily_redeem_limit_points;
  if (limit !== null) {
    const spent = pointsRedeemedOnDay(db, household.id, today);
    if (spent + totalPoints > limit) {
      return fail(
        "conflict",
        `The village allows ${limit} points a household a day; ${spent} already redeemed today, this basket costs ${totalPoints}.`,
      );
    }
  }
  return ok({ card, household, lines, totalPoints, outsideHours });
}

/** A failure with its code and figures, for a page to say in its own words. */
function because(
  failure: Failure,
  code: string,
  params: Record<string, string | number>,
): Failure & { because: Because } {
  return { ...failure, because: { code, params } };
}

export type VoidInput = { redemptionId: number; reason: string; voidedBy: string };
export type VoidOutcome = {
  receipt: Receipt;
  reversal: { entryId: string; points: number; balanceAfter: number };
};

/**
 * Voids a redemption: a reversal entry gives the points back and each line's units go back on the
 * shelf as `void` movements. Once only: a second void is a conflict here, and the ledger's UNIQUE
 * reverses_id refuses it again at the database.
 */
export function voidRedemption(
  db: Database,
  audit: AuditContext,
  input: VoidInput,
): Result<VoidOutcome> {
  const nowMs = audit.nowMs;
  const today = shanghaiDay(nowMs);
  return immediate(db, (): Result<VoidOutcome> => {
    const row = findRedemption(db, input.redemptionId);
    if (row === null) return fail("not-found", `No redemption with id ${input.redemptionId}.`);
    if (row.voided_at_ms !== null)
      return fail("conflict", `Receipt ${row.receipt_no} was already voided.`);
    assert(row.entry_id !== null, "a committed redemption has its ledger entry");

    const posted = appendPostedEntry(
      db,
      {
        villageId: row.village_id,
        householdId: row.household_id,
        kind: "reversal",
        points: row.total_points,
        note: `作废 小票 ${row.receipt_no}: ${input.reason}`.slice(0, 500),
        occurredOn: today,
        reversesId: row.entry_id,
        redemptionId: row.id,
        createdAtMs: nowMs,
        createdBy: input.voidedBy,
      },
      nowMs,
    );
    const entryId = posted.id;
    const lines = linesOf(db, row.id);
    for (const line of lines) {
      insertMovement(db, {
        goodsId: line.goods_id,
        villageId: row.village_id,
        kind: "void",
        delta: line.quantity,
        reason: input.reason,
        redemptionId: row.id,
        occurredOn: today,
        nowMs,
        createdBy: input.voidedBy,
      });
    }
    db.query(
      "UPDATE redemptions SET voided_at_ms = ?, voided_on = ?, voided_by = ?, void_reason = ?, void_entry_id = ? WHERE id = ?",
    ).run(nowMs, today, input.voidedBy, input.reason, entryId, row.id);
    recordAudit(db, audit, {
      action: "void",
      entity: "redemption",
      entityId: row.id,
      villageId: row.village_id,
      detail: { receiptNo: row.receipt_no, reason: input.reason, points: row.total_points },
    });
    return ok({
      receipt: receiptOf(db, findRedemption(db, row.id)!, lines),
      reversal: {
        entryId: String(entryId),
        points: row.total_points,
        balanceAfter: posted.balanceAfter,
      },
    });
  });
}
