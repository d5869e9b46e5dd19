/** Inspection rounds over HTTP: make, copy, list, read, score cell by cell, submit, delete a draft. */
import type { Database } from "bun:sqlite";
import type { Context } from "hono";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import type { AppEnv } from "../http/env.ts";
import { Cursor, decodeCursor, IdOut, idParams, Id, keysetPage, Limit } from "../http/schemas.ts";
import {
  idempotencyKeyOf,
  keyedResponse,
  KeysInFlight,
  requestFingerprint,
} from "../http/idempotency.ts";
import { answerOnce } from "../idempotency/key-store.ts";
import { failureToProblem } from "../http/failure.ts";
import { actorIdOf, type Principal } from "../auth/principal.ts";
import { villageExists } from "../villages/village-store.ts";
import { unwrap } from "../ledger/http-result.ts";
import type { LedgerFailure } from "../ledger/refusal.ts";
import { assert } from "../shared/assert.ts";
import { ok } from "../shared/result.ts";
import {
  copyRound,
  createRound,
  deleteRound,
  scoreCell,
  submitRound,
  type RoundActor,
} from "./round.ts";
import { findRound, roundsPage, villageOfRound } from "./round-store.ts";
import {
  CopyRoundBody,
  CreateRoundBody,
  RoundDetailSchema,
  roundDetail,
  roundSummaries,
  roundSummary,
  RoundSummarySchema,
  ScoreBody,
  ScoreSchema,
  scoresOut,
} from "./round-schemas.ts";

const STAFF = ["township_admin", "village_admin", "clerk"] as const;
const IdempotencyHeader = z.object({ "Idempotency-Key": z.string().optional() });

function actorOfRequest(principal: Principal | null): RoundActor {
  assert(principal !== null && principal.kind === "user", "round routes are for signed-in staff");
  return { actorId: actorIdOf(principal), username: principal.username };
}

