import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { Cursor, decodeCursor, IdOut, idParams, keysetPage, Limit } from "../http/schemas.ts";
import { immediate } from "../db/open.ts";
import { recordAudit } from "../audit/audit.ts";
import { postDueEntries } from "../ledger/posting.ts";
import { villageExists } from "./village-store.ts";
import { CsvHeaderError, parseHouseholdCsv } from "./csv-import.ts";
import {
  findHousehold,
  insertHousehold,
  membersOf,
  membersOfMany,
  searchHouseholds,
  listHouseholds,
  SEARCH_OFFSET_MAX,
  villageOfHousehold,
  type HouseholdRow,
  type MemberRow,
  type NewHousehold,
} from "./household-store.ts";

const MemberSchema = z.object({ id: IdOut, name: z.string(), relation: z.string().nullable(), isHead: z.boolean() });
export const HouseholdSchema = z.object({
  id: IdOut,
  villageId: IdOut,
  headName: z.string(),
  address: z.string(),
  externalId: z.string().nullable(),
  members: z.array(MemberSchema),
  balance: z.number().int(),
  createdAt: z.string(),
});

const PersonName = z.string().trim().min(1).max(40);
const CreateHouseholdBody = z.strictObject({
  headName: PersonName,
  address: z.string().trim().max(120).optional(),
  externalId: z.string().trim().min(1).max(40).optional(),
  members: z.array(z.strictObject({ name: PersonName, relation: z.string().trim().min(1).max(20).optional() })).max(30).optional(),
});

const IMPORT_MAX_BYTES = 8 * 1024 * 1024;

function householdOut(row: HouseholdRow, members: MemberRow[]): z.infer<typeof HouseholdSchema> {
  return {
    id: String(row.id),
    villageId: String(row.village_id),
    headName: row.head_name,
    address: row.address,
    externalId: row.external_id,
    members: members.map((m) => ({ id: String(m.id), name: m.name, relation: m.relation, isHead: m.is_head === 1 })),
    balance: row.balance,
    createdAt: new Date(row.created_at_ms).toISOString(),
  };
}

function alreadyImported(db: Database, villageId: number, h: NewHousehold): boolean {
  if (h.externalId !== null) return db.query("SELECT 1 FROM households WHERE village_id = ? AND external_id = ?").get(villageId, h.externalId) !== null;
  return db.query("SELECT 1 FROM households WHERE village_id = ? AND head_name = ? AND address = ?").get(villageId, h.headName, h.address) !== null;
}

