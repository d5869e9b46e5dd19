import { z } from "zod";
import type { Api } from "../http/api.ts";
import { IdOut, idParams } from "../http/schemas.ts";
import { findVillage, listVillages, RESIDENT_LANGUAGES, villageOut } from "./village-store.ts";
import { BACKDATE_DAYS_LIMIT } from "./village-settings.ts";
import { changeVillage, createVillage } from "./village.ts";
import { unwrap } from "./http-result.ts";
import { VisibleName } from "../shared/name.ts";
import { OpeningHoursSchema } from "../shared/opening-hours.ts";

export const VillageSchema = z.object({
  id: IdOut,
  name: z.string(),
  code: z.string(),
  noticeDays: z.number().int(),
  requireApproval: z.boolean(),
  pointsExpire: z.boolean(),
  dailyRedeemLimitPoints: z.number().int().nullable(),
  showBottomList: z.boolean(),
  starThresholds: z.array(z.number().int()),
  defaultLanguage: z
    .enum(RESIDENT_LANGUAGES)
    .describe("what the resident pages speak when the reader has chosen no language"),
  backdateDaysMax: z
    .number()
    .int()
    .describe("an entry's occurredOn may be at most this many days before today"),
  requirePinForNumber: z
    .boolean()
    .describe("a sale whose card was typed as its 8-digit number needs the household's PIN"),
  createdAt: z.string(),
  openingHours: OpeningHoursSchema.nullable().describe(
    "when the supermarket is open (Beijing time); null: always. Outside it a kiosk's sale is 409 market-closed; staff may still sell",
  ),
});

const VillageName = VisibleName(60);
const CreateVillageBody = z.strictObject({
  name: VillageName,
  code: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only"),
});
const PatchVillageBody = z
  .strictObject({
    name: VillageName.optional(),
    noticeDays: z.number().int().min(0).max(30).optional(),
    requireApproval: z.boolean().optional(),
    pointsExpire: z.boolean().optional(),
    dailyRedeemLimitPoints: z.number().int().min(1).max(1_000_000).nullable().optional(),
    showBottomList: z.boolean().optional(),
    starThresholds: z
      .array(z.number().int().min(1).max(1_000_000))
      .min(1)
      .max(10)
      .refine((a) => a.every((v, i) => i === 0 || v > a[i - 1]!), {
        message: "must be increasing",
        params: { code: "stars-not-increasing" },
      })
      .optional(),
    defaultLanguage: z.enum(RESIDENT_LANGUAGES).optional(),
    backdateDaysMax: z.number().int().min(0).max(BACKDATE_DAYS_LIMIT).optional(),
    requirePinForNumber: z.boolean().optional(),
    openingHours: OpeningHoursSchema.nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, {
    message: "name at least one setting to change",
    params: { code: "nothing-to-change" },
  });

export function registerVillageRoutes(api: Api): void {
  api.route(
    {
      method: "post",
      path: "/api/villages",
      summary: "Create a village",
      tag: "villages",
      access: { roles: ["township_admin"], village: () => "township" },
      body: CreateVillageBody,
      responses: { 201: { description: "Created", schema: z.object({ village: VillageSchema }) } },
    },
    ({ c, db, body, audit }) => {
      const row = unwrap(createVillage(db, audit, body));
      return c.json({ village: villageOut(row) }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages",
      summary: "List villages (staff of a village see their own)",
      tag: "villages",
      access: { roles: ["township_admin", "village_admin", "clerk"], village: "own" },
      responses: {
        200: { description: "Villages", schema: z.object({ items: z.array(VillageSchema) }) },
      },
    },
    ({ c, db, principal }) => {
      const only =
        principal?.kind === "user" && principal.role !== "township_admin"
          ? principal.villageId
          : null;
      return c.json({ items: listVillages(db, only).map(villageOut) });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:id",
      summary: "One village and its settings",
      tag: "villages",
      access: {
        roles: ["township_admin", "village_admin", "clerk"],
        village: ({ params }, db) => findVillage(db, params.id)?.id ?? null,
      },
      params: idParams("id"),
      responses: {
        200: { description: "The village", schema: z.object({ village: VillageSchema }) },
      },
    },
    ({ c, db, params }) => c.json({ village: villageOut(findVillage(db, params.id)!) }),
  );

  api.route(
    {
      method: "patch",
      path: "/api/villages/:id",
      summary:
        "Change a village's name or settings: noticeDays (0-30), requireApproval, pointsExpire, starThresholds (1-10 increasing), dailyRedeemLimitPoints (null: none), showBottomList, defaultLanguage (zh-CN or ug: the resident pages' language), backdateDaysMax (0-3650, default 90), requirePinForNumber, openingHours ({weekdays (1 Monday … 7 Sunday) and/or monthDays, opens, closes} in Beijing time, or null for always open). A village admin changes their own village's, but only the township switches a check off: requireApproval false, a lower noticeDays, a higher backdateDaysMax or requirePinForNumber false by a village admin → 403 township-admin-only",
      tag: "villages",
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ params }, db) => findVillage(db, params.id)?.id ?? null,
      },
      params: idParams("id"),
      body: PatchVillageBody,
      responses: {
        200: {
          description: "The village after the change",
          schema: z.object({ village: VillageSchema }),
        },
        403: {
          description:
            "A village admin switching a check off (code township-admin-only, params.fields names them)",
        },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const row = unwrap(changeVillage(db, audit, principal, params.id, body));
      return c.json({ village: villageOut(row) });
    },
  );
}
