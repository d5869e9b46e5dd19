/**
 * Proves every failure the contract names comes back as an RFC 9457 problem with the right status
 * and slug: malformed JSON, unknown fields, wrong types, unknown routes, wrong methods, non-JSON
 * writes, oversized bodies, and that an unexpected error is a bare 500 that leaks nothing.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
let admin: string;
beforeEach(async () => {
  h = createHarness();
  admin = await h.login("admin");
});
afterEach(() => h.close());

async function expectProblem(res: Response, status: number, slug: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as { type: string; title: string; status: number };
  expect(body.type.endsWith(`/${slug}`)).toBe(true);
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe("string");
  return body;
}

test("answers malformed JSON with a 400 validation problem", async () => {
  await expectProblem(
    await h.request("POST", "/api/villages", {
      cookie: admin,
      raw: '{"name": "东河村",',
      contentType: "application/json",
    }),
    400,
    "validation",
  );
});

test.each([
  [{ name: "东河村", code: "DH", extra: true }, "unknown field"],
  [{ name: 5, code: "DH" }, "body.name"],
  [{ code: "DH" }, "body.name"],
  [{ name: "东河村", code: "has space" }, "body.code"],
  [[], "body"],
  ["string", "body"],
  [null, "body"],
])("refuses the village body %j with errors that name the field", async (body, mention) => {
  const problem = (await expectProblem(
    await h.request("POST", "/api/villages", {
      cookie: admin,
      raw: JSON.stringify(body),
      contentType: "application/json",
    }),
    400,
    "validation",
  )) as unknown as { errors: { path: string; message: string }[] };
  expect(JSON.stringify(problem.errors)).toContain(mention);
  expect(h.db.query("SELECT count(*) AS n FROM villages").get()).toEqual({ n: 0 });
});

test("answers an unknown API route with 404 and a wrong method with 405 and Allow", async () => {
  await expectProblem(
    await h.request("GET", "/api/nothing-here", { cookie: admin }),
    404,
    "not-found",
  );
  const res = await h.request("DELETE", "/api/villages", { cookie: admin });
  expect(res.headers.get("allow")).toContain("POST");
  await expectProblem(res, 405, "method-not-allowed");
});

test("refuses a write whose body is not JSON with 415", async () => {
  await expectProblem(
    await h.request("POST", "/api/villages", {
      cookie: admin,
      raw: "name=x&code=y",
      contentType: "application/x-www-form-urlencoded",
    }),
    415,
    "unsupported-media-type",
  );
  await expectProblem(
    await h.request("POST", "/api/villages", { cookie: admin, raw: '{"name":"x","code":"y"}' }),
    415,
    "unsupported-media-type",
  );
});

test("refuses a body over 1 MiB with 413 and writes nothing", async () => {
  const big = JSON.stringify({ name: "x".repeat(1024 * 1024 + 10), code: "BIG" });
  await expectProblem(
    await h.request("POST", "/api/villages", {
      cookie: admin,
      raw: big,
      contentType: "application/json",
    }),
    413,
    "too-large",
  );
  expect(h.db.query("SELECT count(*) AS n FROM villages").get()).toEqual({ n: 0 });
});

test("reads a body by its declared Content-Length, and an empty one is a 400, not a 500", async () => {
  // Real clients declare the length; the server reads such a body in one piece (src/http/body.ts).
  const raw = JSON.stringify({ name: "东河村", code: "DH" });
  const created = await h.request("POST", "/api/villages", {
    cookie: admin,
    raw,
    contentType: "application/json",
    headers: { "content-length": String(Buffer.byteLength(raw)) },
  });
  expect(created.status).toBe(201);
  await expectProblem(
    await h.request("POST", "/api/villages", {
      cookie: admin,
      raw: "",
      contentType: "application/json",
      headers: { "content-length": "0" },
    }),
    400,
    "validation",
  );
  expect(h.db.query("SELECT count(*) AS n FROM villages").get()).toEqual({ n: 1 });
});

test("refuses a body that is not valid UTF-8", async () => {
  await expectProblem(
    await h.request("POST", "/api/villages", {
      cookie: admin,
      raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      contentType: "application/json",
    }),
    400,
    "validation",
  );
});

test("answers requests without a session with 401 and a bad device token with 401", async () => {
  await expectProblem(await h.request("GET", "/api/villages"), 401, "unauthenticated");
  await expectProblem(
    await h.request("GET", "/api/villages", { token: "x".repeat(43) }),
    401,
    "unauthenticated",
  );
  await expectProblem(
    await h.request("GET", "/api/villages", { headers: { authorization: "Basic abc" } }),
    401,
    "unauthenticated",
  );
});

test("answers a bad path id with 400, not 500", async () => {
  await expectProblem(
    await h.request("GET", "/api/villages/abc", { cookie: admin }),
    400,
    "validation",
  );
  await expectProblem(
    await h.request("GET", "/api/villages/99999999999999999999", { cookie: admin }),
    400,
    "validation",
  );
  await expectProblem(
    await h.request("GET", "/api/villages/42", { cookie: admin }),
    404,
    "not-found",
  );
});

test("serves the OpenAPI 3.1 document with every API route and the docs page with local assets", async () => {
  const doc = (await (await h.request("GET", "/api/openapi.json")).json()) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toContain("/api/villages/{villageId}/households");
  expect(doc.paths["/api/auth/login"]?.["post"]).toBeDefined();
  const docs = await (await h.request("GET", "/api/docs")).text();
  expect(docs).toContain("/api/docs/assets/swagger-ui-bundle.js");
  expect(docs).not.toMatch(/https?:\/\//);
  const js = await h.request("GET", "/api/docs/assets/swagger-ui-bundle.js");
  expect(js.status).toBe(200);
  expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
});

test("answers /healthz with ok", async () => {
  const res = await h.request("GET", "/healthz");
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});

test("an unexpected error is logged and answered with a bare 500 problem that leaks nothing", async () => {
  const errors: string[] = [];
  const original = console.error;
  console.error = (line: string) => errors.push(line);
  try {
    h.db.close(); // the database vanishing under a request is not a client's doing
    const res = await h.request("GET", "/api/villages", { cookie: admin });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { type: string; detail: string };
    expect(body.type).toEndWith("/internal");
    expect(body.detail).not.toMatch(/database|sqlite|stack|at /i);
    expect(errors.join("\n")).toMatch(/closed database|database/i);
  } finally {
    console.error = original;
  }
});
