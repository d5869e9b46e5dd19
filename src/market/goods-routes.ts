/** Goods, their stock and their photos: the admin side of the supermarket and the kiosk's shelf. */
import type { Database } from "bun:sqlite";
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { Cursor, decodeCursor, IdOut, idParams, keysetPage, Limit } from "../http/schemas.ts";
import { villageExists } from "../villages/village-store.ts";
import { actorIdOf, actorOf } from "../auth/principal.ts";
import { VisibleName } from "../shared/name.ts";
import {
  adjustStock,
  countStock,
  createGoods,
  goodsOut,
  movementsOut,
  updateGoods,
} from "./goods.ts";
import {
  findGoods,
  listGoods,
  movementsPage,
  STOCK_SOURCES,
  sumOfMovements,
  villageOfGoods,
} from "./goods-store.ts";
import { checkImage, CONTENT_TYPE_BY_EXTENSION, IMAGE_SIDE_PX_MAX } from "./image-check.ts";
import { failureToProblem } from "../http/failure.ts";

export const GOODS_IMAGE_MAX_BYTES = 2 * 1024 * 1024;
export const GOODS_IMAGES_PATH = "/goods-images";
const IMAGE_FILE = /^([1-9][0-9]{0,14})-([0-9a-f]{16})\.(jpg|png|webp)$/;
const IMAGE_HASH_HEX_CHARS = 16;
/** Content-addressed names never change meaning, so browsers may keep them for a year. */
const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";

