/**
 * Proves CSV import of households: UTF-8 with and without BOM and GBK (what Excel in China saves),
 * Chinese or English headers in any order, a row error report by file line (header = line 1),
 * and that importing the same file twice creates nothing twice.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import iconv from "iconv-lite";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";
import { parseHouseholdCsv } from "../../src/villages/csv-import.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;
beforeEach(async () => {
  h = createHarness();
  s = await seedTwoVillages(h);
});
afterEach(() => h.close());

const CSV = "户主,住址,成员,编号\n王德明,东河村1组2号,王德明、赵桂兰;王浩,H001\n李秀英,东河村1组5号,,H002\n";

const importCsv = (body: Uint8Array | string, cookie = s.aAdmin, query = "") =>
  h.json("POST", `/api/villages/${s.villageA.id}/households/import${query}`, { cookie, raw: body, contentType: "text/csv" });

test.each([
  ["UTF-8", new TextEncoder().encode(CSV)],
  ["UTF-8 with BOM", new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(CSV)])],
  ["GBK", new Uint8Array(iconv.encode(CSV, "gbk"))],
])("imports a %s file", async (_name, bytes) => {
  const res = await importCsv(bytes);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ created: 2, skipped: 0, errors: [] });
  const rows = h.db.query<{ head_name: string; address: string; external_id: string }, []>("SELECT head_name, address, external_id FROM households ORDER BY id").all();
  expect(rows).toEqual([
    { head_name: "王德明", address: "东河村1组2号", external_id: "H001" },
    { head_name: "李秀英", address: "东河村1组5号", external_id: "H002" },
  ]);
  const members = h.db.query<{ name: string }, []>("SELECT name FROM members WHERE household_id = 1 ORDER BY id").all();
  expect(members.map((m) => m.name)).toEqual(["王德明", "赵桂兰", "王浩"]);
});

test("importing the same file twice creates nothing twice", async () => {
  expect((await importCsv(CSV)).body).toMatchObject({ created: 2, skipped: 0 });
  expect((await importCsv(CSV)).body).toMatchObject({ created: 0, skipped: 2 });
  expect(h.db.query("SELECT count(*) AS n FROM households").get()).toEqual({ n: 2 });
});

test("without an externalId a row is the same household when its head and address match", async () => {
  const csv = "headName,address\n周海,2组1号\n周海,2组9号\n";
  expect((await importCsv(csv)).body).toMatchObject({ created: 2 });
  expect((await importCsv(csv)).body).toMatchObject({ created: 0, skipped: 2 });
});

test("reports bad rows by file line and imports the good ones, English headers in any order", async () => {
  const csv = `externalId,members,headName,address\nA1,,张三,1组\nA2,,,2组\nA3,,"${"长".repeat(41)}",3组\n"A4","李四, 王五","赵六","4组\n东头"\nA5,,钱七,5组\n`;
  const res = await importCsv(csv);
  expect(res.status).toBe(200);
  expect(res.body.created).toBe(3);
  expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4]);
  expect(res.body.errors[0].message).toContain("户主");
  const zhao = h.db.query<{ address: string }, []>("SELECT address FROM households WHERE head_name = '赵六'").get()!;
  expect(zhao.address).toBe("4组\n东头");
});

test("a dry run reports what would happen and writes nothing", async () => {
  const res = await importCsv(CSV, s.aAdmin, "?dryRun=true");
  expect(res.body).toMatchObject({ created: 2, skipped: 0, dryRun: true });
  expect(h.db.query("SELECT count(*) AS n FROM households").get()).toEqual({ n: 0 });
});

test.each([
  ["no headName column", "住址,成员\n1组,张三\n"],
  ["an empty file", ""],
])("refuses %s with a 400 that says which columns it knows", async (_name, csv) => {
  const res = await importCsv(csv);
  expect(res.status).toBe(400);
  expect(res.body.detail).toContain("户主");
});

test("refuses a JSON body and a clerk's import", async () => {
  expect((await h.json("POST", `/api/villages/${s.villageA.id}/households/import`, { cookie: s.aAdmin, body: { x: 1 } })).status).toBe(415);
  expect((await importCsv(CSV, s.aClerk)).status).toBe(403);
  expect((await importCsv(CSV, s.bAdmin)).status).toBe(404);
});

test("parses line numbers across quoted newlines and CRLF line ends", () => {
  const parsed = parseHouseholdCsv(new TextEncoder().encode('户主,住址\r\n"甲",一\r\n"乙","二\r\n二"\r\n,空\r\n丙,三\r\n'));
  expect(parsed.rows.map((r) => [r.line, r.household.headName])).toEqual([[2, "甲"], [3, "乙"], [6, "丙"]]);
  expect(parsed.errors.map((e) => e.line)).toEqual([5]);
});
