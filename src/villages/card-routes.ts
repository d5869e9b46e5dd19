import type { Database } from "bun:sqlite";
import QRCode from "qrcode";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { Id, IdOut, idParams, toIso } from "../http/schemas.ts";
import { findVillage, villageExists } from "./village-store.ts";
import { esc, t } from "../i18n/catalog.ts";
import { activeCardsForSheet, cardsOfHousehold, findCard, type CardRow } from "./card-store.ts";
import { issueCard, reissueCard, revokeCard } from "./card.ts";
import { unwrap } from "./http-result.ts";
import { formatCardNumber } from "./card-number.ts";
import { villageOfHousehold } from "./household-store.ts";
import { maskName } from "./names.ts";

/** One sheet prints at most this many households' cards (a village prints in pieces). */
export const SHEET_HOUSEHOLDS_MAX = 2_000;

const CardSchema = z.object({
  id: IdOut,
  householdId: IdOut,
  token: z.string(),
  url: z.string(),
  number: z.string(),
  createdAt: z.string(),
  revoked: z.boolean(),
});

export function cardUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/c/${token}`;
}

function cardOut(row: CardRow, publicUrl: string): z.infer<typeof CardSchema> {
  return {
    id: String(row.id),
    householdId: String(row.household_id),
    token: row.token,
    url: cardUrl(publicUrl, row.token),
    number: row.number,
    createdAt: toIso(row.created_at_ms),
    revoked: row.revoked_at_ms !== null,
  };
}

export function registerCardRoutes(api: Api, options: { publicUrl: string }): void {
  const { publicUrl } = options;
  const cardScope = ({ params }: { params: { id: number } }, db: Database) =>
    findCard(db, params.id)?.village_id ?? null;

  api.route(
    {
      method: "post",
      path: "/api/households/:id/cards",
      summary: "Issue a QR card for a household",
      tag: "cards",
      access: {
        roles: ["township_admin", "village_admin", "clerk"],
        village: ({ params }, db) => villageOfHousehold(db, params.id),
      },
      params: idParams("id"),
      responses: { 201: { description: "Issued", schema: CardSchema } },
    },
    ({ c, db, params, audit }) => {
      const card = issueCard(db, audit, params.id);
      return c.json(cardOut(card, publicUrl), 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/households/:id/cards",
      summary: "A household's cards, revoked ones included",
      tag: "cards",
      access: {
        roles: ["township_admin", "village_admin", "clerk"],
        village: ({ params }, db) => villageOfHousehold(db, params.id),
      },
      params: idParams("id"),
      responses: {
        200: { description: "Cards", schema: z.object({ items: z.array(CardSchema) }) },
      },
    },
    ({ c, db, params }) =>
      c.json({ items: cardsOfHousehold(db, params.id).map((r) => cardOut(r, publicUrl)) }),
  );

  api.route(
    {
      method: "delete",
      path: "/api/cards/:id",
      summary:
        "Revoke a card: it answers 404 everywhere from now on. A village or township administrator only (a clerk → 403 role-may-not)",
      tag: "cards",
      access: { roles: ["township_admin", "village_admin"], village: cardScope },
      params: idParams("id"),
      responses: { 204: { description: "Revoked" } },
    },
    ({ c, db, params, audit }) => {
      revokeCard(db, audit, params.id);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/cards/:id/reissue",
      summary:
        "Replace a lost or worn card: revokes it and issues a new one, in one step. A village or township administrator only (a clerk → 403 role-may-not)",
      tag: "cards",
      access: { roles: ["township_admin", "village_admin"], village: cardScope },
      params: idParams("id"),
      responses: { 201: { description: "The new card", schema: CardSchema } },
    },
    ({ c, db, params, audit }) => {
      const card = unwrap(reissueCard(db, audit, params.id));
      return c.json(cardOut(card, publicUrl), 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/cards/print",
      summary:
        "An A4 sheet of the village's active cards, ready to print and cut; narrowed by householdId, householdIds (up to 2,000, comma-separated) and cardId together. Opened in a browser without a session, it sends the browser to /admin/login and back.",
      tag: "cards",
      access: {
        roles: ["township_admin", "village_admin", "clerk"],
        village: ({ params }, db) => villageExists(db, params.villageId),
      },
      params: idParams("villageId"),
      query: z.strictObject({
        householdId: Id.optional(),
        householdIds: z
          .string()
          .regex(
            /^[1-9][0-9]{0,14}(,[1-9][0-9]{0,14})*$/,
            "must be household ids separated by commas, such as 1,2,3",
          )
          .transform((text) => text.split(",").map(Number))
          .refine(
            (ids) => ids.length <= SHEET_HOUSEHOLDS_MAX,
            `at most ${SHEET_HOUSEHOLDS_MAX} households at a time`,
          )
          .optional(),
        cardId: Id.optional(),
      }),
      responses: {
        200: { description: "HTML for printing", contentType: "text/html" },
        302: { description: "A browser without a session: to /admin/login?next=…" },
      },
    },
    async ({ c, db, params, query }) => {
      const village = findVillage(db, params.villageId)!;
      const householdIds = sheetHouseholds(query.householdId, query.householdIds);
      const cards = activeCardsForSheet(db, params.villageId, {
        ...(householdIds === undefined ? {} : { householdIds }),
        ...(query.cardId === undefined ? {} : { cardId: query.cardId }),
      });
      // The line that tells a household what the code is for, in its village's language; a Uyghur
      // village's card says it in Uyghur and in Chinese, as its signs do.
      const scanLine =
        village.default_language === "ug"
          ? `<div class="hint" lang="ug" dir="rtl">${esc(t("sheet.scan", {}, "ug"))}</div><div class="hint">${esc(t("sheet.scan"))}</div>`
          : `<div class="hint">${esc(t("sheet.scan"))}</div>`;
      const tiles = await Promise.all(
        cards.map(async (card) => {
          const svg = await QRCode.toString(cardUrl(publicUrl, card.token), {
            type: "svg",
            errorCorrectionLevel: "Q",
            margin: 2,
          });
          return `<article class="card"><div class="qr">${svg}</div><div class="info"><div class="village">${esc(village.name)}</div><div class="name"><bdi>${esc(maskName(card.head_name))}</bdi></div><div class="no">${esc(t("sheet.cardNo"))} <b><bdi>${esc(formatCardNumber(card.number))}</bdi></b></div>${scanLine}</div></article>`;
        }),
      );
      return c.html(cardSheet(t("sheet.title", { village: village.name }), tiles));
    },
  );
}

/** The households a sheet is narrowed to: both filters given, only those in both; none, every household. */
function sheetHouseholds(
  one: number | undefined,
  many: number[] | undefined,
): number[] | undefined {
  if (one === undefined) return many;
  if (many === undefined) return [one];
  return many.includes(one) ? [one] : [];
}

function cardSheet(title: string, tiles: string[]): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
@page { size: A4; margin: 10mm 12mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; color: #1f2933; }
h1 { font-size: 14pt; margin: 0 0 4mm; }
.sheet { display: grid; grid-template-columns: repeat(2, 85.6mm); gap: 4mm 6mm; }
.card { width: 85.6mm; height: 54mm; border: 0.3mm dashed #9aa5b1; border-radius: 3mm; padding: 3mm; display: flex; gap: 3mm; align-items: center; break-inside: avoid; }
.qr { width: 44mm; height: 44mm; flex: none; }
.qr svg { width: 100%; height: 100%; }
.info { display: flex; flex-direction: column; gap: 1.5mm; min-width: 0; }
.village { font-size: 10pt; color: #52606d; }
.name { font-size: 18pt; font-weight: 700; }
.no { font-size: 10pt; }
.no b { display: block; font-size: 14pt; letter-spacing: 0.3mm; white-space: nowrap; }
.hint { font-size: 9pt; color: #52606d; }
.empty { font-size: 14pt; padding: 10mm 0; }
@media screen { body { padding: 10mm; background: #f5f7fa; } .sheet { background: #fff; padding: 6mm; width: max-content; } }
</style></head><body><h1>${esc(title)}</h1>${tiles.length === 0 ? `<p class="empty">${esc(t("sheet.empty"))}</p>` : `<main class="sheet">${tiles.join("")}</main>`}</body></html>`;
}
