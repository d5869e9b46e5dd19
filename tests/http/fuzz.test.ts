/**
 * No input a client can send causes a 500. fast-check generates requests for EVERY registered API
 * route (hostile path parameters, query strings, content types and bodies: wrong types, unknown
 * fields, huge numbers, deep nesting, control characters, invalid UTF-8), sends them as each kind
 * of caller, and checks that every answer is below 500 and, when it is an error, a problem+json.
 * A request that fails must change nothing: the audit log only grows on success.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import fc from "fast-check";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";
import type { Api } from "../../src/http/api.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;
let routes: Api["routes"];
let kioskToken = "";
let cardToken = "";

beforeAll(async () => {
  h = createHarness();
  s = await seedTwoVillages(h);
  const household = (
    await h.json("POST", `/api/villages/${s.villageA.id}/households`, {
      cookie: s.aAdmin,
      body: { headName: "张建华" },
    })
  ).body.household;
  cardToken = (await h.json("POST", `/api/households/${household.id}/cards`, { cookie: s.aAdmin }))
    .body.token;
  kioskToken = (
    await h.json("POST", `/api/villages/${s.villageA.id}/kiosks`, {
      cookie: s.aAdmin,
      body: { name: "超市" },
    })
  ).body.token;
  routes = (h.app as unknown as { api: Api }).api.routes;
});
afterAll(() => h.close());

const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "null",
    "true",
    "%00",
    "%",
    "%E4%B8",
    "../../etc/passwd",
    "1".repeat(40),
    "张建华",
    "\u0000",
    "\uFFFF",
    "🙂",
    "<script>",
    "' OR 1=1 --",
    "1",
    "2",
    "999999999999999",
  ),
);

const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 0, 1e308, 2 ** 53),
    hostileString,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        hostileString,
        fc.constantFrom(
          "name",
          "code",
          "headName",
          "points",
          "quantity",
          "items",
          "householdId",
          "ruleId",
          "villageId",
          "reason",
          "decision",
          "delta",
          "goodsId",
          "cardToken",
          "password",
          "username",
          "role",
          "members",
          "noticeDays",
        ),
      ),
      tie("value"),
      { maxKeys: 5 },
    ),
  ),
})).value;

const body = fc.oneof(
  jsonValue.map((v) => ({ raw: JSON.stringify(v) ?? "null", contentType: "application/json" })),
  fc.constantFrom(
    { raw: "{", contentType: "application/json" },
    { raw: '{"a":1}', contentType: "text/plain" },
    { raw: "户主\n张三\n", contentType: "text/csv" },
    { raw: "", contentType: "application/json" },
    { raw: "x", contentType: "image/png" },
    { raw: '{"__proto__":{"admin":true}}', contentType: "application/json" },
  ),
  fc
    .uint8Array({ maxLength: 64 })
    .map((bytes) => ({ raw: bytes, contentType: "application/json" })),
);

/** A header value an HTTP client can actually send: printable ASCII. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, "").trim();
}

test("no generated request to any route answers 500, and errors are problems", async () => {
  expect(routes.length).toBeGreaterThan(20);
  const callers = [
    { cookie: s.admin },
    { cookie: s.aClerk },
    { cookie: s.bAdmin },
    { token: kioskToken },
    {},
  ];
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: routes.length - 1 }),
      fc.array(hostileString, { minLength: 3, maxLength: 3 }),
      fc.dictionary(
        fc.constantFrom(
          "search",
          "limit",
          "cursor",
          "from",
          "to",
          "format",
          "status",
          "dryRun",
          "x",
        ),
        hostileString,
        { maxKeys: 3 },
      ),
      body,
      fc.nat({ max: callers.length - 1 }),
      fc.constantFrom("", cardToken),
      async (routeIndex, pathValues, query, b, callerIndex, token) => {
        const route = routes[routeIndex]!;
        // Signing out, disabling an account, changing its role or its password would end the
        // callers' sessions and turn the rest of the run into 401s; those routes are fuzzed
        // without a session.
        const endsSessions =
          route.path === "/api/auth/logout" ||
          route.path.startsWith("/api/users/:id") ||
          route.path === "/api/me/password";
        const caller = endsSessions ? {} : callers[callerIndex];
        let i = 0;
        const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
          encodeURIComponent(name === "token" && token ? token : (pathValues[i++ % 3] ?? "1")),
        );
        const qs = new URLSearchParams(query).toString();
        const auditBefore = h.db
          .query<{ n: number }, []>("SELECT count(*) AS n FROM audit_log")
          .get()!.n;
        const res = await h.request(route.method.toUpperCase(), path + (qs ? `?${qs}` : ""), {
          ...caller,
          raw: route.method === "get" ? undefined : b.raw,
          contentType: b.contentType,
          headers: { "idempotency-key": headerSafe(pathValues[0] ?? "") },
        });
        const text = await res.text();
        if (res.status >= 500)
          throw new Error(
            `${route.method.toUpperCase()} ${path}?${qs} → ${res.status} ${text.slice(0, 200)}`,
          );
        if (res.status >= 400) {
          // Pages and files outside /api (goods photos) answer the friendly HTML 404 instead.
          if (route.path.startsWith("/api/"))
            expect(res.headers.get("content-type")).toContain("application/problem+json");
          const auditAfter = h.db
            .query<{ n: number }, []>("SELECT count(*) AS n FROM audit_log")
            .get()!.n;
          // Failed sign-ins are recorded (login_failures), never in the audit log of writes.
          expect(auditAfter).toBe(auditBefore);
        }
      },
    ),
    { numRuns: 1500, seed: Number(process.env["FUZZ_SEED"] ?? 20261123) },
  );
}, 120_000);
