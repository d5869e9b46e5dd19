import type { Database } from "bun:sqlite";
import { starOf, thresholdsOfVillages } from "../statements/honour.ts";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { Cursor, decodeCursor, Id, IdOut, idParams, keysetPage, Limit } from "../http/schemas.ts";
import { postDueEntries } from "../ledger/posting.ts";
import { villageExists } from "./village-store.ts";
import { readHouseholdCsv } from "./csv-import.ts";
import { newestActiveCards } from "./card-store.ts";
import { RELATION_CODES, relationCode } from "./relations.ts";
import { editHousehold } from "./household-edit.ts";
import { MATCH_NAMES_MAX, MATCH_TEXT_CHARS_MAX } from "./household-match.ts";
import { importHouseholds } from "./household-import.ts";
import {
  clearHouseholdPin,
  findHouseholds,
  matchPastedNames,
  registerHousehold,
  setHouseholdPin,
} from "./household.ts";
import { unwrap } from "./http-result.ts";
import { VisibleName } from "../shared/name.ts";
import {
  findHousehold,
  householdsInOrder,
  membersOf,
  membersOfMany,
  villageOfHousehold,
  type HouseholdRow,
} from "./household-store.ts";

const MemberSchema = z.object({
  id: IdOut,
  name: z.string(),
  relation: z.enum(RELATION_CODES).nullable(),
  isHead: z.boolean(),
});
const CardRefSchema = z
  .object({ id: IdOut, number: z.string() })
  .describe("the household's newest active card, or null when it has none");
export const HouseholdSchema = z.object({
  id: IdOut,
  villageId: IdOut,
  headName: z.string(),
  address: z.string(),
  externalId: z.string().nullable(),
  members: z.array(MemberSchema),
  balance: z
    .number()
    .int()
    .describe(
      "spendable points (可用积分): what the supermarket spends; may expire at year end where the village's points expire",
    ),
  honourScore: z
    .number()
    .int()
    .describe(
      "the honour score (荣誉积分): all points earned less deductions, reversals of them included; never spent, never expiring",
    ),
  star: z
    .number()
    .int()
    .nullable()
    .describe(
      "stars the honour score reaches under the village's thresholds (0 to their number); null where the village rates no stars",
    ),
  card: CardRefSchema.nullable(),
  hasPin: z
    .boolean()
    .describe(
      "the household has a PIN (PUT /api/households/:id/pin), asked at the kiosk for a typed card number where the village requires it",
    ),
  createdAt: z.string(),
});
export type HouseholdOut = z.infer<typeof HouseholdSchema>;

const PersonName = VisibleName(40);
/** A household's PIN: 4 to 6 digits, typed on the kiosk's number pad. */
const HouseholdPin = z.string().regex(/^[0-9]{4,6}$/, "must be 4 to 6 digits");
const Address = z.string().trim().max(120);
const ExternalId = z.string().trim().min(1).max(40);
const RELATION_HINT = `a relation code (${RELATION_CODES.filter((c) => c !== "head").join(", ")}) or its word (配偶, 儿子, 女儿, 父亲, 母亲, 儿媳, 女婿, 孙子, 孙女, 祖父, 祖母, 兄弟, 姐妹, 其他)`;
/** A member's relation to the head, as a code or a word of the household register; stored as a code. */
const MemberRelation = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .transform((text, ctx) => {
    const code = relationCode(text);
    if (code === null) {
      ctx.addIssue({ code: "custom", message: `must be ${RELATION_HINT}` });
      return z.NEVER;
    }
    if (code === "head") {
      ctx.addIssue({
        code: "custom",
        message: "the head is named by headName; a member's relation is to the head",
      });
      return z.NEVER;
    }
    return code;
  })
  .describe(`${RELATION_HINT}; answered as the code`);

