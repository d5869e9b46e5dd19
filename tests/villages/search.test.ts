/**
 * Proves every way a committee member looks a household up, beyond names and pinyin
 * (households.test.ts): the printed card number as printed or typed, what a USB scanner types (the
 * card's URL, or a bare token), and the door plate by door number or by group and door, with
 * full-width digits as a Chinese IME types them. Revoked cards and other villages' cards find
 * nothing. Every household answer carries its newest active card. Over real HTTP; the door rule
 * itself is checked as the pure function it is.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";
import { doorKeysOf, doorSearchOf, halfWidth } from "../../src/villages/door.ts";
import { formatCardNumber } from "../../src/villages/card-number.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;
type Household = { id: string; headName: string; card: { id: string; number: string } | null };
type Card = { id: string; token: string; url: string; number: string };
let zhang: Household;
let li: Household;
let wang: Household;
let zhangCard: Card;
let bCard: Card;

const add = async (
  body: object,
  cookie = s.aClerk,
  village = s.villageA.id,
): Promise<Household> => {
  const res = await h.json("POST", `/api/villages/${village}/households`, { cookie, body });
  if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.household;
};
const issue = async (householdId: string, cookie = s.aClerk): Promise<Card> =>
  (await h.json("POST", `/api/households/${householdId}/cards`, { cookie })).body;
const search = async (term: string, cookie = s.aClerk, village = s.villageA.id) => {
  const res = await h.json(
    "GET",
    `/api/villages/${village}/households?search=${encodeURIComponent(term)}`,
    { cookie },
  );
  expect(res.status).toBe(200);
  return res.body.items as Household[];
};
const names = (items: Household[]) => items.map((i) => i.headName);

beforeAll(async () => {
  h = createHarness();
  s = await seedTwoVillages(h);
  zhang = await add({ headName: "张建华", address: "柳溪村3组27号" });
  li = await add({ headName: "李秀英", address: "柳溪村5组27号" });
  wang = await add({ headName: "王德明", address: "柳溪村3组８号" });
  await add({ headName: "赵红梅", address: "无门牌" });
  zhangCard = await issue(zhang.id);
  const other = await add(
    { headName: "张建华", address: "柳湾村3组27号" },
    s.bClerk,
    s.villageB.id,
  );
  bCard = await issue(other.id, s.bClerk);
});
afterAll(() => h.close());

test.each([
  ["the printed number", (c: Card) => c.number],
  ["the number as printed, with a space", (c: Card) => formatCardNumber(c.number)],
  ["the number with a dash", (c: Card) => `${c.number.slice(0, 4)}-${c.number.slice(4)}`],
  [
    "the number in full-width digits",
    (c: Card) => c.number.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))),
  ],
  ["the card URL a scanner types", (c: Card) => c.url],
  ["the bare token", (c: Card) => c.token],
])("finds the household of a card by %s", async (_name, term) => {
  expect(names(await search(term(zhangCard)))).toEqual(["张建华"]);
});

test("a card of another village, a mistyped number and a revoked card find nothing", async () => {
  expect(await search(bCard.number)).toEqual([]);
  expect(await search(bCard.url)).toEqual([]);
  const wrongCheckDigit =
    zhangCard.number.slice(0, 7) + String((Number(zhangCard.number[7]) + 1) % 10);
  expect(await search(wrongCheckDigit)).toEqual([]);
  const spare = await add({ headName: "钱七" });
  const card = await issue(spare.id);
  expect(names(await search(card.number))).toEqual(["钱七"]);
  expect((await h.request("DELETE", `/api/cards/${card.id}`, { cookie: s.aAdmin })).status).toBe(
    204,
  );
  expect(await search(card.number)).toEqual([]);
  expect(await search(card.token)).toEqual([]);
});

test.each([
  ["27", ["张建华", "李秀英"]],
  ["27号", ["张建华", "李秀英"]],
  ["２７号", ["张建华", "李秀英"]],
  ["3组27号", ["张建华"]],
  ["3-27", ["张建华"]],
  ["3组27", ["张建华"]],
  ["３组２７号", ["张建华"]],
  ["柳溪村3组27号", ["张建华"]],
  ["5-27", ["李秀英"]],
  ["8号", ["王德明"]],
  ["3-8", ["王德明"]],
  ["3组", []],
  ["28号", []],
  ["4-27", []],
])("the door plate %s finds %j", async (term, expected) => {
  expect(names(await search(term)).sort()).toEqual([...expected].sort());
});

test("a search up to 300 characters is taken (a long card URL), one longer is refused", async () => {
  const url = `http://jifen.test:3000/c/${zhangCard.token}?from=scanner&x=${"y".repeat(300 - 50 - zhangCard.token.length)}`;
  expect(url.length).toBeLessThanOrEqual(300);
  expect(names(await search(url.padEnd(300, "z")))).toEqual(["张建华"]);
  const res = await h.json(
    "GET",
    `/api/villages/${s.villageA.id}/households?search=${"x".repeat(301)}`,
    { cookie: s.aClerk },
  );
  expect(res.status).toBe(400);
  expect(res.body.errors[0].path).toBe("query.search");
});

test("every household answer carries its newest active card, or null", async () => {
  const list = (
    await h.json("GET", `/api/villages/${s.villageA.id}/households?limit=10`, { cookie: s.aClerk })
  ).body.items as Household[];
  expect(list.find((x) => x.id === zhang.id)!.card).toEqual({
    id: zhangCard.id,
    number: zhangCard.number,
  });
  expect(list.find((x) => x.id === li.id)!.card).toBeNull();
  expect((await search("王德"))[0]!.card).toBeNull();
  const first = await issue(wang.id);
  const second = await issue(wang.id);
  expect(
    (await h.json("GET", `/api/households/${wang.id}`, { cookie: s.aClerk })).body.card,
  ).toEqual({ id: second.id, number: second.number });
  expect((await h.request("DELETE", `/api/cards/${second.id}`, { cookie: s.aAdmin })).status).toBe(
    204,
  );
  expect((await search("wdm"))[0]!.card).toEqual({ id: first.id, number: first.number });
});

test.each([
  ["柳溪村3组27号", { doorNo: "27", doorKey: "3-27" }],
  ["３组０２７号", { doorNo: "27", doorKey: "3-27" }],
  ["0组0号", { doorNo: "0", doorKey: "0-0" }],
  ["东河村3组27号之1", { doorNo: "1", doorKey: "3-27-1" }],
  ["无门牌", { doorNo: "", doorKey: "" }],
  ["", { doorNo: "", doorKey: "" }],
])("the door keys of %s are %j", (address, keys) => {
  expect(doorKeysOf(address)).toEqual(keys);
});

test.each([
  ["27", { doorNo: "27" }],
  ["027号", { doorNo: "27" }],
  ["#27", { doorNo: "27" }],
  ["3组27号", { doorKey: "3-27" }],
  ["3 - 27", { doorKey: "3-27" }],
  ["张三", null],
  ["3组", null],
  ["abc123def456ghi", null],
])("the search %s means the door %j", (term, door) => {
  expect(doorSearchOf(term)).toEqual(door);
});

test("full-width ASCII and the ideographic space read as their half-width twins", () => {
  expect(halfWidth("ＺＪＨ　１２３４－５６７８")).toBe("ZJH 1234-5678");
  expect(halfWidth("张建华")).toBe("张建华");
});
