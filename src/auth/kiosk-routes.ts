import QRCode from "qrcode";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { IdOut, idParams, toIso } from "../http/schemas.ts";
import { villageExists } from "../villages/village-store.ts";
import { VisibleName } from "../shared/name.ts";
import { pairedKiosk, unwrap } from "./http-result.ts";
import {
  kioskAndVillageNames,
  kiosksOfVillage,
  registerKiosk,
  revokeKiosk,
  villageOfKiosk,
  type KioskRow,
} from "./kiosk.ts";

/** What a paired kiosk learns about itself: the kiosk imports this type (import type only). */
export const KioskMeSchema = z.object({
  kiosk: z.object({ id: IdOut, name: z.string() }),
  village: z.object({ id: IdOut, name: z.string() }),
});

export const KioskSchema = z.object({
  id: IdOut,
  villageId: IdOut,
  name: z.string(),
  createdAt: z.string(),
  lastSeenAt: z
    .string()
    .nullable()
    .describe("its last authenticated request, to the minute; null if never used"),
  revoked: z.boolean(),
});

function kioskOut(row: KioskRow): z.infer<typeof KioskSchema> {
  return {
    id: String(row.id),
    villageId: String(row.village_id),
    name: row.name,
    createdAt: toIso(row.created_at_ms),
    lastSeenAt: row.last_seen_at_ms === null ? null : toIso(row.last_seen_at_ms),
    revoked: row.revoked_at_ms !== null,
  };
}

/** Kiosk devices: registered by a village admin, authenticated by a bearer token shown once. */
export function registerKioskDeviceRoutes(api: Api, options: { publicUrl: string }): void {
  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/kiosks",
      summary:
        "Register a kiosk device; its token (and pairUrl = PUBLIC_URL/kiosk?pair=<token>, with its QR code) is shown only in this answer",
      tag: "kiosks",
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ params }, db) => villageExists(db, params.villageId),
      },
      params: idParams("villageId"),
      body: z.strictObject({ name: VisibleName(60) }),
      responses: {
        201: {
          description: "Registered",
          schema: z.object({
            id: IdOut,
            token: z.string(),
            pairUrl: z.string(),
            pairQrSvg: z.string(),
            kiosk: KioskSchema,
            ...KioskSchema.omit({ id: true }).shape,
          }),
        },
      },
    },
    async ({ c, db, params, body, audit }) => {
      const { token, row } = registerKiosk(db, audit, params.villageId, body.name);
      const pairUrl = `${options.publicUrl}/kiosk?pair=${token}`;
      const pairQrSvg = await QRCode.toString(pairUrl, {
        type: "svg",
        errorCorrectionLevel: "M",
        margin: 2,
      });
      const kiosk = kioskOut(row);
      return c.json({ ...kiosk, id: String(row.id), token, pairUrl, pairQrSvg, kiosk }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/kiosks",
      summary: "List a village's kiosk devices, revoked ones too, with when each was last seen",
      tag: "kiosks",
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ params }, db) => villageExists(db, params.villageId),
      },
      params: idParams("villageId"),
      responses: {
        200: { description: "Kiosks", schema: z.object({ items: z.array(KioskSchema) }) },
      },
    },
    ({ c, db, params }) => c.json({ items: kiosksOfVillage(db, params.villageId).map(kioskOut) }),
  );

  api.route(
    {
      method: "delete",
      path: "/api/kiosks/:id",
      summary: "Revoke a kiosk device: it is locked out at once",
      tag: "kiosks",
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ params }, db) => villageOfKiosk(db, params.id),
      },
      params: idParams("id"),
      responses: { 204: { description: "Revoked" } },
    },
    ({ c, db, params, audit }) => {
      unwrap(revokeKiosk(db, audit, params.id));
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/kiosk/me",
      summary: "The paired kiosk device and its village",
      tag: "kiosk",
      access: { roles: ["kiosk"], village: "own" },
      responses: { 200: { description: "This device", schema: KioskMeSchema } },
    },
    ({ c, db, principal }) => {
      const kiosk = pairedKiosk(principal);
      const row = kioskAndVillageNames(db, kiosk.kioskId);
      return c.json({
        kiosk: { id: String(kiosk.kioskId), name: row.name },
        village: { id: String(kiosk.villageId), name: row.village_name },
      });
    },
  );
}