const CreateHouseholdBody = z.strictObject({
  headName: PersonName,
  address: Address.optional(),
  externalId: ExternalId.optional(),
  members: z
    .array(z.strictObject({ name: PersonName, relation: MemberRelation.optional() }))
    .max(30)
    .optional(),
});

const PatchHouseholdBody = z
  .strictObject({
    headName: PersonName.optional(),
    address: Address.optional(),
    externalId: ExternalId.nullable().optional().describe("null clears it"),
    members: z
      .array(
        z.strictObject({
          id: z.union([Id, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)]).optional(),
          name: PersonName,
          relation: MemberRelation.nullable().optional(),
        }),
      )
      .max(30)
      .optional()
      .describe(
        "the full list of members other than the head: listed ids are kept and updated (relation left out keeps it), entries without id are added, members left out are removed",
      ),
  })
  .refine((b) => Object.keys(b).length > 0, "send at least one field to change");

const MatchBody = z.strictObject({ text: z.string().max(MATCH_TEXT_CHARS_MAX) });
const MatchedHouseholdSchema = HouseholdSchema.pick({
  id: true,
  headName: true,
  address: true,
  balance: true,
  honourScore: true,
  star: true,
  card: true,
});
const MatchSchema = z.object({
  items: z.array(
    z.object({
      input: z.string(),
      status: z.enum(["matched", "ambiguous", "none"]),
      households: z.array(MatchedHouseholdSchema),
    }),
  ),
});

const IMPORT_MAX_BYTES = 8 * 1024 * 1024;
const LINE_OFFSET_MAX = 10_000_000;
const Flag = z.enum(["true", "false"]).optional();
const ImportQuery = z.strictObject({
  dryRun: Flag,
  issueCards: Flag.describe("true: issue one card per created household, in the same transaction"),
  lineOffset: z
    .string()
    .regex(/^[0-9]{1,8}$/, "must be a whole number")
    .transform(Number)
    .refine((n) => n <= LINE_OFFSET_MAX, `must be at most ${LINE_OFFSET_MAX}`)
    .optional()
    .describe(
      "added to every line number reported, for a big file sent in pieces (each with its header)",
    ),
});
const ImportSchema = z.object({
  created: z.number().int(),
  skipped: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
  encoding: z.string(),
  dryRun: z.boolean(),
  rows: z
    .array(
      z.object({
        line: z.number().int(),
        headName: z.string(),
        address: z.string(),
        externalId: z.string().nullable(),
        members: z.array(z.string()),
        status: z.enum(["new", "existing", "repeated"]),
      }),
    )
    .optional()
    .describe("dry run only: the rows as they would be imported, at most 2,000"),
  rowsTruncated: z
    .boolean()
    .optional()
    .describe("dry run only: true when the file has more rows than listed"),
  createdIds: z
    .array(IdOut)
    .optional()
    .describe("real import only: the households created, in file order"),
  cardsIssued: z
    .number()
    .int()
    .optional()
    .describe("real import only: cards issued with ?issueCards=true"),
});

/** Households as answered: each with its members, balance and newest active card. */
export function householdsOut(db: Database, rows: readonly HouseholdRow[]): HouseholdOut[] {
  const ids = rows.map((r) => r.id);
  const members =
    ids.length === 1 ? new Map([[ids[0]!, membersOf(db, ids[0]!)]]) : membersOfMany(db, ids);
  const cards = newestActiveCards(db, ids);
  const thresholds = thresholdsOfVillages(
    db,
    rows.map((r) => r.village_id),
  );
  return rows.map((row) => {
    const card = cards.get(row.id);
    return {
      id: String(row.id),
      villageId: String(row.village_id),
      headName: row.head_name,
      address: row.address,
      externalId: row.external_id,
      members: (members.get(row.id) ?? []).map((m) => ({
        id: String(m.id),
        name: m.name,
        relation: m.relation,
        isHead: m.is_head === 1,
      })),
      balance: row.balance,
      honourScore: row.honour,
      star: starOf(row.honour, thresholds.get(row.village_id) ?? []),
      card: card === undefined ? null : { id: String(card.id), number: card.number },
      hasPin: row.has_pin === 1,
      createdAt: new Date(row.created_at_ms).toISOString(),
    };
  });
}

