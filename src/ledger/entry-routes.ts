import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import type { Principal } from "../auth/principal.ts";
import {
  Cursor,
  decodeCursor,
  Id,
  IdOut,
  idParams,
  keysetPage,
  Limit,
  toIso,
} from "../http/schemas.ts";
import { villageExists } from "../villages/village-store.ts";
import { assert } from "../shared/assert.ts";
import { villageOfHousehold } from "../villages/household-store.ts";
import {
  approveEntry,
  objectToEntry,
  recordBatch,
  recordEntry,
  rejectEntry,
  resolveObjection,
  reverseEntry,
  undoBatch,
  villageOfBatch,
  type StaffRef,
} from "./entry.ts";
import { findEntry } from "./entry-store.ts";
import {
  BatchBody,
  CreateEntryBody,
  ENTRY_STATUSES,
  EntrySchema,
  entriesOut,
  IdIn,
  Reason,
} from "./entry-schemas.ts";
import { entryView, entryViews, householdEntries, villageEntries } from "./history.ts";
import { villageObjections } from "./objections.ts";
import { unwrap } from "./http-result.ts";
import type { LedgerFailure, LedgerResult } from "./refusal.ts";
import { ok } from "../shared/result.ts";
import {
  idempotencyKeyOf,
  keyedResponse,
  KeysInFlight,
  requestFingerprint,
} from "../http/idempotency.ts";
import { answerOnce, type KeyedRequest } from "../idempotency/key-store.ts";
import { failureToProblem } from "../http/failure.ts";
import { actorIdOf } from "../auth/principal.ts";
import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";
import { postDueEntries } from "./posting.ts";
import { findRule } from "./rule.ts";
import { objectionLimiterFor } from "./objection-limit.ts";

const EntryResponse = z.object({ entry: EntrySchema });
const Page = z.object({ items: z.array(EntrySchema), nextCursor: z.string().nullable() });

function staffOf(principal: Principal | null): StaffRef {
  assert(principal !== null && principal.kind === "user", "entry routes are for signed-in staff");
  return { username: principal.username };
}

function one(db: Database, id: number): z.infer<typeof EntrySchema> {
  return entriesOut(db, [entryView(db, id)!])[0]!;
}

/** An optional Idempotency-Key makes a retried award or batch count once (src/idempotency/key-store.ts). */
const KEY_HEADER = "idempotency-key";
const IdempotencyHeader = z.object({ "Idempotency-Key": z.string().optional() });

function keyedRequest(
  c: Context<AppEnv>,
  principal: Principal | null,
  path: string,
  body: unknown,
): KeyedRequest | null {
  const key = idempotencyKeyOf(c.req.header(KEY_HEADER), false, "request");
  return key === null
    ? null
    : { caller: actorIdOf(principal!), key, fingerprint: requestFingerprint("POST", path, body) };
}

