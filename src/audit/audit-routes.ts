/**
 * The audit log over HTTP, for the staff's audit page: who did what, when, to which record, from
 * where. A township administrator reads any village or all of them (and the township's own rows);
 * a village administrator reads their own village only; clerks and kiosks read none of it.
 */
import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { Cursor, Day, Id, IdOut, Limit, toIso } from "../http/schemas.ts";
import type { Principal } from "../auth/principal.ts";
import { auditActorName } from "../auth/actor-names.ts";
import { DAY_MS } from "../shared/clock.ts";
import { shanghaiDayStartMs } from "../shared/calendar.ts";
import {
  allAuditScopes,
  auditRows,
  distinctAuditValues,
  redemptionIdsByReceipt,
  searchAuditKeys,
  type AuditFilter,
  type AuditKey,
  type AuditRow,
} from "./audit-search.ts";

export const AuditItemSchema = z.object({
  id: IdOut,
  at: z.string(),
  actorKind: z.enum(["user", "kiosk", "public", "system"]),
  actorId: z.string().nullable(),
  actorName: z
    .string()
    .nullable()
    .describe(
      "a user's display name or username, a kiosk's name; null for the public (a resident's card) and the system",
    ),
  villageId: IdOut.nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  detail: z.unknown().describe("what was written, as JSON; null when nothing"),
  address: z.string().nullable(),
});

/** Actions and entities are lower-case words as the code records them (`write_off`, `rule_template`). */
const Word = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]{0,39}$/, "must be an action or entity as listed by /api/audit/actions");
/** A username, or `kiosk:<id>`. */
const Actor = z
  .string()
  .regex(/^(?:kiosk:[1-9][0-9]{0,14}|[A-Za-z0-9_.-]{2,40})$/, "must be a username or kiosk:<id>");

const AuditQuery = z
  .strictObject({
    villageId: Id.optional(),
    actor: Actor.optional(),
    action: Word.optional(),
    entity: Word.optional(),
    entityId: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, "must be a record's id")
      .optional(),
    receiptNo: z
      .string()
      .regex(/^[1-9][0-9]{0,8}$/, "must be a receipt number")
      .transform(Number)
      .optional(),
    from: Day.optional(),
    to: Day.optional(),
    limit: Limit,
    cursor: Cursor,
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: "to must not be before from",
    path: ["to"],
    params: { code: "period-reversed" },
  })
  .refine((q) => q.entityId === undefined || q.entity !== undefined, {
    message: "an entityId needs its entity",
    path: ["entityId"],
    params: { code: "entity-id-needs-entity" },
  });

/**
 * The villages a caller searches: a village administrator their own (another village is not
 * found); a township administrator the one asked for, or every village and the township's rows.
 */
function scopeOf(
  db: Database,
  principal: Principal | null,
  villageId: number | undefined,
): (number | null)[] {
  if (principal?.kind !== "user") throw new ProblemError(403, "forbidden", "Staff only.");
  if (principal.role !== "township_admin") {
    if (villageId !== undefined && villageId !== principal.villageId)
      throw new ProblemError(404, "not-found", "No such village.");
    return [principal.villageId];
  }
  if (villageId === undefined) return allAuditScopes(db);
  if (db.query("SELECT 1 FROM villages WHERE id = ?").get(villageId) === null)
    throw new ProblemError(404, "not-found", "No such village.");
  return [villageId];
}

function encodeKey(key: AuditKey): string {
  return Buffer.from(`${key.atMs}.${key.id}`).toString("base64url");
}
function decodeKey(text: string): AuditKey | null {
  const match = /^(-?[0-9]{1,16})\.([1-9][0-9]{0,15})$/.exec(
    Buffer.from(text, "base64url").toString(),
  );
  return match === null ? null : { atMs: Number(match[1]), id: Number(match[2]) };
}