export function registerHouseholdRoutes(api: Api): void {
  const villageParam = idParams("villageId");
  const villageScope = ({ params }: { params: { villageId: number } }, db: Database) => villageExists(db, params.villageId);
  const householdScope = ({ params }: { params: { id: number } }, db: Database) => villageOfHousehold(db, params.id);

  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/households",
      summary: "Register a household with its members",
      tag: "households",
      access: { roles: ["township_admin", "village_admin", "clerk"], village: villageScope },
      params: villageParam,
      body: CreateHouseholdBody,
      responses: { 201: { description: "Created", schema: z.object({ household: HouseholdSchema }) } },
    },
    ({ c, db, params, body, audit }) => {
      const id = immediate(db, () => {
        if (body.externalId !== undefined && db.query("SELECT 1 FROM households WHERE village_id = ? AND external_id = ?").get(params.villageId, body.externalId)) {
          throw new ProblemError(409, "conflict", `A household with externalId ${body.externalId} already exists in this village.`);
        }
        const newId = insertHousehold(
          db,
          params.villageId,
          { headName: body.headName, address: body.address ?? "", externalId: body.externalId ?? null, members: (body.members ?? []).map((m) => ({ name: m.name, relation: m.relation ?? null })) },
          audit.nowMs,
        );
        recordAudit(db, audit, { action: "create", entity: "household", entityId: newId, villageId: params.villageId });
        return newId;
      });
      return c.json({ household: householdOut(findHousehold(db, id)!, membersOf(db, id)) }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/households/:id",
      summary: "A household with its members and balance",
      tag: "households",
      access: { roles: ["township_admin", "village_admin", "clerk"], village: householdScope },
      params: idParams("id"),
      responses: { 200: { description: "The household", schema: HouseholdSchema } },
    },
    ({ c, db, params, nowMs }) => {
      // A balance shown must include entries whose notice has just ended, not wait for the timer.
      postDueEntries(db, nowMs);
      return c.json(householdOut(findHousehold(db, params.id)!, membersOf(db, params.id)));
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/households",
      summary: "List or search households (name, pinyin initials such as zjh, member name, external id)",
      tag: "households",
      access: { roles: ["township_admin", "village_admin", "clerk"], village: villageScope },
      params: villageParam,
      query: z.strictObject({ search: z.string().trim().max(40).optional(), limit: Limit, cursor: Cursor }),
      responses: { 200: { description: "A page of households", schema: z.object({ items: z.array(HouseholdSchema), nextCursor: z.string().nullable() }) } },
    },
    ({ c, db, params, query }) => {
      // A plain list pages by id; a search pages by offset into its ranked matches.
      const after = decodeCursor(query.cursor) ?? 0;
      const searching = query.search !== undefined && query.search !== "";
      if (searching && after > SEARCH_OFFSET_MAX) throw new ProblemError(400, "validation", "Search pages go no deeper; narrow the search.", [{ path: "query.cursor", message: "too deep" }]);
      const rows = searching ? searchHouseholds(db, params.villageId, query.search!, after, query.limit + 1) : listHouseholds(db, params.villageId, after, query.limit + 1);
      const { page, nextCursor } = keysetPage(rows, query.limit, (last) => (searching ? after + query.limit : last.id));
      const members = membersOfMany(db, page.map((r) => r.id));
      return c.json({ items: page.map((r) => householdOut(r, members.get(r.id) ?? [])), nextCursor });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/households/import",
      summary: "Import households from CSV (UTF-8 with or without BOM, or GBK); importing twice creates nothing twice",
      tag: "households",
      access: { roles: ["township_admin", "village_admin"], village: villageScope },
      params: villageParam,
      query: z.strictObject({ dryRun: z.enum(["true", "false"]).optional() }),
      bodyKind: "csv",
      body: z.instanceof(Uint8Array),
      maxBodyBytes: IMPORT_MAX_BYTES,
      responses: {
        200: {
          description: "What was created, skipped as already present, and the rows in error by line (header = line 1)",
          schema: z.object({ created: z.number().int(), skipped: z.number().int(), errors: z.array(z.object({ line: z.number().int(), message: z.string() })), encoding: z.string(), dryRun: z.boolean() }),
        },
      },
    },
    ({ c, db, params, query, body, audit }) => {
      let parsed;
      try {
        parsed = parseHouseholdCsv(body);
      } catch (error) {
        if (error instanceof CsvHeaderError) throw new ProblemError(400, "validation", error.message, [{ path: "body", message: error.message }]);
        throw error;
      }
      const dryRun = query.dryRun === "true";
      const result = immediate(db, () => {
        let created = 0;
        let skipped = 0;
        const seen = new Set<string>();
        for (const { household } of parsed.rows) {
          const key = household.externalId !== null ? `id:${household.externalId}` : `na:${household.headName}\u0000${household.address}`;
          if (seen.has(key) || alreadyImported(db, params.villageId, household)) {
            skipped++;
            continue;
          }
          seen.add(key);
          if (!dryRun) insertHousehold(db, params.villageId, household, audit.nowMs);
          created++;
        }
        if (!dryRun) recordAudit(db, audit, { action: "import", entity: "household", entityId: null, villageId: params.villageId, detail: { created, skipped, errors: parsed.errors.length, encoding: parsed.encoding } });
        return { created, skipped };
      });
      return c.json({ ...result, errors: parsed.errors, encoding: parsed.encoding, dryRun });
    },
  );
}
