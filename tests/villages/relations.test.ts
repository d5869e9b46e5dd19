/**
 * Proves one set of member relation codes (issue 22): the API takes codes or the household
 * register's words and answers codes, the head is `head`; the database refuses anything else
 * (triggers of migrations/0012); and migration 0012 maps what older databases stored (words,
 * codes, free text) to codes, fills the door keys of existing addresses with the same rule the
 * code uses, and gives existing objections their village. The migration is run on a database
 * migrated to 0011 and filled the way the old code filled it.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";
import { RELATION_CODES, RELATION_WORDS, relationCode } from "../../src/villages/relations.ts";
import { doorKeysOf } from "../../src/villages/door.ts";
import { openDatabase } from "../../src/db/open.ts";
import { migrate, MIGRATIONS_DIR } from "../../src/db/migrate.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;

const add = (members: unknown) =>
  h.json("POST", `/api/villages/${s.villageA.id}/households`, {
    cookie: s.aClerk,
    body: { headName: "张建华", members },
  });

test.each([
  ["户主", "head"],
  ["配偶", "spouse"],
  ["妻子", "spouse"],
  ["丈夫", "spouse"],
  ["儿子", "son"],
  ["女儿", "daughter"],
  ["父亲", "father"],
  ["母亲", "mother"],
  ["儿媳", "daughter_in_law"],
  ["女婿", "son_in_law"],
  ["孙子", "grandson"],
  ["孙女", "granddaughter"],
  ["祖父", "grandfather"],
  ["祖母", "grandmother"],
  ["兄弟", "brother"],
  ["姐妹", "sister"],
  ["其他", "other"],
  [" Son ", "son"],
  ["DAUGHTER_IN_LAW", "daughter_in_law"],
  ["邻居", null],
  ["", null],
])("the relation %j is the code %j", (word, code) => {
  expect(relationCode(word)).toBe(code as never);
});

test("every word maps to a code of the one set", () => {
  for (const code of Object.values(RELATION_WORDS)) expect(RELATION_CODES).toContain(code);
});

describe("over HTTP", () => {
  beforeEach(async () => {
    h = createHarness();
    s = await seedTwoVillages(h);
  });
  afterEach(() => h.close());

  test("a household takes relations as words or codes and answers codes, the head as head", async () => {
    const res = await add([
      { name: "李秀英", relation: "妻子" },
      { name: "张浩宇", relation: "son" },
      { name: "张小红" },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.household.members.map((m: { relation: string | null }) => m.relation)).toEqual([
      "head",
      "spouse",
      "son",
      null,
    ]);
    expect(
      h.db
        .query("SELECT relation FROM members ORDER BY id")
        .all()
        .map((r) => (r as { relation: string | null }).relation),
    ).toEqual(["head", "spouse", "son", null]);
  });

  test.each([["邻居"], ["户主"], ["head"], ["x".repeat(21)]])(
    "refuses the member relation %j with a 400 naming the field",
    async (relation) => {
      const res = await add([{ name: "李秀英", relation }]);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe("body.members[0].relation");
      expect(h.db.query("SELECT count(*) AS n FROM households").get()).toEqual({ n: 0 });
    },
  );

  test("the database refuses a relation outside the codes, a second head and a head without the head code", () => {
    const id = Number(
      h.db
        .query<{ id: number }, [number]>(
          "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, created_at_ms) VALUES (?, '王五', 'ww', 'wangwu', 0) RETURNING id",
        )
        .get(Number(s.villageA.id))!.id,
    );
    const insert = (relation: string | null, isHead: number) => () =>
      h.db
        .query("INSERT INTO members (household_id, name, relation, is_head) VALUES (?, '某', ?, ?)")
        .run(id, relation, isHead);
    expect(insert("配偶", 0)).toThrow("relation codes");
    expect(insert("head", 0)).toThrow("relation codes");
    expect(insert("spouse", 1)).toThrow("relation codes");
    insert("head", 1)();
    insert(null, 0)();
    expect(() =>
      h.db.run(`UPDATE members SET relation = '儿子' WHERE household_id = ${id} AND is_head = 0`),
    ).toThrow("relation codes");
  });
});

test("migration 0012 maps stored relations to codes, fills door keys and gives objections their village", () => {
  const dir = mkdtempSync(join(tmpdir(), "jifen-0012-"));
  try {
    const before = join(dir, "before");
    mkdirSync(before);
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f < "0012"))
      copyFileSync(join(MIGRATIONS_DIR, file), join(before, file));
    const db = openDatabase(join(dir, "old.db"));
    migrate(db, 0, before);
    const village = db
      .query<{ id: number }, []>(
        "INSERT INTO villages (name, code, created_at_ms) VALUES ('柳溪村', 'LX', 0) RETURNING id",
      )
      .get()!.id;
    const addresses = ["柳溪村3组27号", "３组０２７号", "", "无门牌", "东河村12组3号之1", "0号"];
    const households = addresses.map(
      (address, i) =>
        db
          .query<{ id: number }, [number, string, string]>(
            "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, address, created_at_ms) VALUES (?, ?, '', '', ?, 0) RETURNING id",
          )
          .get(village, `户主${i}`, address)!.id,
    );
    const stored: [string | null, number, string | null][] = [
      ["户主", 1, "head"],
      ["配偶", 0, "spouse"],
      ["子", 0, "son"],
      ["女", 0, "daughter"],
      ["儿媳", 0, "daughter_in_law"],
      ["spouse", 0, "spouse"],
      ["Son", 0, "son"],
      ["邻居", 0, "other"],
      ["户主", 0, "other"],
      [null, 0, null],
      ["", 0, null],
    ];
    for (const [relation, isHead] of stored)
      db.query(
        "INSERT INTO members (household_id, name, relation, is_head) VALUES (?, '某', ?, ?)",
      ).run(households[0]!, relation, isHead);
    const entry = db
      .query<{ id: number }, [number, number]>(
        "INSERT INTO entries (village_id, household_id, kind, status, points, occurred_on, created_at_ms, created_by) VALUES (?, ?, 'award', 'disputed', 5, '2026-03-01', 0, 'x') RETURNING id",
      )
      .get(village, households[0]!)!.id;
    db.query(
      "INSERT INTO objections (entry_id, reason, created_at_ms) VALUES (?, '没有参加', 0)",
    ).run(entry);

    // 0012 and whatever came after it.
    expect(migrate(db, 1).applied[0]).toBe("0012_staff_pages.sql");
    expect(
      db
        .query<{ relation: string | null }, []>("SELECT relation FROM members ORDER BY id")
        .all()
        .map((r) => r.relation),
    ).toEqual(stored.map(([, , code]) => code));
    const doors = db
      .query<{ address: string; door_no: string; door_key: string }, []>(
        "SELECT address, door_no, door_key FROM households ORDER BY id",
      )
      .all();
    for (const d of doors)
      expect({ doorNo: d.door_no, doorKey: d.door_key }).toEqual(doorKeysOf(d.address));
    expect(doors[1]).toMatchObject({ door_no: "27", door_key: "3-27" });
    expect(db.query("SELECT village_id FROM objections").get()).toEqual({ village_id: village });
    expect(db.query("SELECT low_stock_threshold FROM goods").all()).toEqual([]);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