export const GoodsSchema = z.object({
  id: IdOut,
  villageId: IdOut,
  name: z.string(),
  pricePoints: z.number().int(),
  stock: z.number().int(),
  category: z.string().nullable(),
  imageUrl: z.string().nullable(),
  active: z.boolean(),
  lowStockThreshold: z
    .number()
    .int()
    .describe("at or below this stock the good is listed as low on the staff's start page"),
  low: z.boolean().describe("stock ≤ lowStockThreshold"),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const StockSource = z
  .enum(STOCK_SOURCES)
  .describe(
    "donation (an enterprise or a person gave it), government (bought with a government fund), village (the village's own income), other",
  );
export const MovementSchema = z.object({
  id: IdOut,
  goodsId: IdOut,
  at: z.string().describe("when it was recorded"),
  kind: z.enum(["intake", "write_off", "sale", "void", "count"]),
  delta: z.number().int(),
  reason: z.string().nullable(),
  source: StockSource.nullable().describe("an intake's source; null on every other kind"),
  donor: z.string().nullable(),
  by: z.string().describe("who recorded it: display name, username or kiosk name"),
  createdBy: z.string().describe("as stored: user:<id>, kiosk:<id> or a username"),
  redemptionId: IdOut.nullable(),
  stockAfter: z.number().int(),
  occurredOn: z.string(),
});

export const PRICE_POINTS_MAX = 1_000_000;
export const STOCK_UNITS_MAX = 1_000_000;
const GoodsName = VisibleName(60);
const PricePoints = z.number().int().min(1).max(PRICE_POINTS_MAX);
const Category = z.string().trim().min(1).max(30);
/** A same-origin path only (an uploaded photo or a bundled picture under /goods/): the kiosk's
 * Content-Security-Policy loads images from 'self', and a path cannot smuggle a script URL. */
const ImageUrl = z
  .string()
  .max(300)
  .regex(/^\/[A-Za-z0-9._~/-]*$/, "must be a path on this server, such as /goods/rice.svg")
  .refine((s) => !s.includes("..") && !s.startsWith("//"), "must not climb out of its folder");

const LowStockThreshold = z
  .number()
  .int()
  .min(0)
  .max(STOCK_UNITS_MAX)
  .describe("at or below this stock the good is listed as low (default 5)");

const CreateGoodsBody = z.strictObject({
  name: GoodsName,
  pricePoints: PricePoints,
  stock: z.number().int().min(0).max(STOCK_UNITS_MAX).optional(),
  category: Category.optional(),
  imageUrl: ImageUrl.optional(),
  lowStockThreshold: LowStockThreshold.optional(),
});
// Stock is not patchable: it moves only through the stock ledger (POST /api/goods/:id/stock).
const PatchGoodsBody = z
  .strictObject({
    name: GoodsName.optional(),
    pricePoints: PricePoints.optional(),
    category: Category.nullable().optional(),
    imageUrl: ImageUrl.nullable().optional(),
    active: z.boolean().optional(),
    lowStockThreshold: LowStockThreshold.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "send at least one field to change");
// Which fields go with which sign (a write-off's reason, an intake's source, a donation's donor)
// is checked by the use case, which answers each refusal with its code.
const StockBody = z.strictObject({
  delta: z
    .number()
    .int()
    .min(-STOCK_UNITS_MAX)
    .max(STOCK_UNITS_MAX)
    .refine((d) => d !== 0, "must not be 0"),
  reason: z.string().trim().min(1).max(200).optional(),
  source: StockSource.optional().describe("an intake's source (default other); not on a write-off"),
  donor: VisibleName(60).optional().describe("required when source is donation"),
});
const CountBody = z.strictObject({
  counted: z.number().int().min(0).max(STOCK_UNITS_MAX).describe("units on the shelf"),
  reason: z.string().trim().min(1).max(200),
});

export type GoodsRouteOptions = { uploadsDir?: string };

/** Where photos go: the configured folder, else `uploads` beside the database file. */
export function uploadsDirFor(db: Database, configured: string | undefined): string {
  if (configured !== undefined) return configured;
  const file = db.filename;
  if (file === "" || file === ":memory:") return join(tmpdir(), "jifen-uploads");
  return join(dirname(resolve(file)), "uploads");
}

export function registerGoodsRoutes(api: Api, options: GoodsRouteOptions): void {
  const staff = ["township_admin", "village_admin", "clerk"] as const;
  const goodsScope = ({ params }: { params: { id: number } }, db: Database) =>
    villageOfGoods(db, params.id);

  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/goods",
      summary: "Add a good to the village's supermarket; an initial stock is recorded as an intake",
      tag: "market",
      access: { roles: staff, village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      body: CreateGoodsBody,
      responses: { 201: { description: "Created", schema: z.object({ goods: GoodsSchema }) } },
    },
    ({ c, db, params, body, principal, audit }) => {
      const goods = createGoods(db, audit, {
        villageId: params.villageId,
        name: body.name,
        pricePoints: body.pricePoints,
        stock: body.stock ?? 0,
        category: body.category ?? null,
        imageUrl: body.imageUrl ?? null,
        ...(body.lowStockThreshold === undefined
          ? {}
          : { lowStockThreshold: body.lowStockThreshold }),
        createdBy: actorIdOf(principal!),
      });
      return c.json({ goods, ...goods }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/goods",
      summary: "The village's goods, inactive ones included unless ?active=true",
      tag: "market",
      access: { roles: staff, village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      query: z.strictObject({ active: z.enum(["true", "false"]).optional() }),
      responses: {
        200: { description: "Goods", schema: z.object({ items: z.array(GoodsSchema) }) },
      },
    },
    ({ c, db, params, query }) => {
      const rows = listGoods(db, params.villageId, false).filter(
        (g) => query.active === undefined || (g.active === 1) === (query.active === "true"),
      );
      return c.json({ items: rows.map(goodsOut) });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/goods/:id",
      summary: "One good",
      tag: "market",
      access: { roles: [...staff, "kiosk"], village: goodsScope },
      params: idParams("id"),
      responses: { 200: { description: "The good", schema: z.object({ goods: GoodsSchema }) } },
    },
    ({ c, db, params }) => {
      const goods = goodsOut(findGoods(db, params.id)!);
      return c.json({ goods, ...goods });
    },
  );

  api.route(
    {
      method: "patch",
      path: "/api/goods/:id",
      summary:
        "Change a good's name, price, category, picture, active flag or low-stock threshold; past redemptions keep what they were sold at. Only a village or township administrator changes the price (a clerk → 403 role-may-not)",
      tag: "market",
      access: { roles: staff, village: goodsScope },
      params: idParams("id"),
      body: PatchGoodsBody,
      responses: {
        200: { description: "Changed", schema: z.object({ goods: GoodsSchema }) },
        403: { description: "A clerk changing the price (code role-may-not)" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const result = updateGoods(db, audit, params.id, body, actorOf(principal!));
      if (!result.ok) throw failureToProblem(result);
      return c.json({ goods: result.value, ...result.value });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/goods/:id/stock",
      summary:
        "Take goods in (positive delta, with its source: donation with a donor, government, village or other) or write them off with a reason (negative); stock never goes below zero",
      tag: "market",
      access: { roles: staff, village: goodsScope },
      params: idParams("id"),
      body: StockBody,
      responses: {
        201: {
          description: "Recorded",
          schema: z.object({
            movement: MovementSchema,
            goods: GoodsSchema,
            good: GoodsSchema,
            stock: z.number().int(),
          }),
        },
        400: {
          description:
            "Malformed, or a rule of the movement broken (codes: write-off-needs-reason, write-off-takes-no-source, donation-needs-donor)",
        },
        409: {
          description: "A write-off over the stock (code write-off-over-stock): nothing changed",
        },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const result = adjustStock(db, audit, {
        goodsId: params.id,
        delta: body.delta,
        reason: body.reason ?? null,
        source: body.source ?? null,
        donor: body.donor ?? null,
        createdBy: actorIdOf(principal!),
      });
      if (!result.ok) throw failureToProblem(result);
      return c.json(
        { ...result.value, good: result.value.goods, stock: result.value.goods.stock },
        201,
      );
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/goods/:id/stock",
      summary:
        "A good's stock ledger, newest first, paged: each movement with who recorded it; the good, its stock and the sum of all its movements (always equal)",
      tag: "market",
      access: { roles: staff, village: goodsScope },
      params: idParams("id"),
      query: z.strictObject({ limit: Limit, cursor: Cursor }),
      responses: {
        200: {
          description: "A page of movements, newest first",
          schema: z.object({
            good: GoodsSchema,
            goods: GoodsSchema,
            stock: z.number().int(),
            sumOfMovements: z.number().int(),
            items: z.array(MovementSchema),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    ({ c, db, params, query }) => {
      const good = goodsOut(findGoods(db, params.id)!);
      const rows = movementsPage(db, params.id, decodeCursor(query.cursor) ?? 0, query.limit + 1);
      const { page, nextCursor } = keysetPage(rows, query.limit, (r) => r.id);
      return c.json({
        good,
        goods: good,
        stock: good.stock,
        sumOfMovements: sumOfMovements(db, params.id),
        items: movementsOut(db, page),
        nextCursor,
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/goods/:id/count",
      summary:
        "A stock count (盘点): the counted units become the stock; the difference is one movement of kind count with the reason (none when it matches), in one transaction",
      tag: "market",
      access: { roles: staff, village: goodsScope },
      params: idParams("id"),
      body: CountBody,
      responses: {
        201: {
          description: "Counted",
          schema: z.object({
            before: z.number().int(),
            counted: z.number().int(),
            difference: z.number().int().describe("counted − before"),
            movement: MovementSchema.nullable(),
            good: GoodsSchema,
            goods: GoodsSchema,
          }),
        },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const result = countStock(db, audit, {
        goodsId: params.id,
        counted: body.counted,
        reason: body.reason,
        createdBy: actorIdOf(principal!),
      });
      if (!result.ok) throw failureToProblem(result);
      return c.json({ ...result.value, good: result.value.goods }, 201);
    },
  );

  api.route(
    {
      method: "put",
      path: "/api/goods/:id/image",
      summary:
        "Upload a good's photo: JPEG, PNG or WebP up to 2 MiB and 10,000 pixels a side, its type read from its bytes and the whole file checked to its end marker (else 415 invalid-image)",
      tag: "market",
      access: { roles: staff, village: goodsScope },
      params: idParams("id"),
      bodyKind: "image",
      body: z.instanceof(Uint8Array),
      maxBodyBytes: GOODS_IMAGE_MAX_BYTES,
      responses: {
        200: {
          description: "Stored; imageUrl points at it",
          schema: z.object({ goods: GoodsSchema }),
        },
        415: { description: "Not a whole JPEG, PNG or WebP picture (code invalid-image)" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const checked = checkImage(body);
      if (!checked.ok)
        throw new ProblemError(
          415,
          "unsupported-media-type",
          `The file is ${checked.problem}.`,
          undefined,
          undefined,
          { code: "invalid-image", params: { sideMax: IMAGE_SIDE_PX_MAX } },
        );
      const type = checked.image;
      const hash = new Bun.CryptoHasher("sha256")
        .update(body)
        .digest("hex")
        .slice(0, IMAGE_HASH_HEX_CHARS);
      const file = `${params.id}-${hash}.${type.extension}`;
      const dir = uploadsDirFor(db, options.uploadsDir);
      mkdirSync(dir, { recursive: true });
      // Written before the transaction and renamed into place, so a reader never sees half a file;
      // if the transaction then fails, an unreferenced file is left, which costs only space.
      const temporary = join(dir, `.${file}.${crypto.randomUUID()}.tmp`);
      writeFileSync(temporary, body);
      renameSync(temporary, join(dir, file));
      const result = updateGoods(
        db,
        audit,
        params.id,
        { imageUrl: `${GOODS_IMAGES_PATH}/${file}` },
        actorOf(principal!),
      );
      if (!result.ok) throw failureToProblem(result);
      return c.json({ goods: result.value, ...result.value });
    },
  );

  api.route(
    {
      method: "get",
      path: `${GOODS_IMAGES_PATH}/:file`,
      summary:
        "A good's uploaded photo (public: the kiosk's <img> sends no token; names are unguessable hashes)",
      tag: "market",
      access: { public: true },
      params: z.strictObject({ file: z.string().regex(IMAGE_FILE, "must be a goods image name") }),
      responses: { 200: { description: "The picture", contentType: "image/*" } },
    },
    ({ db, params }) => {
      const match = IMAGE_FILE.exec(params.file)!;
      const path = join(uploadsDirFor(db, options.uploadsDir), params.file);
      if (!existsSync(path)) throw new ProblemError(404, "not-found", "No such picture.");
      const extension = match[3] as keyof typeof CONTENT_TYPE_BY_EXTENSION;
      return new Response(readFileSync(path), {
        headers: {
          "content-type": CONTENT_TYPE_BY_EXTENSION[extension],
          "cache-control": IMMUTABLE_CACHE,
        },
      });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/kiosk/goods",
      summary: "The active goods of the caller's village, for the kiosk's shelf",
      tag: "kiosk",
      access: { roles: ["kiosk", "village_admin", "clerk"], village: "own" },
      responses: {
        200: {
          description: "Active goods",
          schema: z.object({
            items: z.array(
              z.object({
                id: IdOut,
                name: z.string(),
                pricePoints: z.number().int(),
                stock: z.number().int(),
                category: z.string().nullable(),
                imageUrl: z.string().nullable(),
                active: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    ({ c, db, principal }) => {
      const villageId = principal!.villageId;
      if (villageId === null)
        throw new ProblemError(403, "forbidden", "Only a kiosk or a village's staff have a shelf.");
      const items = listGoods(db, villageId, true).map((g) => ({
        id: String(g.id),
        name: g.name,
        pricePoints: g.price_points,
        stock: g.stock,
        category: g.category,
        imageUrl: g.image_url,
        active: g.active === 1,
      }));
      return c.json({ items });
    },
  );
}
