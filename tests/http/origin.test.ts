/**
 * Proves the cross-site write check (issue 20, finding 2) over real HTTP: a write with the
 * session cookie is refused (403 cross-site-write) when its Origin, or without one its
 * Sec-Fetch-Site, is not this server's; a request with neither header, and a kiosk's device-token
 * request, are not affected; the CSV import no longer takes text/plain, which any HTML form sends.
 * The same attack from a real page of another origin in Chromium is tests/e2e/cross-site.test.ts.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  createHarness,
  seedTwoVillages,
  STAFF_PASSWORD,
  type Harness,
} from "../support/harness.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;
let householdId: string;

beforeAll(async () => {
  h = createHarness();
  s = await seedTwoVillages(h);
  householdId = (
    await h.json("POST", `/api/villages/${s.villageA.id}/households`, {
      cookie: s.aAdmin,
      body: { headName: "张建华" },
    })
  ).body.household.id;
});
afterAll(() => h.close());

const households = () =>
  h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM households").get()!.n;
const create = (headers: Record<string, string>) =>
  h.json("POST", `/api/villages/${s.villageA.id}/households`, {
    cookie: s.aAdmin,
    headers,
    body: { headName: "李四" },
  });

test.each([
  ["an Origin of another port on the same host", { origin: "http://jifen.test:8080" }],
  ["an Origin of another site", { origin: "https://evil.example" }],
  ["the opaque Origin null", { origin: "null" }],
  ["no Origin and Sec-Fetch-Site same-site", { "sec-fetch-site": "same-site" }],
  ["no Origin and Sec-Fetch-Site cross-site", { "sec-fetch-site": "cross-site" }],
])(
  "a write with the session cookie and %s is refused with 403 cross-site-write and changes nothing",
  async (_, headers) => {
    const before = households();
    const res = await create(headers);
    expect(res.status).toBe(403);
    expect(res.body.type).toEndWith("/forbidden");
    expect(res.body.code).toBe("cross-site-write");
    expect(households()).toBe(before);
  },
);

test.each([
  ["PUBLIC_URL's origin", { origin: "http://jifen.test" }],
  ["the origin the request was sent to", { origin: "http://localhost" }],
  ["Sec-Fetch-Site same-origin", { "sec-fetch-site": "same-origin" }],
  ["neither header (a script)", {}],
])("a write with the session cookie and %s is allowed", async (_, headers) => {
  expect((await create(headers)).status).toBe(201);
});

test("a body-less POST (issuing a card) from another origin is refused", async () => {
  const res = await h.json("POST", `/api/households/${householdId}/cards`, {
    cookie: s.aAdmin,
    headers: { origin: "http://jifen.test:8080" },
  });
  expect(res.status).toBe(403);
  expect(res.body.code).toBe("cross-site-write");
  expect(h.db.query("SELECT count(*) AS n FROM cards").get()).toEqual({ n: 0 });
});

test("signing out from another origin is refused: the session stays", async () => {
  const cookie = await h.login("a_clerk");
  expect(
    (
      await h.json("POST", "/api/auth/logout", {
        cookie,
        headers: { origin: "https://evil.example" },
      })
    ).status,
  ).toBe(403);
  expect((await h.json("GET", "/api/me", { cookie })).status).toBe(200);
});

test("signing in from another origin's form is refused; from this origin it works", async () => {
  const body = { username: "a_clerk", password: STAFF_PASSWORD };
  expect(
    (await h.json("POST", "/api/auth/login", { body, headers: { origin: "https://evil.example" } }))
      .status,
  ).toBe(403);
  expect(
    (await h.json("POST", "/api/auth/login", { body, headers: { origin: "http://jifen.test" } }))
      .status,
  ).toBe(200);
});

test("a write without a session cookie is judged by its own rules (401), whatever its Origin", async () => {
  const res = await h.json("POST", `/api/villages/${s.villageA.id}/households`, {
    headers: { origin: "https://evil.example" },
    body: { headName: "李四" },
  });
  expect(res.status).toBe(401);
});

test("a kiosk's device-token request is not cookie-authenticated: another Origin does not matter", async () => {
  const kiosk = (
    await h.json("POST", `/api/villages/${s.villageA.id}/kiosks`, {
      cookie: s.aAdmin,
      body: { name: "收银台" },
    })
  ).body;
  const res = await h.json("GET", "/api/kiosk/me", {
    token: kiosk.token,
    headers: { origin: "https://evil.example" },
  });
  expect(res.status).toBe(200);
  // A write with the device token and a session cookie beside it (a clerk signed in on the kiosk) goes through too.
  const card = (await h.json("POST", `/api/households/${householdId}/cards`, { cookie: s.aAdmin }))
    .body;
  const sale = await h.json("POST", "/api/redemptions", {
    token: kiosk.token,
    cookie: s.aClerk,
    headers: { origin: "https://evil.example", "idempotency-key": "origin-test-1" },
    body: { cardToken: card.token, items: [{ goodsId: "999999", quantity: 1 }] },
  });
  expect(sale.status).toBe(404); // judged as a sale: no such good, not refused as cross-site
});

test.each([
  ["text/plain", 415],
  ["text/csv", 200],
  ["application/vnd.ms-excel", 200],
  ["application/csv", 200],
])("the CSV import sent as %s answers %d", async (type, status) => {
  const res = await h.request(
    "POST",
    `/api/villages/${s.villageA.id}/households/import?dryRun=true`,
    { cookie: s.aAdmin, raw: "户主,住址\n王五,1组\n", contentType: type },
  );
  expect(res.status).toBe(status);
});
