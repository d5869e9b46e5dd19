/**
 * Proves CSV import of households: UTF-8 with and without BOM and GBK (what Excel in China saves),
 * Chinese or English headers in any order, a row error report by file line (header = line 1),
 * and that importing the same file twice creates nothing twice. The staff pages' preview: a dry
 * run lists the rows (new, existing, repeated; at most 2,000), a real import names what it created
 * and may issue the cards with it, and a file sent in pieces keeps its line numbers.
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

const CSV =
  "户主,住址,成员,编号\n王德明,东河村1组2号,王德明、赵桂兰;王浩,H001\n李秀英,东河村1组5号,,H002\n";

const importCsv = (body: Uint8Array | string, cookie = s.aAdmin, query = "") =>
  h.json("POST", `/api/villages/${s.villageA.id}/households/import${query}`, {
    cookie,
    raw: body,
    contentType: "text/csv",
  });

test.each([
  ["UTF-8", new TextEncoder().encode(CSV)],
  ["UTF-8 with BOM", new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(CSV)])],
  ["GBK", new Uint8Array(iconv.encode(CSV, "gbk"))],
])("imports a %s file", async (_name, bytes) => {
  const res = await importCsv(bytes);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ created: 2, skipped: 0, errors: [] });
  const rows = h.db
    .query<{ head_name: string; address: string; external_id: string }, []>(
      "SELECT head_name, address, external_id FROM households ORDER BY id",
    )
    .all();
  expect(rows).toEqual([
    { head_name: "王德明", address: "东河村1组2号", external_id: "H001" },
    { head_name: "李秀英", address: "东河村1组5号", external_id: "H002" },
  ]);
  const members = h.db
    .query<{ name: string }, []>("SELECT name FROM members WHERE household_id = 1 ORDER BY id")
    .all();
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
  const zhao = h.db
    .query<{ address: string }, []>("SELECT address FROM households WHERE head_name = '赵六'")
    .get()!;
  expect(zhao.address).toBe("4组\n东头");
});

test("a dry run reports what would happen and writes nothing", async () => {
  const res = await importCsv(CSV, s.aAdmin, "?dryRun=true");
  expect(res.body).toMatchObject({ created: 2, skipped: 0, dryRun: true });
  expect(h.db.query("SELECT count(*) AS n FROM households").get()).toEqual({ n: 0 });
});

test("a dry run lists each row as new, existing or repeated, with its line, and writes nothing", async () => {
  expect((await importCsv("户主,编号\n王德明,H001\n")).body.created).toBe(1);
  const audit = h.db.query("SELECT count(*) AS n FROM audit_log").get();
  const csv =
    "户主,住址,成员,编号\n王德明,1组2号,赵桂兰,H001\n李秀英,1组5号,张三、李四,H002\n李秀英,1组5号,,H002\n,空,,\n周海,2组1号,,\n";
  const res = await importCsv(csv, s.aAdmin, "?dryRun=true");
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    created: 2,
    skipped: 2,
    dryRun: true,
    rowsTruncated: false,
    errors: [{ line: 5, message: expect.any(String) }],
  });
  expect(res.body.rows).toEqual([
    {
      line: 2,
      headName: "王德明",
      address: "1组2号",
      externalId: "H001",
      members: ["赵桂兰"],
      status: "existing",
    },
    {
      line: 3,
      headName: "李秀英",
      address: "1组5号",
      externalId: "H002",
      members: ["张三", "李四"],
      status: "new",
    },
    {
      line: 4,
      headName: "李秀英",
      address: "1组5号",
      externalId: "H002",
      members: [],
      status: "repeated",
    },
    { line: 6, headName: "周海", address: "2组1号", externalId: null, members: [], status: "new" },
  ]);
  expect(res.body.createdIds).toBeUndefined();
  expect(h.db.query("SELECT count(*) AS n FROM households").get()).toEqual({ n: 1 });
  expect(h.db.query("SELECT count(*) AS n FROM audit_log").get()).toEqual(audit);
});

test("a dry run lists 2,000 rows and says when there were more; the counts cover every row", async () => {
  const rows = (n: number) =>
    "户主,编号\n" + Array.from({ length: n }, (_, i) => `户${i},E${i}\n`).join("");
  const exact = await importCsv(rows(2000), s.aAdmin, "?dryRun=true");
  expect(exact.body).toMatchObject({ created: 2000, rowsTruncated: false });
  expect(exact.body.rows.length).toBe(2000);
  const more = await importCsv(rows(2001), s.aAdmin, "?dryRun=true");
  expect(more.body).toMatchObject({ created: 2001, rowsTruncated: true });
  expect(more.body.rows.length).toBe(2000);
  expect(more.body.rows.at(-1).line).toBe(2001);
});

test("a real import names the households it created, in file order", async () => {
  const res = await importCsv(CSV);
  expect(res.body).toMatchObject({ created: 2, cardsIssued: 0, dryRun: false });
  expect(res.body.rows).toBeUndefined();
  const created = h.db
    .query<{ id: number }, []>("SELECT id FROM households ORDER BY id")
    .all()
    .map((r) => String(r.id));
  expect(res.body.createdIds).toEqual(created);
  expect((await importCsv(CSV)).body.createdIds).toEqual([]);
  expect(h.db.query("SELECT count(*) AS n FROM cards").get()).toEqual({ n: 0 });
});

test("issueCards issues one card per created household in the same import, and none for rows skipped", async () => {
  expect((await importCsv("户主,编号\n王德明,H001\n")).status).toBe(200);
  const res = await importCsv(CSV, s.aAdmin, "?issueCards=true");
  expect(res.body).toMatchObject({ created: 1, skipped: 1, cardsIssued: 1 });
  const id = res.body.createdIds[0];
  const household = (await h.json("GET", `/api/households/${id}`, { cookie: s.aAdmin })).body;
  expect(household.card).toEqual({
    id: expect.any(String),
    number: expect.stringMatching(/^\d{8}$/),
  });
  expect(h.db.query("SELECT count(*) AS n FROM cards").get()).toEqual({ n: 1 });
  const audit = h.db
    .query<{ detail: string }, []>(
      "SELECT detail FROM audit_log WHERE action = 'import' ORDER BY id DESC LIMIT 1",
    )
    .get()!;
  expect(JSON.parse(audit.detail)).toMatchObject({ created: 1, cardsIssued: 1 });
  // A dry run issues nothing.
  expect(
    (await importCsv("户主\n钱七\n", s.aAdmin, "?dryRun=true&issueCards=true")).body,
  ).toMatchObject({ created: 1 });
  expect(h.db.query("SELECT count(*) AS n FROM cards").get()).toEqual({ n: 1 });
});

test("lineOffset is added to every line reported, for a file sent in pieces", async () => {
  const piece = "户主,住址\n甲,1组\n,2组\n乙,3组\n";
  const preview = await importCsv(piece, s.aAdmin, "?dryRun=true&lineOffset=5000");
  expect(preview.body.rows.map((r: { line: number }) => r.line)).toEqual([5002, 5004]);
  expect(preview.body.errors.map((e: { line: number }) => e.line)).toEqual([5003]);
  expect((await importCsv(piece, s.aAdmin, "?lineOffset=10000000")).body.errors[0].line).toBe(
    10000003,
  );
});

test.each([
  ["lineOffset=10000001"],
  ["lineOffset=-1"],
  ["lineOffset=1.5"],
  ["lineOffset="],
  ["issueCards=yes"],
  ["dryRun=1"],
])("refuses the query %s with 400 naming it, and imports nothing", async (query) => {
  const res = await importCsv(CSV, s.aAdmin, `?${query}`);
  expect(res.status).toBe(400);
  expect(res.body.errors[0].path).toStartWith(`query.${query.split("=")[0]}`);
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
  expect(
    (
      await h.json("POST", `/api/villages/${s.villageA.id}/households/import`, {
        cookie: s.aAdmin,
        body: { x: 1 },
      })
    ).status,
  ).toBe(415);
  expect((await importCsv(CSV, s.aClerk)).status).toBe(403);
  expect((await importCsv(CSV, s.bAdmin)).status).toBe(404);
});

test("parses line numbers across quoted newlines and CRLF line ends", () => {
  const parsed = parseHouseholdCsv(
    new TextEncoder().encode('户主,住址\r\n"甲",一\r\n"乙","二\r\n二"\r\n,空\r\n丙,三\r\n'),
  );
  expect(parsed.rows.map((r) => [r.line, r.household.headName])).toEqual([
    [2, "甲"],
    [3, "乙"],
    [6, "丙"],
  ]);
  expect(parsed.errors.map((e) => e.line)).toEqual([5]);
});
