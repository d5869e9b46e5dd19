/**
 * A real app on a real SQLite database for each test: a temp file (WAL, FULL, all migrations) or
 * `:memory:`, real HTTP through `app.request()`, and a manual clock the test moves.
 */
import type { Database } from "bun:sqlite";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createApp, type AppConfig } from "../../src/http/app.ts";
import { ensureAdmin } from "../../src/auth/bootstrap.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { setPasswordCost } from "../../src/auth/users.ts";

// Real argon2id, at a cost that keeps a test suite with hundreds of sign-ins fast.
setPasswordCost({ memoryCost: 1024, timeCost: 1 });

export const ADMIN_PASSWORD = "admin-password-for-tests";
export const STAFF_PASSWORD = "staff-password-for-tests";
export const T0_MS = Date.UTC(2026, 2, 2, 2, 0, 0); // 2026-03-02 10:00 Beijing time

export type Harness = {
  db: Database;
  clock: ManualClock;
  app: ReturnType<typeof createApp>;
  dir: string;
  request: (method: string, path: string, options?: RequestOptions) => Promise<Response>;
  json: <T = any>(
    method: string,
    path: string,
    options?: RequestOptions,
  ) => Promise<{ status: number; body: T; headers: Headers }>;
  login: (username: string, password?: string) => Promise<string>;
  close: () => void;
};

export type RequestOptions = {
  body?: unknown;
  cookie?: string;
  token?: string;
  headers?: Record<string, string>;
  raw?: BodyInit | Uint8Array;
  contentType?: string;
};

/**
 * `template`: start from a copy of this database file (seeded once per test file, since signing
 * staff in hashes passwords with argon2id, slow on purpose); its sessions and tokens still work.
 */
export function createHarness(
  options: { file?: boolean; template?: string; config?: Partial<AppConfig> } = {},
): Harness {
  const dir = mkdtempSync(join(tmpdir(), "jifen-test-"));
  if (options.template !== undefined) copyFileSync(options.template, join(dir, "test.db"));
  const db = openDatabase(options.file === false ? ":memory:" : join(dir, "test.db"));
  const clock = new ManualClock(T0_MS);
  migrate(db, clock.nowMs());
  ensureAdmin(db, ADMIN_PASSWORD, clock.nowMs());
  const app = createApp(db, clock, {
    publicUrl: "http://jifen.test",
    log: () => {},
    validateResponses: true,
    ...options.config,
  });

  const request = (method: string, path: string, o: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.cookie) headers["cookie"] = o.cookie;
    if (o.token) headers["authorization"] = `Bearer ${o.token}`;
    let body = o.raw as BodyInit | undefined;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] ??= "application/json";
    }
    if (o.contentType) headers["content-type"] = o.contentType;
    return Promise.resolve(app.request(path, { method, headers, body }));
  };
  const json = async (method: string, path: string, o: RequestOptions = {}) => {
    const res = await request(method, path, o);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  const login = async (
    username: string,
    password = username === "admin" ? ADMIN_PASSWORD : STAFF_PASSWORD,
  ) => {
    const res = await request("POST", "/api/auth/login", { body: { username, password } });
    if (res.status !== 200)
      throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
    const cookie = res.headers.get("set-cookie")!;
    return cookie.split(";")[0]!;
  };
  return {
    db,
    clock,
    app,
    dir,
    request,
    json,
    login,
    close: () => {
      db.close(false);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A township with two villages, each with an admin and a clerk, and a signed-in cookie for each. */
export async function seedTwoVillages(h: Harness) {
  const admin = await h.login("admin");
  const a = (
    await h.json("POST", "/api/villages", { cookie: admin, body: { name: "东河村", code: "DH" } })
  ).body.village;
  const b = (
    await h.json("POST", "/api/villages", { cookie: admin, body: { name: "柳湾村", code: "LW" } })
  ).body.village;
  for (const [v, prefix] of [
    [a, "a"],
    [b, "b"],
  ] as const) {
    await h.json("POST", "/api/users", {
      cookie: admin,
      body: {
        username: `${prefix}_admin`,
        password: STAFF_PASSWORD,
        role: "village_admin",
        villageId: v.id,
      },
    });
    await h.json("POST", "/api/users", {
      cookie: admin,
      body: {
        username: `${prefix}_clerk`,
        password: STAFF_PASSWORD,
        role: "clerk",
        villageId: v.id,
      },
    });
  }
  return {
    admin,
    villageA: a as { id: string; name: string },
    villageB: b as { id: string; name: string },
    aAdmin: await h.login("a_admin"),
    aClerk: await h.login("a_clerk"),
    bAdmin: await h.login("b_admin"),
    bClerk: await h.login("b_clerk"),
  };
}
