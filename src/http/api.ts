import type { Database } from "bun:sqlite";
import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import type { Actor, Principal } from "../auth/principal.ts";
import { actorOf } from "../auth/principal.ts";
import {
  principalFromDeviceToken,
  principalFromSession,
  SESSION_COOKIE,
} from "../auth/sessions.ts";
import type { AuditContext } from "../audit/audit.ts";
import type { Clock } from "../shared/clock.ts";
import type { AppEnv } from "./env.ts";
import { ProblemError, type ProblemReason } from "./problem.ts";
import { readBody, type BodyKind } from "./body.ts";
import { zodIssuesToErrors } from "./zod-errors.ts";
import { loginLocation, prefersHtml } from "./login-redirect.ts";
import { assert } from "../shared/assert.ts";
import { groupCommitFor, type GroupCommit } from "../db/group-commit.ts";

/**
 * Every API route is declared through `Api.route`, which is the one place where sign-in, roles,
 * village tenancy and input validation are enforced, and from which the OpenAPI document is
 * generated. A route cannot be registered without saying who may call it and which village its
 * data belongs to, so no route can forget the check.
 */

export type HttpMethod = "get" | "post" | "patch" | "put" | "delete";

/** Which village a request touches: its id, `null` when the thing does not exist (404), or
 * `"township"` when it is not village data (only a township administrator may then proceed). */
export type VillageScope = number | null | "township";

export type RouteInput<P, Q, B> = { params: P; query: Q; body: B };

export type Access<P, Q, B> =
  | { public: true }
  | {
      roles: readonly Actor[];
      /** "own" means the route is not about one village's data and scopes its own answer to the
       * caller (e.g. listing villages); everything else names the village it touches. */
      village: "own" | ((input: RouteInput<P, Q, B>, db: Database) => VillageScope);
    };

export type ResponseSpec = { description: string; schema?: z.ZodType; contentType?: string };

export type RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  access: Access<z.output<P>, z.output<Q>, z.output<B>>;
  params?: P;
  query?: Q;
  body?: B;
  bodyKind?: BodyKind;
  maxBodyBytes?: number;
  headers?: z.ZodObject;
  responses: Record<number, ResponseSpec>;
};

export type RouteContext<P, Q, B> = RouteInput<P, Q, B> & {
  c: Context<AppEnv>;
  db: Database;
  nowMs: number;
  /** Present on every route that is not public. */
  principal: Principal | null;
  audit: AuditContext;
  /** Runs a synchronous write use case in the next group commit and answers after it is durable
   * (see src/db/group-commit.ts). Hot write routes use it instead of their own transaction. */
  write: <T>(useCase: () => T) => Promise<T>;
};

export type Handler<P, Q, B> = (ctx: RouteContext<P, Q, B>) => Response | Promise<Response>;

type Registered = {
  method: HttpMethod;
  path: string;
  pattern: RegExp;
  spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>;
};

export const MAX_BODY_BYTES = 1024 * 1024;

const EMPTY = z.strictObject({});

export class Api {
  readonly routes: Registered[] = [];
  private readonly groupCommit: GroupCommit;

  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly db: Database,
    private readonly clock: Clock,
    /** Check every JSON answer against its declared schema (tests), so the OpenAPI document
     * cannot drift from what the handlers return. */
    private readonly validateResponses: boolean = false,
  ) {
    this.groupCommit = groupCommitFor(db);
  }

  route<
    P extends z.ZodType = typeof EMPTY,
    Q extends z.ZodType = typeof EMPTY,
    B extends z.ZodType = typeof EMPTY,
  >(spec: RouteSpec<P, Q, B>, handler: Handler<z.output<P>, z.output<Q>, z.output<B>>): void {
    const { db, clock, validateResponses, groupCommit } = this;
    const write = <T>(useCase: () => T): Promise<T> => groupCommit.run(useCase);
    const paramsSchema: z.ZodType | undefined = spec.params;
    const querySchema: z.ZodType = spec.query ?? EMPTY;
    const bodySchema: z.ZodType | undefined = spec.body;
    const bodyKind: BodyKind = spec.bodyKind ?? (bodySchema ? "json" : "none");
    // A page (an HTML answer) sends a browser without a session to sign in and back.
    const servesPage = spec.responses[200]?.contentType?.startsWith("text/html") === true;
    this.routes.push({
      method: spec.method,
      path: spec.path,
      pattern: new RegExp("^" + spec.path.replace(/:[A-Za-z]+/g, "[^/]+") + "$"),
      spec: spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>,
    });

    this.app.on(spec.method.toUpperCase(), spec.path, async function apiRoute(c) {
      const nowMs = clock.nowMs();
      const principal = authenticate(c, db, nowMs);
      if (!("public" in spec.access) && principal === null) {
        if (servesPage && prefersHtml(c.req.header("accept"))) {
          const url = new URL(c.req.url);
          return c.redirect(loginLocation(url.pathname + url.search), 302);
        }
        throw new ProblemError(
          401,
          "unauthenticated",
          "Sign in first, or send a valid device token.",
        );
      }

      // A route without params or a query schema takes none: nothing to parse (EMPTY of {} is {}).
      const params = paramsSchema ? parseOrThrow(paramsSchema, c.req.param(), "params") : {};
      // Most requests carry no query string: the URL is parsed only when there is one, and a
      // stray one on a route that takes none is still refused by EMPTY, which is strict.
      const url = c.req.url;
      const hasQuery = url.includes("?");
      const query =
        spec.query || hasQuery
          ? parseOrThrow(
              querySchema,
              hasQuery ? Object.fromEntries(new URL(url).searchParams) : {},
              "query",
            )
          : {};
      const raw = await readBody(c, bodyKind, spec.maxBodyBytes ?? MAX_BODY_BYTES);
      const body = bodySchema ? parseOrThrow(bodySchema, raw, "body") : raw;
      const input = { params, query, body } as RouteInput<z.output<P>, z.output<Q>, z.output<B>>;

      if (!("public" in spec.access) && principal !== null) {
        authorize(principal, spec.access, input, db);
      }
      const addressOf = c.get("clientAddress");
      const audit: AuditContext = {
        actorKind: principal === null ? "public" : principal.kind,
        actorId:
          principal === null
            ? null
            : principal.kind === "kiosk"
              ? String(principal.kioskId)
              : String(principal.userId),
        get address() {
          return addressOf();
        },
        requestId: c.get("requestId"),
        nowMs,
      };
      const response = await handler({ ...input, c, db, nowMs, principal, audit, write });
      if (validateResponses) await checkResponse(spec, response);
      return response;
    });
  }

  /** The methods registered for a path, for a 405 with `Allow`. */
  methodsFor(path: string): string[] {
    return this.routes.filter((r) => r.pattern.test(path)).map((r) => r.method.toUpperCase());
  }
}

