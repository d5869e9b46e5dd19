import type { Database } from "bun:sqlite";
import QRCode from "qrcode";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { IdOut, idParams, toIso } from "../http/schemas.ts";
import { immediate } from "../db/open.ts";
import { recordAudit } from "../audit/audit.ts";
import { forgetPrincipals, newDeviceToken } from "./sessions.ts";
import { villageExists } from "../villages/village-store.ts";
import { VisibleName } from "../shared/name.ts";

/** What a paired kiosk learns about itself: the kiosk imports this type (import type only). */
export const KioskMeSchema = z.object({ kiosk: z.object({ id: IdOut, name: z.string() }), village: z.object({ id: IdOut, name: z.string() }) });

export const KioskSchema = z.object({
  id: IdOut,
  villageId: IdOut,
  name: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable().describe("its last authenticated request, to the minute; null if never used"),
  revoked: z.boolean(),
});
type KioskRow = { id: number; village_id: number; name: string; created_at_ms: number; revoked_at_ms: number | null; last_seen_at_ms: number | null };

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
      summary: "Register a kiosk device; its token (and pairUrl = PUBLIC_URL/kiosk?pair=<token>, with its QR code) is shown only in this answer",
      tag: "kiosks",
      access: { roles: ["township_admin", "village_admin"], village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      body: z.strictObject({ name: VisibleName(60) }),
      responses: {
        201: {
          description: "Registered",
          schema: z.object({ id: IdOut, token: z.string(), pairUrl: z.string(), pairQrSvg: z.string(), kiosk: KioskSchema, ...KioskSchema.omit({ id: true }).shape }),
        },
      },
    },
    async ({ c, db, params, body, audit }) => {
      const { token, hash } = newDeviceToken();
      const row = immediate(db, () => {
        const inserted = db
          .query<KioskRow, [number, string, string, number]>("INSERT INTO kiosks (village_id, name, token_hash, created_at_ms) VALUES (?, ?, ?, ?) RETURNING *")
          .get(params.villageId, body.name, hash, audit.nowMs)!;
        recordAudit(db, audit, { action: "create", entity: "kiosk", entityId: inserted.id, villageId: params.villageId, detail: { name: body.name } });
        return inserted;
      });
      const pairUrl = `${options.publicUrl}/kiosk?pair=${token}`;
      const pairQrSvg = await QRCode.toString(pairUrl, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
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
      access: { roles: ["township_admin", "village_admin"], village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      responses: { 200: { description: "Kiosks", schema: z.object({ items: z.array(KioskSchema) }) } },
    },
    ({ c, db, params }) => c.json({ items: db.query<KioskRow, [number]>("SELECT * FROM kiosks WHERE village_id = ? ORDER BY id").all(params.villageId).map(kioskOut) }),
  );

  api.route(
    {
      method: "delete",
      path: "/api/kiosks/:id",
      summary: "Revoke a kiosk device: it is locked out at once",
      tag: "kiosks",
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ params }, db) => db.query<{ village_id: number }, [number]>("SELECT village_id FROM kiosks WHERE id = ?").get(params.id)?.village_id ?? null,
      },
      params: idParams("id"),
      responses: { 204: { description: "Revoked" } },
    },
    ({ c, db, params, audit }) => {
      immediate(db, () => {
        const row = db.query<KioskRow, [number]>("SELECT * FROM kiosks WHERE id = ?").get(params.id);
        if (!row) throw new ProblemError(404, "not-found", "No such kiosk.");
        if (row.revoked_at_ms === null) {
          db.query("UPDATE kiosks SET revoked_at_ms = ? WHERE id = ?").run(audit.nowMs, params.id);
          forgetPrincipals(db);
          recordAudit(db, audit, { action: "revoke", entity: "kiosk", entityId: params.id, villageId: row.village_id });
        }
      });
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
      if (principal?.kind !== "kiosk") throw new ProblemError(401, "unauthenticated", "Only a paired kiosk may ask this.");
      const row = db
        .query<{ name: string; village_name: string }, [number]>("SELECT k.name, v.name AS village_name FROM kiosks k JOIN villages v ON v.id = k.village_id WHERE k.id = ?")
        .get(principal.kioskId)!;
      return c.json({ kiosk: { id: String(principal.kioskId), name: row.name }, village: { id: String(principal.villageId), name: row.village_name } });
    },
  );
}