export function registerEntryRoutes(api: Api): void {
  const staff = ["township_admin", "village_admin", "clerk"] as const;
  const inFlight = new KeysInFlight();
  /**
   * Records in the next group commit, under the request's Idempotency-Key if it came with one (a
   * duplicate still running is a 409), and answers `status` (201 unless said): `record` gives the
   * body as JSON text.
   */
  const recordOnce = async (
    c: Context<AppEnv>,
    keyed: KeyedRequest | null,
    write: <T>(useCase: () => T) => Promise<T>,
    db: Database,
    nowMs: number,
    record: () => LedgerResult<string>,
    status: 200 | 201 = 201,
  ): Promise<Response> => {
    const run = () =>
      write(() =>
        answerOnce<LedgerFailure>(
          db,
          keyed,
          nowMs,
          () => {
            const recorded = record();
            return recorded.ok ? { ok: true, value: { json: recorded.value } } : recorded;
          },
          status,
        ),
      );
    const result = await (keyed === null ? run() : inFlight.hold(keyed.caller, keyed.key, run));
    if (!result.ok) throw failureToProblem(result);
    return keyedResponse(c, result.value, status);
  };
  const committee = ["township_admin", "village_admin"] as const;
  const entryScope = ({ params }: { params: { id: number } }, db: Database) =>
    findEntry(db, params.id)?.village_id ?? null;
  const toIds = (xs: readonly number[]): number[] => xs.map(Number);

  api.route(
    {
      method: "post",
      path: "/api/entries",
      summary:
        "Record an award or deduction (points = rule points × quantity). Posted at once when the village has noticeDays 0 and no approval; else proposed or in_notice. claim: true records a villager's claim (申报): always proposed, approved by another staff member. With an optional Idempotency-Key, the same key and body replay the first 201 (a retry after a lost answer records nothing twice); another body → 422; the same key still being processed → 409 with Retry-After.",
      tag: "entries",
      access: {
        roles: staff,
        village: ({ body }, db) => villageOfHousehold(db, Number(body.householdId)),
      },
      body: CreateEntryBody,
      headers: IdempotencyHeader,
      responses: {
        201: {
          description: "Recorded (or the first answer to this Idempotency-Key, replayed)",
          schema: EntryResponse,
        },
        409: {
          description:
            "The rule is retired, or the monthly cap would be passed (the detail names the cap)",
        },
        422: { description: "idempotency-key-reused" },
      },
    },
    async ({ c, db, body, principal, audit, write }) => {
      const by = staffOf(principal);
      const keyed = keyedRequest(c, principal, "/api/entries", body);
      const input = {
        ...body,
        householdId: Number(body.householdId),
        ruleId: Number(body.ruleId),
        memberId: body.memberId === undefined ? undefined : Number(body.memberId),
        evidenceId: body.evidenceId === undefined ? undefined : Number(body.evidenceId),
      };
      // Awards recorded together share one durable commit (src/db/group-commit.ts); the answer waits for it.
      return recordOnce(c, keyed, write, db, audit.nowMs, () => {
        const recorded = recordEntry(db, audit, by, input);
        if (!recorded.ok) return recorded;
        // Answered from the row the use case read back: a new entry has no reversal yet.
        return ok(
          JSON.stringify({
            entry: entriesOut(db, [
              { ...recorded.value, reversed_by_id: null, is_claim: input.claim ? 1 : 0 },
            ])[0]!,
          }),
        );
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/entries/batch",
      summary:
        "Record one rule for many households of its village: all entries or none, under one batchId (undo them together with POST /api/entries/batches/:batchId/undo). claim: true records claims; evidenceId names one evidence photo for all. An optional Idempotency-Key works as on POST /api/entries.",
      tag: "entries",
      access: {
        roles: staff,
        village: ({ body }, db) => findRule(db, Number(body.ruleId))?.village_id ?? null,
      },
      body: BatchBody,
      headers: IdempotencyHeader,
      responses: {
        201: {
          description: "Recorded (or the first answer to this Idempotency-Key, replayed)",
          schema: z.object({ entries: z.array(EntrySchema), batchId: z.string() }),
        },
        422: { description: "idempotency-key-reused" },
      },
    },
    async ({ c, db, body, principal, audit, write }) => {
      const by = staffOf(principal);
      const keyed = keyedRequest(c, principal, "/api/entries/batch", body);
      return recordOnce(c, keyed, write, db, audit.nowMs, () => {
        const recorded = recordBatch(db, audit, by, {
          ...body,
          ruleId: Number(body.ruleId),
          householdIds: toIds(body.householdIds.map(Number)),
          evidenceId: body.evidenceId === undefined ? undefined : Number(body.evidenceId),
        });
        if (!recorded.ok) return recorded;
        const entries = recorded.value;
        return ok(
          JSON.stringify({
            entries: entries.map((e) => one(db, e.id)),
            batchId: String(entries[0]?.batch_id ?? ""),
          }),
        );
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/entries/:id/approve",
      summary:
        "Approve a proposed entry (never by the staff member who recorded it): it goes on notice, or is posted when the village has no notice",
      tag: "entries",
      access: { roles: committee, village: entryScope },
      params: idParams("id"),
      responses: {
        200: { description: "Approved", schema: EntryResponse },
        403: { description: "The recorder may not approve" },
        409: { description: "Not proposed" },
      },
    },
    ({ c, db, params, principal, audit }) => {
      unwrap(approveEntry(db, audit, staffOf(principal), params.id));
      return c.json({ entry: one(db, params.id) });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/entries/:id/reject",
      summary: "Reject a proposed entry, or one still on notice",
      tag: "entries",
      access: { roles: committee, village: entryScope },
      params: idParams("id"),
      body: z.strictObject({ reason: Reason }),
      responses: { 200: { description: "Rejected", schema: EntryResponse } },
    },
    ({ c, db, params, body, principal, audit }) => {
      unwrap(rejectEntry(db, audit, staffOf(principal), params.id, body.reason));
      return c.json({ entry: one(db, params.id) });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/entries/:id/resolve",
      summary:
        "Decide a disputed entry: uphold (back on notice for what remains, or posted) or revoke",
      tag: "entries",
      access: { roles: committee, village: entryScope },
      params: idParams("id"),
      body: z.strictObject({ decision: z.enum(["uphold", "revoke"]), reason: Reason }),
      responses: { 200: { description: "Decided", schema: EntryResponse } },
    },
    ({ c, db, params, body, principal, audit }) => {
      unwrap(
        resolveObjection(db, audit, staffOf(principal), params.id, body.decision, body.reason),
      );
      return c.json({ entry: one(db, params.id) });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/entries/:id/reverse",
      summary:
        "Undo a posted entry with a reversal entry of the opposite points, once; a redemption is voided at the supermarket instead",
      tag: "entries",
      access: { roles: committee, village: entryScope },
      params: idParams("id"),
      body: z.strictObject({ reason: Reason }),
      responses: {
        201: { description: "The reversal entry", schema: EntryResponse },
        409: { description: "Already reversed, not posted, or a redemption" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const reversal = unwrap(reverseEntry(db, audit, staffOf(principal), params.id, body.reason));
      return c.json({ entry: one(db, reversal.id) }, 201);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/entries/batches/:batchId/undo",
      summary:
        "Undo a batch in one step: each posted entry gets its reversal, each proposed, in_notice or disputed one is rejected with the reason; entries already reversed or rejected are left alone. By the staff member who recorded it, or a village or township administrator. Nothing left to undo → 409. An optional Idempotency-Key works as on POST /api/entries.",
      tag: "entries",
      access: { roles: staff, village: ({ params }, db) => villageOfBatch(db, params.batchId) },
      params: z.strictObject({
        batchId: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,100}$/, "must be a batchId from POST /api/entries/batch"),
      }),
      body: z.strictObject({ reason: Reason }),
      headers: IdempotencyHeader,
      responses: {
        200: {
          description:
            "Undone (or the first answer to this Idempotency-Key, replayed): how many entries were reversed and withdrawn, and each reversal and withdrawn entry",
          schema: z.object({
            reversed: z.number().int(),
            withdrawn: z.number().int(),
            entries: z.array(EntrySchema),
          }),
        },
        403: { description: "A clerk undoing another staff member's batch" },
        409: { description: "Nothing left to undo" },
        422: { description: "idempotency-key-reused" },
      },
    },
    async ({ c, db, params, body, principal, audit, write }) => {
      const by = staffOf(principal);
      const role = principal!.kind === "user" ? principal!.role : null;
      const undoer = {
        ...by,
        mayUndoOthers: role === "village_admin" || role === "township_admin",
      };
      const keyed = keyedRequest(c, principal, `/api/entries/batches/${params.batchId}/undo`, body);
      return recordOnce(
        c,
        keyed,
        write,
        db,
        audit.nowMs,
        () => {
          const undone = undoBatch(db, audit, undoer, params.batchId, body.reason);
          if (!undone.ok) return undone;
          const { reversedIds, withdrawnIds } = undone.value;
          const entries = entriesOut(db, entryViews(db, [...reversedIds, ...withdrawnIds]));
          return ok(
            JSON.stringify({
              reversed: reversedIds.length,
              withdrawn: withdrawnIds.length,
              entries,
            }),
          );
        },
        200,
      );
    },
  );

  const ObjectionSchema = z.object({
    id: IdOut,
    entryId: IdOut,
    reason: z.string(),
    createdAt: z.string(),
    entry: EntrySchema,
  });
  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/objections",
      summary:
        "A village's objections from residents, newest first: status=open (default: the entry is still disputed) or all; optionally of one household",
      tag: "entries",
      access: { roles: staff, village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      query: z.strictObject({
        status: z.enum(["open", "all"]).default("open"),
        householdId: Id.optional(),
        limit: Limit,
        cursor: Cursor,
      }),
      responses: {
        200: {
          description: "A page",
          schema: z.object({ items: z.array(ObjectionSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    ({ c, db, params, query, nowMs }) => {
      postDueEntries(db, nowMs);
      const filter = { open: query.status === "open", householdId: query.householdId };
      const rows = villageObjections(
        db,
        params.villageId,
        filter,
        decodeCursor(query.cursor) ?? 0,
        query.limit + 1,
      );
      const { page, nextCursor } = keysetPage(rows, query.limit, (r) => r.id);
      const entries = new Map(
        entriesOut(db, entryViews(db, [...new Set(page.map((o) => o.entry_id))])).map((e) => [
          e.id,
          e,
        ]),
      );
      const items = page.map((o) => ({
        id: String(o.id),
        entryId: String(o.entry_id),
        reason: o.reason,
        createdAt: toIso(o.created_at_ms),
        entry: entries.get(String(o.entry_id))!,
      }));
      return c.json({ items, nextCursor });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/entries/:id",
      summary: "One entry",
      tag: "entries",
      access: { roles: staff, village: entryScope },
      params: idParams("id"),
      responses: { 200: { description: "The entry", schema: EntryResponse } },
    },
    ({ c, db, params, nowMs }) => {
      postDueEntries(db, nowMs);
      return c.json({ entry: one(db, params.id) });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/households/:id/entries",
      summary: "A household's entries, newest first; balanceAfter on posted entries",
      tag: "entries",
      access: { roles: staff, village: ({ params }, db) => villageOfHousehold(db, params.id) },
      params: idParams("id"),
      query: z.strictObject({ limit: Limit, cursor: Cursor }),
      responses: { 200: { description: "A page", schema: Page } },
    },
    ({ c, db, params, query, nowMs }) => {
      // Post what is due first, so the balances shown are never behind the notice periods.
      postDueEntries(db, nowMs);
      const rows = householdEntries(
        db,
        params.id,
        decodeCursor(query.cursor) ?? 0,
        query.limit + 1,
      );
      const { page, nextCursor } = keysetPage(rows, query.limit, (r) => r.id);
      return c.json({ items: entriesOut(db, page), nextCursor });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/entries",
      summary:
        "A village's entries, newest first, optionally in one status (the committee's review queue: status=proposed or disputed)",
      tag: "entries",
      access: { roles: staff, village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      query: z.strictObject({
        status: z.enum(ENTRY_STATUSES).optional(),
        limit: Limit,
        cursor: Cursor,
      }),
      responses: { 200: { description: "A page", schema: Page } },
    },
    ({ c, db, params, query, nowMs }) => {
      postDueEntries(db, nowMs);
      const rows = villageEntries(
        db,
        params.villageId,
        query.status,
        decodeCursor(query.cursor) ?? 0,
        query.limit + 1,
      );
      const { page, nextCursor } = keysetPage(rows, query.limit, (r) => r.id);
      return c.json({ items: entriesOut(db, page), nextCursor });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/public/cards/:token/objections",
      summary:
        "Object to an entry on public notice in the card's village; the entry becomes disputed. Rate-limited per client address.",
      tag: "public",
      access: { public: true },
      params: z.strictObject({ token: z.string().min(1).max(100) }),
      body: z.strictObject({ entryId: IdIn, reason: Reason }),
      responses: {
        201: {
          description: "Recorded",
          schema: z.object({ objectionId: IdOut, entryId: IdOut, status: z.string() }),
        },
        409: { description: "The entry is not on notice (its notice ended, or it was decided)" },
      },
    },
    ({ c, db, params, body, audit }) => {
      objectionLimiterFor(db).enforce(
        audit.address,
        audit.nowMs,
        "Too many objections from this address.",
      );
      const result = unwrap(
        objectToEntry(db, audit, {
          cardToken: params.token,
          entryId: Number(body.entryId),
          reason: body.reason,
        }),
      );
      return c.json(
        {
          objectionId: String(result.objectionId),
          entryId: String(result.entry.id),
          status: result.entry.status,
        },
        201,
      );
    },
  );
}
