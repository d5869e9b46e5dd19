/** When the village's supermarket is open, for the kiosk's notice and the staff pages. */
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { marketState, OpeningHoursSchema } from "../shared/opening-hours.ts";
import { findVillage, openingHoursOf } from "../villages/village-store.ts";

export const MarketHoursSchema = z.object({
  open: z.boolean().describe("open now"),
  opensAt: z.string().nullable().describe("when it next opens (ISO instant); null while open"),
  closesAt: z
    .string()
    .nullable()
    .describe("when it next closes (ISO instant); null while closed or when always open"),
  openingHours: OpeningHoursSchema.nullable().describe("the village's setting; null: always open"),
});

export function registerMarketHoursRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/kiosk/market-hours",
      summary:
        "Whether the caller's village's supermarket is open now, and when it next opens or closes (the village's openingHours, Beijing time)",
      tag: "kiosk",
      access: { roles: ["kiosk", "village_admin", "clerk"], village: "own" },
      responses: {
        200: { description: "Open now, and the next change", schema: MarketHoursSchema },
      },
    },
    ({ c, db, principal, nowMs }) => {
      const villageId = principal?.villageId ?? null;
      if (villageId === null)
        throw new ProblemError(
          403,
          "forbidden",
          "Only a village's kiosk or staff have a supermarket.",
        );
      const hours = openingHoursOf(findVillage(db, villageId)!);
      const state = marketState(hours, nowMs);
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      return c.json({
        open: state.open,
        opensAt: iso(state.opensAtMs),
        closesAt: iso(state.closesAtMs),
        openingHours: hours,
      });
    },
  );
}
