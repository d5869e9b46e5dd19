/**
 * Proves the rule for names (issue 20, finding 8): a household's head and members, goods,
 * villages, staff display names, kiosk names and rule titles refuse NUL and other control
 * characters, the bidi overrides and isolates (U+202A-202E, U+2066-2069) and names of nothing
 * visible, with 400 invalid-name on the field; the CSV import reports such a row by its line and
 * creates nothing for it; Chinese, Uyghur and names with a joiner still pass.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";
import { nameProblem } from "../../src/shared/name.ts";

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

const BAD: [string, string][] = [
  ["NUL", "张\u0000三"],
  ["a line break", "张\n三"],
  ["an escape", "张\u001b[31m三"],
  ["a right-to-left override", "\u202e三张"],
  ["a left-to-right embedding", "\u202a张三"],
  ["a first-strong isolate", "张\u2068三"],
  ["zero-width spaces only", "\u200b\u200b"],
  ["a Hangul filler only", "\u3164"],
  ["a byte-order mark and a joiner only", "\ufeff\u200d"],
  ["a lone surrogate", "张\ud800"],
];

const WRITES: [string, (name: string) => Promise<{ status: number; body: any }>][] = [
  [
    "a household's head",
    (name) =>
      h.json("POST", `/api/villages/${s.villageA.id}/households`, {
        cookie: s.aAdmin,
        body: { headName: name },
      }),
  ],
  [
    "a household member",
    (name) =>
      h.json("PATCH", `/api/households/${householdId}`, {
        cookie: s.aAdmin,
        body: { members: [{ name }] },
      }),
  ],
  [
    "a good",
    (name) =>
      h.json("POST", `/api/villages/${s.villageA.id}/goods`, {
        cookie: s.aAdmin,
        body: { name, pricePoints: 5 },
      }),
  ],
  [
    "a village",
    (name) => h.json("POST", "/api/villages", { cookie: s.admin, body: { name, code: "NEW1" } }),
  ],
  [
    "a staff display name",
    (name) =>
      h.json("POST", "/api/users", {
        cookie: s.admin,
        body: {
          username: "new_clerk",
          password: "a-long-password",
          role: "clerk",
          villageId: s.villageA.id,
          displayName: name,
        },
      }),
  ],
  [
    "a rule title",
    (name) =>
      h.json("POST", `/api/villages/${s.villageA.id}/rules`, {
        cookie: s.aAdmin,
        body: { code: "N-1", title: name, category: "other", points: 1 },
      }),
  ],
  [
    "a kiosk",
    (name) =>
      h.json("POST", `/api/villages/${s.villageA.id}/kiosks`, { cookie: s.aAdmin, body: { name } }),
  ],
];

for (const [what, write] of WRITES) {
  test.each(BAD)(`${what} with %s is refused with 400 invalid-name`, async (_, name) => {
    const res = await write(name);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid-name");
  });
}

test.each(["张建华", "ئابدۇرېھىم تۇرسۇن", "Zhang Jianhua", "李\u200d四", "王 五"])(
  "the name %p passes",
  (name) => {
    expect(nameProblem(name)).toBeNull();
  },
);

test("the CSV import reports a row with a bad name by its line and creates nothing for it", async () => {
  const before = h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM households").get()!.n;
  const csv = "户主,成员\n孙七,\n\u202e八钱,\n赵九,\u200b\n";
  const res = await h.json("POST", `/api/villages/${s.villageA.id}/households/import`, {
    cookie: s.aAdmin,
    raw: csv,
    contentType: "text/csv",
  });
  expect(res.status).toBe(200);
  expect(res.body.created).toBe(1);
  expect(res.body.errors).toEqual([
    { line: 3, message: expect.stringContaining("bidirectional") },
    { line: 4, message: expect.stringContaining("visible") },
  ]);
  expect(h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM households").get()!.n).toBe(
    before + 1,
  );
});
