/**
 * Proves PATCH /api/households/:id over real HTTP on a real database: the head member, pinyin
 * keys and door keys follow the edit; the member list is the full list (kept, added, removed);
 * a member named by an entry is never removed (409 naming them); an external id of another
 * household is refused (409); each refusal changes nothing and writes no audit row; a change is
 * audited with the household before and after.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;
type Member = { id: string; name: string; relation: string | null; isHead: boolean };
type Household = {
  id: string;
  headName: string;
  address: string;
  externalId: string | null;
  members: Member[];
};
let household: Household;

beforeEach(async () => {
  h = createHarness();
  s = await seedTwoVillages(h);
  household = (
    await h.json("POST", `/api/villages/${s.villageA.id}/households`, {
      cookie: s.aClerk,
      body: {
        headName: "张建华",
        address: "柳溪村3组27号",
        externalId: "H001",
        members: [
          { name: "李秀英", relation: "配偶" },
          { name: "张浩宇", relation: "son" },
        ],
      },
    })
  ).body.household;
});
afterEach(() => h.close());

const patch = (body: unknown, cookie = s.aClerk, id = household.id) =>
  h.json("PATCH", `/api/households/${id}`, { cookie, body });
const search = async (term: string) =>
  (
    (
      await h.json(
        "GET",
        `/api/villages/${s.villageA.id}/households?search=${encodeURIComponent(term)}`,
        { cookie: s.aClerk },
      )
    ).body.items as Household[]
  ).map((x) => x.headName);
const memberId = (name: string) => household.members.find((m) => m.name === name)!.id;
const state = () =>
  JSON.stringify([
    h.db.query("SELECT * FROM households ORDER BY id").all(),
    h.db.query("SELECT * FROM members ORDER BY id").all(),
    h.db.query("SELECT count(*) AS n FROM audit_log").get(),
  ]);

test("a new head name renames the head member and the pinyin search follows it", async () => {
  const res = await patch({ headName: "王德明" });
  expect(res.status).toBe(200);
  expect(res.body.household.headName).toBe("王德明");
  expect(res.body.household.members.filter((m: Member) => m.isHead)).toEqual([
    { id: memberId("张建华"), name: "王德明", relation: "head", isHead: true },
  ]);
  expect(await search("wdm")).toEqual(["王德明"]);
  expect(await search("zjh")).toEqual([]);
});

test("a new address moves the door keys with it", async () => {
  expect((await patch({ address: "柳溪村5组8号" })).status).toBe(200);
  expect(await search("5组8号")).toEqual(["张建华"]);
  expect(await search("27号")).toEqual([]);
  expect(
    h.db.query("SELECT door_no, door_key FROM households WHERE id = ?").get(Number(household.id)),
  ).toEqual({ door_no: "8", door_key: "5-8" });
});

test("the member list is the full list: kept ids are updated, new names added, missing ones removed", async () => {
  const res = await patch({
    members: [
      { id: memberId("李秀英"), name: "李秀英", relation: "妻子" },
      { name: "张小红", relation: "女儿" },
    ],
  });
  expect(res.status).toBe(200);
  expect(res.body.household.members.map((m: Member) => [m.name, m.relation, m.isHead])).toEqual([
    ["张建华", "head", true],
    ["李秀英", "spouse", false],
    ["张小红", "daughter", false],
  ]);
  expect(res.body.household.members[1].id).toBe(memberId("李秀英"));
  expect(h.db.query("SELECT count(*) AS n FROM members WHERE name = '张浩宇'").get()).toEqual({
    n: 0,
  });
});

test("a kept member without a relation keeps the one it had; null clears it", async () => {
  const kept = await patch({
    members: [
      { id: memberId("李秀英"), name: "李秀英" },
      { id: memberId("张浩宇"), name: "张浩宇", relation: null },
    ],
  });
  expect(kept.body.household.members.map((m: Member) => m.relation)).toEqual([
    "head",
    "spouse",
    null,
  ]);
});

test("removing a member named by an entry is a 409 that names them, and nothing changes", async () => {
  const rule = (
    await h.json("POST", `/api/villages/${s.villageA.id}/rules`, {
      cookie: s.aAdmin,
      body: { code: "ENV-1", title: "庭院整洁", category: "environment", points: 5 },
    })
  ).body.rule;
  expect(
    (
      await h.json("POST", "/api/entries", {
        cookie: s.aClerk,
        body: { householdId: household.id, ruleId: rule.id, memberId: memberId("张浩宇") },
      })
    ).status,
  ).toBe(201);
  const before = state();
  const res = await patch({
    headName: "张建国",
    members: [{ id: memberId("李秀英"), name: "李秀英" }],
  });
  expect(res.status).toBe(409);
  expect(res.body.type).toEndWith("/conflict");
  expect(res.body.detail).toContain("张浩宇");
  expect(state()).toBe(before);
  // Kept, the member may still be renamed.
  expect(
    (
      await patch({
        members: [
          { id: memberId("李秀英"), name: "李秀英" },
          { id: memberId("张浩宇"), name: "张浩" },
        ],
      })
    ).status,
  ).toBe(200);
});

test("an external id is set, cleared, and refused with 409 when another household of the village has it", async () => {
  const other = (
    await h.json("POST", `/api/villages/${s.villageA.id}/households`, {
      cookie: s.aClerk,
      body: { headName: "李四", externalId: "H002" },
    })
  ).body.household;
  const before = state();
  const taken = await patch({ externalId: "H002" });
  expect(taken.status).toBe(409);
  expect(taken.body.errors).toEqual([
    { path: "body.externalId", message: expect.stringContaining(other.id) },
  ]);
  expect(state()).toBe(before);
  expect((await patch({ externalId: "H001" })).status).toBe(200);
  expect((await patch({ externalId: null })).body.household.externalId).toBeNull();
  expect((await patch({ externalId: "H002" }, s.aClerk, other.id)).status).toBe(200);
  // Another village's household with the same external id is no conflict.
  const inB = (
    await h.json("POST", `/api/villages/${s.villageB.id}/households`, {
      cookie: s.bClerk,
      body: { headName: "王五", externalId: "H009" },
    })
  ).body.household;
  expect(inB.externalId).toBe("H009");
  expect((await patch({ externalId: "H009" })).status).toBe(200);
});

test.each([
  ["no field", {}, "body"],
  ["an unknown field", { phone: "123" }, "body"],
  ["an empty head name", { headName: " " }, "body.headName"],
  ["an address too long", { address: "x".repeat(121) }, "body.address"],
  ["an empty external id", { externalId: "" }, "body.externalId"],
  [
    "a relation that is no relation",
    { members: [{ name: "张三", relation: "邻居" }] },
    "body.members[0].relation",
  ],
  ["a second head", { members: [{ name: "张三", relation: "户主" }] }, "body.members[0].relation"],
  ["a member without a name", { members: [{ relation: "son" }] }, "body.members[0].name"],
  [
    "31 members",
    { members: Array.from({ length: 31 }, (_, i) => ({ name: `成员${i}` })) },
    "body.members",
  ],
  [
    "a member id that is not an id",
    { members: [{ id: "abc", name: "张三" }] },
    "body.members[0].id",
  ],
])("refuses %s with a 400 naming the field, and changes nothing", async (_name, body, path) => {
  const before = state();
  const res = await patch(body);
  expect(res.status).toBe(400);
  expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  expect(state()).toBe(before);
});

test("refuses the head, another household's member and a member listed twice by id, naming the entry", async () => {
  const other = (
    await h.json("POST", `/api/villages/${s.villageA.id}/households`, {
      cookie: s.aClerk,
      body: { headName: "李四", members: [{ name: "李小四" }] },
    })
  ).body.household;
  const before = state();
  for (const [members, path] of [
    [[{ id: memberId("张建华"), name: "张建华" }], "body.members[0].id"],
    [[{ id: other.members[1].id, name: "李小四" }], "body.members[0].id"],
    [
      [
        { id: memberId("李秀英"), name: "李秀英" },
        { id: memberId("李秀英"), name: "李秀" },
      ],
      "body.members[1].id",
    ],
  ] as const) {
    const res = await patch({ members });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path, message: expect.any(String) }]);
  }
  expect(state()).toBe(before);
});

test("an edit is audited with the household before and after", async () => {
  expect((await patch({ address: "柳溪村3组28号", members: [] })).status).toBe(200);
  const row = h.db
    .query<
      { action: string; entity: string; entity_id: string; actor_id: string; detail: string },
      []
    >("SELECT action, entity, entity_id, actor_id, detail FROM audit_log ORDER BY id DESC LIMIT 1")
    .get()!;
  expect(row).toMatchObject({ action: "update", entity: "household", entity_id: household.id });
  const detail = JSON.parse(row.detail);
  expect(detail.before.address).toBe("柳溪村3组27号");
  expect(detail.after.address).toBe("柳溪村3组28号");
  expect(detail.before.members.map((m: { name: string }) => m.name)).toEqual([
    "张建华",
    "李秀英",
    "张浩宇",
  ]);
  expect(detail.after.members.map((m: { name: string }) => m.name)).toEqual(["张建华"]);
});

test("staff of another village get 404, and nothing changes", async () => {
  const before = state();
  expect((await patch({ address: "x" }, s.bAdmin)).status).toBe(404);
  expect((await patch({ address: "x" }, s.bClerk, "999999")).status).toBe(404);
  expect(
    (await h.json("PATCH", `/api/households/${household.id}`, { body: { address: "x" } })).status,
  ).toBe(401);
  expect(state()).toBe(before);
});
