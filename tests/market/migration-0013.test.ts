/**
 * Proves migration 0013 on a database made by 0001-0012 with rows in it: the stock ledger is
 * rebuilt with the same rows and ids (intakes from before sources existed become 'other'), the
 * stock still equals the sum of its movements, staff get their last sign-in from the audit log,
 * and the new rules of the stock ledger hold at the database (a count needs a reason, a donation
 * its donor, a write-off no source).
 */
import { expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { migrate, MIGRATIONS_DIR } from "../../src/db/migrate.ts";

test("0013 keeps every stock movement, names old intakes 'other', and fills last sign-ins", () => {
  const dir = mkdtempSync(join(tmpdir(), "jifen-0013-"));
  try {
    const before = join(dir, "before");
    mkdirSync(before);
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f < "0013"))
      copyFileSync(join(MIGRATIONS_DIR, file), join(before, file));
    const db = openDatabase(join(dir, "old.db"));
    migrate(db, 0, before);
    const village = db
      .query<{ id: number }, []>(
        "INSERT INTO villages (name, code, created_at_ms) VALUES ('柳溪村', 'LX', 0) RETURNING id",
      )
      .get()!.id;
    const goods = db
      .query<{ id: number }, [number]>(
        "INSERT INTO goods (village_id, name, price_points, stock, created_at_ms, updated_at_ms) VALUES (?, '肥皂', 5, 7, 0, 0) RETURNING id",
      )
      .get(village)!.id;
    const move = db.query(
      "INSERT INTO stock_movements (goods_id, village_id, kind, delta, stock_after, reason, occurred_on, created_at_ms, created_by) VALUES (?, ?, ?, ?, ?, ?, '2026-03-01', 0, 'a_clerk')",
    );
    move.run(goods, village, "intake", 10, 10, "进货");
    move.run(goods, village, "write_off", -3, 7, "受潮");
    const user = db
      .query<{ id: number }, [number]>(
        "INSERT INTO users (username, password_hash, role, village_id, created_at_ms) VALUES ('a_clerk', 'x', 'clerk', ?, 0) RETURNING id",
      )
      .get(village)!.id;
    const never = db
      .query<{ id: number }, [number]>(
        "INSERT INTO users (username, password_hash, role, village_id, created_at_ms) VALUES ('b_clerk', 'x', 'clerk', ?, 0) RETURNING id",
      )
      .get(village)!.id;
    const login = db.query(
      "INSERT INTO audit_log (at_ms, actor_kind, actor_id, village_id, action, entity, entity_id) VALUES (?, 'user', ?, ?, ?, 'user', ?)",
    );
    login.run(1000, String(user), village, "login", String(user));
    login.run(5000, String(user), village, "login", String(user));
    login.run(9000, String(user), village, "logout", String(user));

    expect(migrate(db, 1).applied).toContain("0013_back_office.sql");
    const rows = db
      .query<
        {
          id: number;
          kind: string;
          delta: number;
          source: string | null;
          donor: string | null;
          reason: string;
        },
        []
      >("SELECT id, kind, delta, source, donor, reason FROM stock_movements ORDER BY id")
      .all();
    expect(rows).toEqual([
      { id: 1, kind: "intake", delta: 10, source: "other", donor: null, reason: "进货" },
      { id: 2, kind: "write_off", delta: -3, source: null, donor: null, reason: "受潮" },
    ]);
    expect(db.query("SELECT stock FROM goods").get()).toEqual({ stock: 7 });
    expect(db.query("SELECT sum(delta) AS s FROM stock_movements").get()).toEqual({ s: 7 });
    const signIns = db
      .query<{ id: number; last_sign_in_at_ms: number | null }, []>(
        "SELECT id, last_sign_in_at_ms FROM users ORDER BY id",
      )
      .all();
    expect(signIns).toEqual([
      { id: user, last_sign_in_at_ms: 5000 },
      { id: never, last_sign_in_at_ms: null },
    ]);
    expect(db.query("PRAGMA foreign_key_check").all()).toEqual([]);
    expect(db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });

    const insert =
      (
        kind: string,
        delta: number,
        reason: string | null,
        source: string | null,
        donor: string | null,
      ) =>
      () =>
        db
          .query(
            "INSERT INTO stock_movements (goods_id, village_id, kind, delta, stock_after, reason, source, donor, occurred_on, created_at_ms, created_by) VALUES (?, ?, ?, ?, 7, ?, ?, ?, '2026-03-02', 0, 'x')",
          )
          .run(goods, village, kind, delta, reason, source, donor);
    expect(insert("count", -1, null, null, null)).toThrow("CHECK");
    expect(insert("count", 2, "找到", null, null)).not.toThrow();
    expect(insert("intake", 1, null, "donation", null)).toThrow("CHECK");
    expect(insert("intake", 1, null, null, null)).toThrow("CHECK");
    expect(insert("intake", 1, null, "gift", null)).toThrow("CHECK");
    expect(insert("write_off", -1, "破损", "other", null)).toThrow("CHECK");
    expect(insert("intake", 1, null, "donation", "县供销社")).not.toThrow();
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
