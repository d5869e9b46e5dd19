/**
 * Proves when a request counts as a browser opening a page (its Accept header prefers HTML to
 * JSON, by RFC 9110's most specific range), and where such a browser is sent without a session.
 * Pure; the route's behaviour is proven on the card sheet (tests/villages/card-sheet.test.ts).
 */
import { expect, test } from "bun:test";
import { loginLocation, prefersHtml } from "../../src/http/login-redirect.ts";

test.each([
  [
    "Chrome's navigation",
    true,
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
  ],
  ["Firefox's navigation", true, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"],
  ["HTML alone", true, "text/html"],
  ["text/* over JSON", true, "text/*, application/json;q=0.5"],
  ["no header", false, undefined],
  ["fetch's default", false, "*/*"],
  ["JSON", false, "application/json"],
  ["JSON preferred to HTML", false, "text/html;q=0.5, application/json"],
  ["HTML and JSON alike", false, "text/html, application/json"],
  ["HTML refused", false, "text/html;q=0, */*"],
  ["problem+json", false, "text/html;q=0.9, application/problem+json"],
  ["garbage", false, ";;;,,/"],
  ["a quality out of range", false, "text/html;q=2"],
])("%s: prefers HTML %p", (_name, expected, accept) => {
  expect(prefersHtml(accept)).toBe(expected);
});

test("the sign-in page is told where to return, the path and query kept whole", () => {
  const location = loginLocation("/api/villages/1/cards/print?householdIds=1,2&cardId=3");
  expect(location).toBe(
    "/admin/login?next=%2Fapi%2Fvillages%2F1%2Fcards%2Fprint%3FhouseholdIds%3D1%2C2%26cardId%3D3",
  );
  expect(new URL(location, "http://x").searchParams.get("next")).toBe(
    "/api/villages/1/cards/print?householdIds=1,2&cardId=3",
  );
});
