import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { IdOut } from "../http/schemas.ts";
import { findActiveCardByCode } from "../villages/card-store.ts";
import { findHousehold } from "../villages/household-store.ts";
import { maskName } from "../villages/names.ts";
import { postDueEntries } from "../ledger/posting.ts";

/** A card as the kiosk reads it; the kiosk imports this type (import type only). */
export const KioskCardSchema = z.object({ householdId: IdOut, displayName: z.string(), balance: z.number().int(), cardNumber: z.string() });

const CardCode = z.strictObject({ token: z.string().min(1).max(300) });

export function registerKioskCardRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/kiosk/cards/:token",
      summary: "Read a card at the kiosk: by its token, its URL or its printed 8-digit number",
      tag: "kiosk",
      // The card's village is checked against the caller's: another village's card answers 404.
      access: { roles: ["kiosk", "township_admin", "village_admin", "clerk"], village: ({ params }, db) => findActiveCardByCode(db, params.token)?.village_id ?? null },
      params: CardCode,
      responses: { 200: { description: "The household on the card", schema: KioskCardSchema } },
    },
    ({ c, db, params, nowMs }) => {
      // The balance a sale starts from must include entries whose notice has just ended.
      postDueEntries(db, nowMs);
      const card = findActiveCardByCode(db, params.token);
      if (!card) throw new ProblemError(404, "not-found", "No such card.");
      const household = findHousehold(db, card.household_id)!;
      return c.json({ householdId: String(household.id), displayName: maskName(household.head_name), balance: household.balance, cardNumber: card.number });
    },
  );
}
