/**
 * The daily jobs as the server runs them (src/main.ts starts them, and stops them with the
 * server): a real server on a file, serving HTTP, writes the day's checkpoint and the day's backup
 * into BACKUP_DIR at its first look, and the public board shows the checkpoint.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../src/main.ts";
import { shanghaiDayStartMs } from "../../src/shared/calendar.ts";
import { HOUR_MS, ManualClock } from "../../src/shared/clock.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";

setDefaultTimeout(30_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "jifen-daily-server-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a running server writes the day's checkpoint and backup at its first look, and its board shows the checkpoint", async () => {
  const clock = new ManualClock(shanghaiDayStartMs("2026-12-04") + 9 * HOUR_MS);
  const database = join(dir, "village.db");
  const backups = join(dir, "backups");
  const server = startServer({
    port: 0,
    databasePath: database,
    publicUrl: "http://localhost",
    adminPassword: "daily-server-test-password",
    quiet: true,
    trustedProxies: 0,
    clock,
    daily: { backupDir: backups, backupKeepDays: 14, firstLookMs: 300 },
  });
  try {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "daily-server-test-password" }),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const post = async (path: string, body: unknown) =>
      (await (
        await fetch(server.url + path, {
          method: "POST",
          headers: { "content-type": "application/json", cookie },
          body: JSON.stringify(body),
        })
      ).json()) as any;
    const village = (await post("/api/villages", { name: "东河村", code: "DH" })).village.id;
    const household = (await post(`/api/villages/${village}/households`, { headName: "张建华" }))
      .household.id;
    const rule = (
      await post(`/api/villages/${village}/rules`, {
        code: "R1",
        title: "清扫",
        category: "environment",
        points: 5,
      })
    ).rule.id;
    for (let i = 0; i < 5; i++)
      expect(
        (await post("/api/entries", { householdId: household, ruleId: rule })).entry.status,
      ).toBe("posted");

    const backup = join(backups, "village-2026-12-04.db");
    const deadline = Date.now() + 20_000;
    while (!existsSync(backup)) {
      if (Date.now() > deadline) throw new Error("no daily backup within 20 s");
      await Bun.sleep(100);
    }
    const board = (await (
      await fetch(`${server.url}/api/public/villages/${village}/board`)
    ).json()) as any;
    expect(board.checkpoint).toMatchObject({ day: "2026-12-04", today: true });
    expect(board.checkpoint.entries).toBeGreaterThanOrEqual(0);
    const copy = new Database(backup, { readonly: true });
    expect(verifyLedger(copy).ok).toBe(true);
    copy.close();
  } finally {
    server.stop();
  }
});