function householdOut(db: Database, id: number): HouseholdOut {
  return householdsOut(db, [findHousehold(db, id)!])[0]!;
}

/**
 * Lets every request waiting on the event loop run (a macrotask, after their I/O): what a long
 * import awaits between two of its pieces, never inside a transaction.
 */
function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function registerHouseholdRoutes(api: Api): void {
  const staff = ["township_admin", "village_admin", "clerk"] as const;
  const villageParam = idParams("villageId");
  const villageScope = ({ params }: { params: { villageId: number } }, db: Database) =>
    villageExists(db, params.villageId);
  const householdScope = ({ params }: { params: { id: number } }, db: Database) =>
    villageOfHousehold(db, params.id);

  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/households",
      summary:
        "Register a household with its members (relations as codes or their words, stored as codes)",
      tag: "households",
      access: { roles: staff, village: villageScope },
      params: villageParam,
      body: CreateHouseholdBody,
      responses: {
        201: { description: "Created", schema: z.object({ household: HouseholdSchema }) },
      },
    },
    ({ c, db, params, body, audit }) => {
      const members = (body.members ?? []).map((m) => ({
        name: m.name,
        relation: m.relation ?? null,
      }));
      const id = unwrap(
        registerHousehold(db, audit, params.villageId, {
          headName: body.headName,
          address: body.address ?? "",
          externalId: body.externalId ?? null,
          members,
        }),
      );
      return c.json({ household: householdOut(db, id) }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/households/:id",
      summary: "A household with its members, balance and newest active card",
      tag: "households",
      access: { roles: staff, village: householdScope },
      params: idParams("id"),
      responses: { 200: { description: "The household", schema: HouseholdSchema } },
    },
    ({ c, db, params, nowMs }) => {
      // A balance shown must include entries whose notice has just ended, not wait for the timer.
      postDueEntries(db, nowMs);
      return c.json(householdOut(db, params.id));
    },
  );

  api.route(
    {
      method: "patch",
      path: "/api/households/:id",
      summary:
        "Edit a household: headName (the head member follows), address, externalId (null clears it), members (the full list of the other members: ids kept are updated, new ones added, missing ones removed; removing a member named by an entry → 409)",
      tag: "households",
      access: { roles: staff, village: householdScope },
      params: idParams("id"),
      body: PatchHouseholdBody,
      responses: {
        200: {
          description: "The household after the edit",
          schema: z.object({ household: HouseholdSchema }),
        },
        409: {
          description:
            "The externalId belongs to another household of the village, or a member to remove is named by an entry",
        },
      },
    },
    ({ c, db, params, body, audit }) => {
      unwrap(editHousehold(db, audit, params.id, body));
      return c.json({ household: householdOut(db, params.id) });
    },
  );

  api.route(
    {
      method: "put",
      path: "/api/households/:id/pin",
      summary:
        "Set or replace the household's PIN (4 to 6 digits, stored as an argon2id hash): a sale on a typed card number needs it where the village has requirePinForNumber. Staff of the household's village",
      tag: "households",
      access: { roles: staff, village: householdScope },
      params: idParams("id"),
      body: z.strictObject({ pin: HouseholdPin }),
      responses: { 204: { description: "Set" } },
    },
    async ({ c, db, params, body, audit }) => {
      await setHouseholdPin(db, audit, params.id, body.pin);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/households/:id/pin",
      summary:
        "Remove the household's PIN (a typed card number then cannot buy where the village requires one: 409 pin-not-set)",
      tag: "households",
      access: { roles: staff, village: householdScope },
      params: idParams("id"),
      responses: { 204: { description: "Removed" } },
    },
    ({ c, db, params, audit }) => {
      clearHouseholdPin(db, audit, params.id);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/households",
      summary:
        "List or search households: head name, member name, pinyin initials (zjh) or full pinyin, external id, card number (1234 5678), a scanned card URL or token, door plate (27号 by door number; 3组27号 or 3-27 by group and door)",
      tag: "households",
      access: { roles: staff, village: villageScope },
      params: villageParam,
      query: z.strictObject({
        search: z.string().trim().max(300).optional(),
        limit: Limit,
        cursor: Cursor,
      }),
      responses: {
        200: {
          description: "A page of households",
          schema: z.object({ items: z.array(HouseholdSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    ({ c, db, params, query }) => {
      // A plain list pages by id; a search pages by offset into its ranked matches.
      const after = decodeCursor(query.cursor) ?? 0;
      const { rows, searched } = unwrap(
        findHouseholds(db, params.villageId, { search: query.search, after, limit: query.limit }),
      );
      const { page, nextCursor } = keysetPage(rows, query.limit, (last) =>
        searched ? after + query.limit : last.id,
      );
      return c.json({ items: householdsOut(db, page), nextCursor });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/households/match",
      summary: `Match a pasted list of names (separated by spaces, commas, 、, semicolons or new lines; at most ${MATCH_NAMES_MAX} names) to households: the head's exact name, else a member's; a card number or door plate as in the search. Reads only.`,
      tag: "households",
      access: { roles: staff, village: villageScope },
      params: villageParam,
      body: MatchBody,
      responses: {
        200: {
          description:
            "One item per distinct name, in the order pasted: matched (one household), ambiguous (several, at most 10 listed) or none",
          schema: MatchSchema,
        },
      },
    },
    ({ c, db, params, body, nowMs }) => {
      const matches = unwrap(matchPastedNames(db, params.villageId, body.text, nowMs));
      const items = matches.map((m) => ({
        input: m.input,
        status: m.status,
        households: householdsOut(db, householdsInOrder(db, params.villageId, m.householdIds)).map(
          ({ id, headName, address, balance, honourScore, star, card }) => ({
            id,
            headName,
            address,
            balance,
            honourScore,
            star,
            card,
          }),
        ),
      }));
      return c.json({ items });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/households/import",
      summary:
        "Import households from CSV (UTF-8 with or without BOM, or GBK); importing twice creates nothing twice. ?dryRun=true previews the rows (new, existing or repeated); ?issueCards=true issues a card per created household; ?lineOffset=N for a file sent in pieces",
      tag: "households",
      access: { roles: ["township_admin", "village_admin"], village: villageScope },
      params: villageParam,
      query: ImportQuery,
      bodyKind: "csv",
      body: z.instanceof(Uint8Array),
      maxBodyBytes: IMPORT_MAX_BYTES,
      responses: {
        200: {
          description:
            "What was created, skipped as already present, and the rows in error by line (header = line 1, plus lineOffset)",
          schema: ImportSchema,
        },
      },
    },
    async ({ c, db, params, query, body, audit }) => {
      const parsed = unwrap(await readHouseholdCsv(body, yieldToLoop));
      const dryRun = query.dryRun === "true";
      const lineOffset = query.lineOffset ?? 0;
      const outcome = await importHouseholds(
        db,
        audit,
        params.villageId,
        parsed,
        { dryRun, issueCards: query.issueCards === "true", lineOffset, encoding: parsed.encoding },
        yieldToLoop,
      );
      const errors = parsed.errors.map((e) => ({ line: e.line + lineOffset, message: e.message }));
      const base = {
        created: outcome.created,
        skipped: outcome.skipped,
        errors,
        encoding: parsed.encoding,
        dryRun,
      };
      if (dryRun)
        return c.json({ ...base, rows: outcome.rows, rowsTruncated: outcome.rowsTruncated });
      return c.json({
        ...base,
        createdIds: outcome.createdIds.map(String),
        cardsIssued: outcome.cardsIssued,
      });
    },
  );
}