export function registerRoundRoutes(api: Api): void {
  const roundScope = ({ params }: { params: { id: number } }, db: Database) =>
    villageOfRound(db, params.id);
  const inFlight = new KeysInFlight();

  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/rounds",
      summary:
        "Make an inspection round (人居环境评比): a name, the day (not in the future), 1-20 active rules of the village (the grid's columns) and its households (default every household of the village, at most 2,000). It starts as a draft, scored cell by cell.",
      tag: "rounds",
      access: { roles: STAFF, village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      body: CreateRoundBody,
      responses: {
        201: { description: "The draft round", schema: z.object({ round: RoundSummarySchema }) },
        404: {
          description: "A rule or household that is not the village's (errors name the field)",
        },
        409: { description: "rule-retired, round-no-households, round-too-large" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const round = unwrap(
        createRound(db, audit, actorOfRequest(principal), {
          villageId: params.villageId,
          name: body.name,
          day: body.day,
          ruleIds: body.ruleIds.map(Number),
          ...(body.householdIds === undefined
            ? {}
            : { householdIds: body.householdIds.map(Number) }),
        }),
      );
      return c.json({ round: roundSummary(db, round) }, 201);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/rounds/:id/copy",
      summary:
        "Copy a round (the last month's, usually) into a new draft with the same rules and households; rules retired since are left out and listed in skippedRules",
      tag: "rounds",
      access: { roles: STAFF, village: roundScope },
      params: idParams("id"),
      body: CopyRoundBody,
      responses: {
        201: {
          description: "The new draft",
          schema: z.object({
            round: RoundSummarySchema,
            skippedRules: z.array(z.object({ ruleId: IdOut, code: z.string(), title: z.string() })),
          }),
        },
        409: { description: "round-rules-retired: every rule of the round was retired since" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const copied = unwrap(copyRound(db, audit, actorOfRequest(principal), params.id, body));
      return c.json(
        {
          round: roundSummary(db, copied.round),
          skippedRules: copied.skippedRules.map((r) => ({ ...r, ruleId: String(r.ruleId) })),
        },
        201,
      );
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/rounds",
      summary: "A village's rounds, newest (last made) first",
      tag: "rounds",
      access: { roles: STAFF, village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      query: z.strictObject({ limit: Limit, cursor: Cursor }),
      responses: {
        200: {
          description: "A page",
          schema: z.object({
            items: z.array(RoundSummarySchema),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    ({ c, db, params, query }) => {
      const rows = roundsPage(
        db,
        params.villageId,
        decodeCursor(query.cursor) ?? 0,
        query.limit + 1,
      );
      const { page, nextCursor } = keysetPage(rows, query.limit, (r) => r.id);
      return c.json({ items: roundSummaries(db, page), nextCursor });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/rounds/:id",
      summary:
        "One round: its rules (columns), its households (rows, in door-plate order) and every cell set so far",
      tag: "rounds",
      access: { roles: STAFF, village: roundScope },
      params: idParams("id"),
      responses: { 200: { description: "The round", schema: RoundDetailSchema } },
    },
    ({ c, db, params }) => c.json(roundDetail(db, findRound(db, params.id)!)),
  );

  api.route(
    {
      method: "put",
      path: "/api/rounds/:id/scores/:householdId/:ruleId",
      summary:
        "Set one cell of a draft round to exactly this: quantity 0-10 (0 clears it), an optional evidence photo and note. The same PUT twice leaves one cell, so a tablet may resend what it is not sure was saved.",
      tag: "rounds",
      access: { roles: STAFF, village: roundScope },
      params: z.strictObject({ id: Id, householdId: Id, ruleId: Id }),
      body: ScoreBody,
      responses: {
        200: { description: "The cell as stored", schema: z.object({ score: ScoreSchema }) },
        404: {
          description:
            "The household or rule is not in the round, or the evidence photo is not the village's",
        },
        409: {
          description: "round-submitted; rule-retired (a retired rule's cells can only be cleared)",
        },
      },
    },
    async ({ c, db, params, body, principal, audit, write }) => {
      const by = actorOfRequest(principal);
      const note =
        body.note === undefined || body.note === null || body.note === "" ? undefined : body.note;
      const evidenceId =
        body.evidenceId === undefined || body.evidenceId === null
          ? undefined
          : Number(body.evidenceId);
      const score = unwrap(
        await write(() =>
          scoreCell(db, audit, by, {
            roundId: params.id,
            householdId: params.householdId,
            ruleId: params.ruleId,
            quantity: body.quantity,
            ...(note === undefined ? {} : { note }),
            ...(evidenceId === undefined ? {} : { evidenceId }),
          }),
        ),
      );
      return c.json({ score: scoresOut(db, [score])[0]! });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/rounds/:id/submit",
      summary:
        "Submit a draft round: in one transaction, one ledger entry per scored cell (rule points × quantity, on the round's day, with the cell's note and photo), all under one batchId, recorded as the submitting staff member so the village's approval and notice apply (and four eyes at approval); the monthly cap applies (409 monthly-cap names the household and rule, nothing recorded). Nothing scored → 409 round-empty; already submitted → 409 round-submitted. With an optional Idempotency-Key, the same key replays the first 200.",
      tag: "rounds",
      access: { roles: STAFF, village: roundScope },
      params: idParams("id"),
      headers: IdempotencyHeader,
      responses: {
        200: {
          description: "Submitted (or the first answer to this Idempotency-Key, replayed)",
          schema: z.object({
            round: RoundSummarySchema,
            entries: z.number().int(),
            points: z.number().int(),
            entryIds: z.array(IdOut),
          }),
        },
        409: { description: "round-empty, round-submitted, monthly-cap, rule-retired" },
        422: { description: "idempotency-key-reused" },
      },
    },
    async ({ c, db, params, principal, audit, write }) =>
      submit(c, db, params.id, principal, audit, write, inFlight),
  );

  api.route(
    {
      method: "delete",
      path: "/api/rounds/:id",
      summary:
        "Delete a draft round and its cells; a submitted round stays (409 round-submitted): undo its batch instead",
      tag: "rounds",
      access: { roles: STAFF, village: roundScope },
      params: idParams("id"),
      responses: { 204: { description: "Deleted" }, 409: { description: "round-submitted" } },
    },
    ({ c, db, params, audit }) => {
      unwrap(deleteRound(db, audit, params.id));
      return c.body(null, 204);
    },
  );
}

async function submit(
  c: Context<AppEnv>,
  db: Database,
  roundId: number,
  principal: Principal | null,
  audit: Parameters<typeof submitRound>[1],
  write: <T>(useCase: () => T) => Promise<T>,
  inFlight: KeysInFlight,
): Promise<Response> {
  const by = actorOfRequest(principal);
  const key = idempotencyKeyOf(c.req.header("idempotency-key"), false, "request");
  const keyed =
    key === null
      ? null
      : {
          caller: by.actorId,
          key,
          fingerprint: requestFingerprint("POST", `/api/rounds/${roundId}/submit`, null),
        };
  const run = () =>
    write(() =>
      answerOnce<LedgerFailure>(
        db,
        keyed,
        audit.nowMs,
        () => {
          const submitted = submitRound(db, audit, by, roundId);
          if (!submitted.ok) return submitted;
          const { round, entries, points, entryIds } = submitted.value;
          return ok({
            json: JSON.stringify({
              round: roundSummary(db, round),
              entries,
              points,
              entryIds: entryIds.map(String),
            }),
          });
        },
        200,
      ),
    );
  const result = await (keyed === null ? run() : inFlight.hold(keyed.caller, keyed.key, run));
  if (!result.ok) throw failureToProblem(result);
  return keyedResponse(c, result.value, 200);
}
