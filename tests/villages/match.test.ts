/**
 * Proves matching a pasted list (POST /api/villages/:villageId/households/match): the list is
 * split as a group chat writes it, each distinct name once and in order; a name matches the
 * head's exact name first, a member's otherwise; a card number or door plate matches as in the
 * search; several households are ambiguous (at most 10 listed), none is none; other villages
 * are never matched; the limits (5,000 characters, 500 names) hold at their edge. Reads only.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";
import { splitNames } from "../../src/villages/household-match.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;
type Item = {
  input: string;
  status: string;
  households: {
    id: string;
    headName: string;
    address: string;
    balance: number;
    honourScore: number;
    star: number | null;
    card: { id: string; number: string } | null;
  }[];
};
const ids: Record<string, string> = {};
const id = (name: string): string => ids[name]!;
let card = "";

const add = async (body: object, village = s.villageA.id, cookie = s.aClerk): Promise<string> => {
  const res = await h.json("POST", `/api/villages/${village}/households`, { cookie, body });
  if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.household.id;
};
const match = (text: unknown, cookie = s.aClerk, village = s.villageA.id) =>
  h.json("POST", `/api/villages/${village}/households/match`, { cookie, body: { text } });
const items = async (text: string): Promise<Item[]> => {
  const res = await match(text);
  expect(res.status).toBe(200);
  return res.body.items;
};

beforeAll(async () => {
  h = createHarness();
  s = await seedTwoVillages(h);
  ids["张建华"] = await add({
    headName: "张建华",
    address: "柳溪村3组27号",
    members: [{ name: "李秀英", relation: "配偶" }],
  });
  ids["李秀英"] = await add({ headName: "李秀英", address: "柳溪村4组2号" });
  ids["王德明"] = await add({
    headName: "王德明",
    address: "柳溪村3组8号",
    members: [{ name: "王浩" }],
  });
  ids["赵桂兰1"] = await add({ headName: "赵桂兰", address: "柳溪村1组1号" });
  ids["赵桂兰2"] = await add({ headName: "赵桂兰", address: "柳溪村2组1号" });
  ids["孙七"] = await add({ headName: "孙七", members: [{ name: "王浩" }] });
  await add({ headName: "钱八" }, s.villageB.id, s.bClerk);
  card = (await h.json("POST", `/api/households/${ids["王德明"]}/cards`, { cookie: s.aClerk })).body
    .number;
});
afterAll(() => h.close());

test.each([
  ["separated by spaces and new lines", "张建华 李秀英\n王德明", ["张建华", "李秀英", "王德明"]],
  [
    "separated by Chinese and Latin commas, 、 and semicolons",
    "张建华，李秀英,王德明、赵桂兰；孙七;钱八",
    ["张建华", "李秀英", "王德明", "赵桂兰", "孙七", "钱八"],
  ],
  ["with duplicates and empty names", " 张建华 ,, 张建华\n\n\t李秀英 、、", ["张建华", "李秀英"]],
  ["separated by the ideographic space", "张建华\u3000李秀英", ["张建华", "李秀英"]],
  ["of blanks only", "  \n ", []],
])("splits a list %s", (_name, text, names) => {
  expect(splitNames(text)).toEqual(names);
});

test("a head's exact name matches before a member's, a member's name matches its household", async () => {
  const [li, hao, wang] = await items("李秀英 王浩 王德明");
  expect(li).toMatchObject({ input: "李秀英", status: "matched" });
  expect(li!.households.map((x) => x.id)).toEqual([id("李秀英")]);
  expect(hao).toMatchObject({ input: "王浩", status: "ambiguous" });
  expect(hao!.households.map((x) => x.id).sort()).toEqual([id("王德明"), id("孙七")].sort());
  expect(wang!.households).toEqual([
    {
      id: id("王德明"),
      headName: "王德明",
      address: "柳溪村3组8号",
      balance: 0,
      honourScore: 0,
      star: 0,
      card: { id: expect.any(String), number: card },
    },
  ]);
});

test("two heads of one name are ambiguous, an unknown name, a prefix or another village's name is none", async () => {
  const result = await items("赵桂兰 张 张建 钱八 无名氏");
  expect(result.map((i) => [i.input, i.status, i.households.length])).toEqual([
    ["赵桂兰", "ambiguous", 2],
    ["张", "none", 0],
    ["张建", "none", 0],
    ["钱八", "none", 0],
    ["无名氏", "none", 0],
  ]);
});

test("a card number or a door plate in the list matches as in the search", async () => {
  const result = await items(`${card} 3组27号 27号 1号 ${card.slice(0, 4)}-${card.slice(4)}`);
  expect(result.map((i) => [i.status, i.households.map((x) => x.headName)])).toEqual([
    ["matched", ["王德明"]],
    ["matched", ["张建华"]],
    ["matched", ["张建华"]],
    ["ambiguous", ["赵桂兰", "赵桂兰"]],
    ["matched", ["王德明"]],
  ]);
});

test("an ambiguous name lists at most 10 households", async () => {
  for (let i = 0; i < 12; i++) await add({ headName: "周海", address: `柳溪村9组${i}号` });
  const [zhou] = await items("周海");
  expect(zhou!.status).toBe("ambiguous");
  expect(zhou!.households.length).toBe(10);
});

test("500 names are taken, 501 are refused naming body.text; 5,000 characters are taken, 5,001 are not", async () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `某${i}`).join(" ");
  const ok = await match(names(500));
  expect(ok.status).toBe(200);
  expect(ok.body.items.length).toBe(500);
  const tooMany = await match(names(501));
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.errors).toEqual([
    { path: "body.text", message: expect.stringContaining("500") },
  ]);
  expect((await match("张".repeat(5000))).status).toBe(200);
  const tooLong = await match("张".repeat(5001));
  expect(tooLong.status).toBe(400);
  expect(tooLong.body.errors[0].path).toBe("body.text");
});

test.each([[{}], [{ text: 5 }], [{ text: "张三", extra: 1 }]])(
  "refuses the body %j with 400",
  async (body) => {
    const res = await h.json("POST", `/api/villages/${s.villageA.id}/households/match`, {
      cookie: s.aClerk,
      body,
    });
    expect(res.status).toBe(400);
  },
);

test("matching writes nothing, and staff of another village get 404", async () => {
  const audit = h.db.query("SELECT count(*) AS n FROM audit_log").get();
  expect((await match("张建华", s.bAdmin)).status).toBe(404);
  expect((await match("张建华", s.aAdmin)).status).toBe(200);
  expect(h.db.query("SELECT count(*) AS n FROM audit_log").get()).toEqual(audit);
});
