/**
 * Proves the card sheet's filters (householdId, householdIds up to 2,000, cardId; together they
 * narrow each other) and what a browser without a session sees: a 302 to the sign-in page that
 * returns to the sheet, while a script still gets the 401 problem. Counts the printed cards by
 * their card numbers on the sheet.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";
import { formatCardNumber } from "../../src/villages/card-number.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;
type Card = { id: string; number: string; householdId: string };
const cards: Card[] = [];
let otherVillageHousehold = "";

beforeAll(async () => {
  h = createHarness();
  s = await seedTwoVillages(h);
  for (const name of ["张建华", "李秀英", "王德明"]) {
    const household = (
      await h.json("POST", `/api/villages/${s.villageA.id}/households`, {
        cookie: s.aClerk,
        body: { headName: name },
      })
    ).body.household;
    cards.push(
      (await h.json("POST", `/api/households/${household.id}/cards`, { cookie: s.aClerk })).body,
    );
  }
  otherVillageHousehold = (
    await h.json("POST", `/api/villages/${s.villageB.id}/households`, {
      cookie: s.bClerk,
      body: { headName: "钱八" },
    })
  ).body.household.id;
  await h.json("POST", `/api/households/${otherVillageHousehold}/cards`, { cookie: s.bClerk });
});
afterAll(() => h.close());

/** `cookie: null` asks without a session. */
const sheet = (
  query: string,
  cookie: string | null = s.aClerk,
  headers: Record<string, string> = {},
) =>
  h.request("GET", `/api/villages/${s.villageA.id}/cards/print${query}`, {
    ...(cookie === null ? {} : { cookie }),
    headers,
  });
/** Which of the village's cards a sheet prints, by their printed numbers. */
const printed = async (query: string): Promise<number[]> => {
  const res = await sheet(query);
  expect(res.status).toBe(200);
  const html = await res.text();
  return cards
    .map((c, i) => (html.includes(formatCardNumber(c.number)) ? i : -1))
    .filter((i) => i >= 0);
};

test.each([
  ["no filter", () => "", [0, 1, 2]],
  ["one household", () => `?householdId=${cards[1]!.householdId}`, [1]],
  [
    "a list of households",
    () => `?householdIds=${cards[0]!.householdId},${cards[2]!.householdId}`,
    [0, 2],
  ],
  ["one card", () => `?cardId=${cards[2]!.id}`, [2]],
  [
    "households and a card of one of them",
    () => `?householdIds=${cards[0]!.householdId},${cards[2]!.householdId}&cardId=${cards[2]!.id}`,
    [2],
  ],
  [
    "households and a card of none of them",
    () => `?householdIds=${cards[0]!.householdId}&cardId=${cards[2]!.id}`,
    [],
  ],
  [
    "a household and a list without it",
    () => `?householdId=${cards[1]!.householdId}&householdIds=${cards[0]!.householdId}`,
    [],
  ],
  ["another village's household", () => `?householdIds=${otherVillageHousehold}`, []],
])("the sheet of %s prints those cards only", async (_name, query, expected) => {
  expect(await printed(query())).toEqual(expected);
});

test("2,000 households are taken, 2,001 refused; a malformed list or card id is a 400 naming it", async () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(",");
  expect((await sheet(`?householdIds=${ids(2000)}`)).status).toBe(200);
  for (const [query, path] of [
    [`?householdIds=${ids(2001)}`, "query.householdIds"],
    ["?householdIds=1,,2", "query.householdIds"],
    ["?householdIds=", "query.householdIds"],
    ["?householdIds=1,x", "query.householdIds"],
    ["?cardId=abc", "query.cardId"],
  ] as const) {
    const res = await sheet(query);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe(path);
  }
});

test("a browser without a session is sent to sign in and back to the sheet it asked for", async () => {
  const browser = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
  const query = `?householdIds=${cards[0]!.householdId},${cards[1]!.householdId}`;
  const res = await sheet(query, null, browser);
  expect(res.status).toBe(302);
  const location = res.headers.get("location")!;
  expect(location).toStartWith("/admin/login?next=");
  expect(new URL(location, "http://jifen.test").searchParams.get("next")).toBe(
    `/api/villages/${s.villageA.id}/cards/print${query}`,
  );
  // A stale session is no session.
  expect((await sheet("", "jifen_session=stale", browser)).status).toBe(302);
});

test.each([
  ["no Accept header", {}],
  ["a script that asks for JSON", { accept: "application/json" }],
  ["fetch's default", { accept: "*/*" }],
])("without a session, %s still gets the 401 problem", async (_name, headers) => {
  const res = await sheet("", null, headers);
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
});

test("a JSON route opened in a browser without a session is still a 401 problem", async () => {
  const res = await h.request("GET", `/api/villages/${s.villageA.id}/households`, {
    headers: { accept: "text/html" },
  });
  expect(res.status).toBe(401);
});
