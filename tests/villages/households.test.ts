/**
 * Proves households: creation with members, reading with balance, search by name prefix, pinyin
 * initials and full pinyin, member names and external id, and cursor pagination that visits every
 * household exactly once.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";
import { maskName, pinyinKeys } from "../../src/villages/names.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;
beforeEach(async () => {
  h = createHarness();
  s = await seedTwoVillages(h);
});
afterEach(() => h.close());

const add = (body: object, cookie = s.aClerk, village = s.villageA.id) =>
  h.json("POST", `/api/villages/${village}/households`, { cookie, body });

test("creates a household whose head is its first member and reads it back with a zero balance", async () => {
  const created = await add({
    headName: "张建华",
    address: "东河村3组27号",
    members: [
      { name: "李秀英", relation: "配偶" },
      { name: "张浩宇", relation: "子" },
    ],
  });
  expect(created.status).toBe(201);
  const got = await h.json("GET", `/api/households/${created.body.household.id}`, {
    cookie: s.aClerk,
  });
  expect(got.status).toBe(200);
  expect(got.body).toMatchObject({
    id: created.body.household.id,
    villageId: s.villageA.id,
    headName: "张建华",
    balance: 0,
  });
  expect(got.body.members.map((m: { name: string }) => m.name)).toEqual([
    "张建华",
    "李秀英",
    "张浩宇",
  ]);
  expect(got.body.members[0].isHead).toBe(true);
});

test.each([
  [{ headName: "" }],
  [{ headName: "   " }],
  [{ headName: "张".repeat(41) }],
  [{ headName: "张三", members: [{ name: "" }] }],
  [{ headName: "张三", members: "李四" }],
  [{ headName: "张三", address: "x".repeat(121) }],
  [{ headName: "张三", id: "7" }],
])("refuses the household %j and writes nothing", async (body) => {
  const res = await add(body);
  expect(res.status).toBe(400);
  expect(h.db.query("SELECT count(*) AS n FROM households").get()).toEqual({ n: 0 });
  expect(h.db.query("SELECT count(*) AS n FROM members").get()).toEqual({ n: 0 });
});

test("refuses a second household with the same externalId in one village", async () => {
  expect((await add({ headName: "王一", externalId: "H001" })).status).toBe(201);
  expect((await add({ headName: "王二", externalId: "H001" })).status).toBe(409);
  expect(
    (await add({ headName: "王二", externalId: "H001" }, s.bClerk, s.villageB.id)).status,
  ).toBe(201);
});

test.each([
  ["zjh", ["张建华"]],
  ["ZJH", ["张建华"]],
  ["zhangj", ["张建华"]],
  ["zh", ["张建华", "赵红梅", "周海"]],
  ["张", ["张建华"]],
  ["李秀", ["张建华"]],
  ["H002", ["赵红梅"]],
  ["钱", []],
])("search %s finds %j", async (search, expected) => {
  await add({ headName: "张建华", members: [{ name: "李秀英" }] });
  await add({ headName: "赵红梅", externalId: "H002" });
  await add({ headName: "周海" });
  await add({ headName: "王德明" });
  const res = await h.json(
    "GET",
    `/api/villages/${s.villageA.id}/households?search=${encodeURIComponent(search)}`,
    { cookie: s.aClerk },
  );
  expect(res.status).toBe(200);
  expect(res.body.items.map((i: { headName: string }) => i.headName).sort()).toEqual(
    [...expected].sort(),
  );
});

test("pages through every household once with nextCursor", async () => {
  for (let i = 0; i < 23; i++) await add({ headName: `王${String.fromCharCode(0x4e00 + i)}` });
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/api/villages/${s.villageA.id}/households?limit=10${cursor ? `&cursor=${cursor}` : ""}`;
    const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } =
      await h.json("GET", url, { cookie: s.aClerk });
    expect(res.status).toBe(200);
    seen.push(...res.body.items.map((i: { id: string }) => i.id));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor !== null);
  expect(pages).toBe(3);
  expect(new Set(seen).size).toBe(23);
});

test.each([
  ["limit=0"],
  ["limit=201"],
  ["limit=abc"],
  ["cursor=%%%"],
  ["unknown=1"],
  [`search=${"x".repeat(301)}`],
])("refuses the query %s with 400", async (q) => {
  expect(
    (await h.json("GET", `/api/villages/${s.villageA.id}/households?${q}`, { cookie: s.aClerk }))
      .status,
  ).toBe(400);
});

test("pinyin keys read surnames as surnames and masking keeps first and last characters", () => {
  expect(pinyinKeys("张建华")).toEqual({ initials: "zjh", full: "zhangjianhua" });
  expect(pinyinKeys("曾国强").initials).toBe("zgq");
  expect(pinyinKeys("单雄").full).toStartWith("shan");
  expect(maskName("张建华")).toBe("张*华");
  expect(maskName("李明")).toBe("李*");
  expect(maskName("欧阳春晓")).toBe("欧**晓");
});
