import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { IdOut } from "../http/schemas.ts";
import { actorIdOf, type Principal } from "../auth/principal.ts";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { SECOND_MS } from "../shared/clock.ts";
import { findActiveCardByCode, isTypedCardNumber, type CardRow } from "../villages/card-store.ts";
import { findHousehold } from "../villages/household-store.ts";
import { maskName } from "../villages/names.ts";
import { postDueEntries } from "../ledger/posting.ts";
import { suspensionOf, type Suspension } from "../ledger/suspension.ts";
import { shanghaiDay } from "../shared/calendar.ts";
import { starOf } from "../statements/honour.ts";
import { CARD_MISS_WINDOW_MS, CARD_MISSES_MAX, cardGuardFor } from "./card-guard.ts";

/** A card as the kiosk reads it; the kiosk imports this type (import type only). */
export const KioskCardSchema = z.object({
  householdId: IdOut,
  displayName: z.string(),
  balance: z.number().int().describe("spendable points (可用积分): what a sale spends"),
  honourScore: z
    .number()
    .int()
    .describe(
      "the honour score (荣誉积分): all points earned less deductions; never spent, never expiring",
    ),
  star: z
    .number()
    .int()
    .nullable()
    .describe(
      "stars the honour score reaches under the village's thresholds; null where the village rates no stars",
    ),
  cardNumber: z.string(),
  pinRequired: z
    .boolean()
    .describe(
      "the card was typed as its number and the village asks for the household's PIN on such a sale",
    ),
  suspendedUntil: z
    .string()
    .nullable()
    .describe(
      "the household's redemptions are suspended (一票否决) until this Beijing day (YYYY-MM-DD), the first day it may redeem again; null: not suspended",
    ),
  suspendedRule: z
    .string()
    .nullable()
    .describe("the title of the rule whose deduction suspended it"),
});

const CardCode = z.strictObject({ token: z.string().min(1).max(300) });

/** Refuses (429, Retry-After) a caller that has missed too many cards lately: see src/market/card-guard.ts. */
export function refuseWhileGuessing(db: Database, principal: Principal, nowMs: number): void {
  const waitMs = cardGuardFor(db).waitMs(actorIdOf(principal), nowMs);
  if (waitMs > 0) {
    throw new ProblemError(
      429,
      "rate-limited",
      `Too many cards not found from this device; wait ${Math.ceil(waitMs / SECOND_MS)} s.`,
      undefined,
      { "retry-after": String(Math.ceil(waitMs / SECOND_MS)) },
      {
        code: "card-guessing",
        params: { retryAfterSeconds: Math.ceil(waitMs / SECOND_MS) },
      },
    );
  }
}

/**
 * Counts a card not found (or a wrong household PIN) against the caller; the miss that makes a
 * burst is written to the audit log as `card_guessing`, for staff to find.
 */
export function countCardMiss(
  db: Database,
  principal: Principal,
  audit: AuditContext,
  why: "not-found" | "wrong-pin",
): void {
  if (!cardGuardFor(db).miss(actorIdOf(principal), audit.nowMs)) return;
  const who =
    principal.kind === "kiosk"
      ? { entity: "kiosk", entityId: principal.kioskId }
      : { entity: "user", entityId: principal.userId };
  immediate(db, () =>
    recordAudit(db, audit, {
      action: "card_guessing",
      ...who,
      villageId: principal.villageId,
      detail: {
        misses: CARD_MISSES_MAX,
        windowSeconds: CARD_MISS_WINDOW_MS / SECOND_MS,
        last: why,
      },
    }),
  );
}

/** An active card the caller may use: its own village's (a township administrator's: any). */
export function cardForCaller(db: Database, principal: Principal, code: string): CardRow | null {
  const card = findActiveCardByCode(db, code);
  if (card === null) return null;
  const township = principal.kind === "user" && principal.role === "township_admin";
  return township || card.village_id === principal.villageId ? card : null;
}

function suspensionOut(s: Suspension | null): {
  suspendedUntil: string | null;
  suspendedRule: string | null;
} {
  return { suspendedUntil: s?.until ?? null, suspendedRule: s?.ruleTitle ?? null };
}

export function registerKioskCardRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/kiosk/cards/:token",
      summary:
        "Read a card at the kiosk: by its token, its URL or its printed 8-digit number. A card of another village answers 404. After 30 cards not found in a minute, the device's lookups wait (429 card-guessing, Retry-After) and the burst is in the audit log (card_guessing)",
      tag: "kiosk",
      // Which village the card belongs to is checked below, against the caller's: every card not
      // found, whatever the reason, counts against the caller, and answers the same 404.
      access: { roles: ["kiosk", "township_admin", "village_admin", "clerk"], village: "own" },
      params: CardCode,
      responses: {
        200: { description: "The household on the card", schema: KioskCardSchema },
        404: { description: "No such card here" },
        429: { description: "Too many cards not found lately (code card-guessing)" },
      },
    },
    ({ c, db, params, nowMs, principal, audit }) => {
      refuseWhileGuessing(db, principal!, nowMs);
      const card = cardForCaller(db, principal!, params.token);
      if (card === null) {
        countCardMiss(db, principal!, audit, "not-found");
        throw new ProblemError(404, "not-found", "No such card.");
      }
      // The balance a sale starts from must include entries whose notice has just ended.
      postDueEntries(db, nowMs);
      const household = findHousehold(db, card.household_id)!;
      const village = db
        .query<{ require_pin_for_number: number; star_thresholds: string }, [number]>(
          "SELECT require_pin_for_number, star_thresholds FROM villages WHERE id = ?",
        )
        .get(card.village_id)!;
      return c.json({
        householdId: String(household.id),
        displayName: maskName(household.head_name),
        balance: household.balance,
        honourScore: household.honour,
        star: starOf(household.honour, JSON.parse(village.star_thresholds) as number[]),
        cardNumber: card.number,
        pinRequired: village.require_pin_for_number === 1 && isTypedCardNumber(params.token),
        ...suspensionOut(suspensionOf(db, household.id, shanghaiDay(nowMs))),
      });
    },
  );
}