async function checkResponse(
  spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>,
  response: Response,
): Promise<void> {
  const declared = spec.responses[response.status];
  assert(
    declared !== undefined,
    `${spec.method.toUpperCase()} ${spec.path} answered ${response.status}, which it does not declare`,
  );
  const type = response.headers.get("content-type") ?? "";
  if (declared.schema === undefined || !type.includes("json")) return;
  const parsed = declared.schema.safeParse(await response.clone().json());
  assert(
    parsed.success,
    `${spec.method.toUpperCase()} ${spec.path} ${response.status} does not match its declared schema: ${parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))}`,
  );
}

function authenticate(c: Context<AppEnv>, db: Database, nowMs: number): Principal | null {
  const authorization = c.req.header("authorization");
  if (authorization !== undefined) {
    const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(authorization);
    const principal = match?.[1] ? principalFromDeviceToken(db, match[1], nowMs) : null;
    if (principal === null)
      throw new ProblemError(
        401,
        "unauthenticated",
        "The device token is not valid or was revoked.",
      );
    return principal;
  }
  const token = getCookie(c, SESSION_COOKIE);
  if (token === undefined || token.length > 100) return null;
  return principalFromSession(db, token, nowMs);
}

function authorize<P, Q, B>(
  principal: Principal,
  access: Exclude<Access<P, Q, B>, { public: true }>,
  input: RouteInput<P, Q, B>,
  db: Database,
): void {
  const actor = actorOf(principal);
  if (access.village !== "own") {
    const scope = access.village(input, db);
    if (scope === null) throw new ProblemError(404, "not-found", "No such record.");
    if (actor !== "township_admin") {
      if (scope === "township")
        throw new ProblemError(
          403,
          "forbidden",
          "Only a township administrator may do this.",
          undefined,
          undefined,
          { code: "township-admin-only", params: {} },
        );
      // Another village's data answers 404: staff of one village do not learn what exists elsewhere.
      if (scope !== principal.villageId)
        throw new ProblemError(404, "not-found", "No such record.");
    }
  }
  if (!access.roles.includes(actor)) {
    throw new ProblemError(
      403,
      "forbidden",
      `The role ${actor} may not do this.`,
      undefined,
      undefined,
      { code: "role-may-not", params: { role: actor } },
    );
  }
}

function parseOrThrow(
  schema: z.ZodType,
  value: unknown,
  where: "params" | "query" | "body",
): unknown {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const errors = zodIssuesToErrors(parsed.error.issues, where);
    throw new ProblemError(
      400,
      "validation",
      errors.map((e) => `${e.path}: ${e.message}`).join("; "),
      errors,
      undefined,
      becauseOfIssues(parsed.error.issues, where),
    );
  }
  return parsed.data;
}

/**
 * What a refused input means, for a page to say in its own words (from the first issue, the one
 * `errors` lists first): a rule a schema states across fields (a period's end before its start)
 * names its code as `params: { code }` on its refinement; any other refusal is `invalid-field`, naming the field, the rule it broke (zod's
 * issue code: too_small, too_big, invalid_type, …) and its limit, so "at most 30" can be said
 * beside the field without parsing English.
 */
function becauseOfIssues(
  issues: readonly z.core.$ZodIssue[],
  where: string,
): ProblemReason | undefined {
  const first = issues[0];
  if (first === undefined) return undefined;
  const code =
    first.code === "custom" ? (first.params as { code?: unknown } | undefined)?.code : undefined;
  if (typeof code === "string") return { code, params: {} };
  const params: Record<string, string | number> = {
    field: zodIssuesToErrors([first], where)[0]!.path,
    rule: first.code,
  };
  if (first.code === "too_big" && typeof first.maximum === "number") params["max"] = first.maximum;
  if (first.code === "too_small" && typeof first.minimum === "number")
    params["min"] = first.minimum;
  return { code: "invalid-field", params };
}