function parsedDetail(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function auditOut(db: Database, rows: readonly AuditRow[]): z.infer<typeof AuditItemSchema>[] {
  const names = new Map<string, string | null>();
  return rows.map((r) => {
    const who = `${r.actor_kind}:${r.actor_id ?? ""}`;
    if (!names.has(who)) names.set(who, auditActorName(db, r.actor_kind, r.actor_id));
    return {
      id: String(r.id),
      at: toIso(r.at_ms),
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      actorName: names.get(who) ?? null,
      villageId: r.village_id === null ? null : String(r.village_id),
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      detail: parsedDetail(r.detail),
      address: r.address,
    };
  });
}

export function registerAuditRoutes(api: Api): void {
  const admins = ["township_admin", "village_admin"] as const;

  api.route(
    {
      method: "get",
      path: "/api/audit",
      summary:
        "The audit log, newest first: filter by village (a village admin's own only), actor (a username or kiosk:<id>), action, entity and entityId, receiptNo (the rows of that redemption) and from..to (Asia/Shanghai days, both included)",
      tag: "audit",
      // The village is a filter here, not the route's subject: the handler keeps a village
      // administrator to their own (another village answers 404) and a clerk out (403).
      access: { roles: admins, village: "own" },
      query: AuditQuery,
      responses: {
        200: {
          description: "A page, newest first",
          schema: z.object({ items: z.array(AuditItemSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    ({ c, db, query, principal }) => {
      const villages = scopeOf(db, principal, query.villageId);
      const before = query.cursor === undefined ? null : decodeKey(query.cursor);
      if (query.cursor !== undefined && before === null)
        throw new ProblemError(
          400,
          "validation",
          "query.cursor: must be a cursor from nextCursor",
          [{ path: "query.cursor", message: "must be a cursor from nextCursor" }],
        );
      const filter: AuditFilter = { villages };
      if (query.action !== undefined) filter.action = query.action;
      if (query.entity !== undefined) filter.entity = query.entity;
      if (query.entityId !== undefined) filter.entityIds = [query.entityId];
      if (query.from !== undefined) filter.fromMs = shanghaiDayStartMs(query.from);
      if (query.to !== undefined) filter.toMs = shanghaiDayStartMs(query.to) + DAY_MS;
      if (query.actor !== undefined) {
        const kiosk = /^kiosk:([0-9]+)$/.exec(query.actor);
        const user =
          kiosk === null
            ? db
                .query<{ id: number }, [string]>("SELECT id FROM users WHERE username = ?")
                .get(query.actor)
            : null;
        // An unknown username finds nothing, as any filter that matches no row.
        filter.actor =
          kiosk !== null
            ? { kind: "kiosk", id: kiosk[1]! }
            : { kind: "user", id: user === null ? "0" : String(user.id) };
      }
      if (query.receiptNo !== undefined) {
        const ids = redemptionIdsByReceipt(db, villages, query.receiptNo);
        const wanted =
          query.entityId === undefined ? ids : ids.filter((id) => id === query.entityId);
        filter.entityIds =
          query.entity === undefined || query.entity === "redemption" ? wanted : [];
        filter.entity = "redemption";
      }
      const keys = searchAuditKeys(db, filter, before, query.limit + 1);
      const page = keys.slice(0, query.limit);
      const last = page[page.length - 1];
      return c.json({
        items: auditOut(db, auditRows(db, page)),
        nextCursor: keys.length > query.limit && last !== undefined ? encodeKey(last) : null,
      });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/audit/actions",
      summary:
        "The distinct actions and entities in the audit log the caller may read (one village, or all), for the audit page's pick lists",
      tag: "audit",
      access: { roles: admins, village: "own" },
      query: z.strictObject({ villageId: Id.optional() }),
      responses: {
        200: {
          description: "Sorted lists",
          schema: z.object({ actions: z.array(z.string()), entities: z.array(z.string()) }),
        },
      },
    },
    ({ c, db, query, principal }) => {
      const villages = scopeOf(db, principal, query.villageId);
      return c.json({
        actions: distinctAuditValues(db, "action", villages),
        entities: distinctAuditValues(db, "entity", villages),
      });
    },
  );
}
