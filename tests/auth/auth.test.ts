/**
 * Proves staff sign-in: argon2id passwords, session cookies stored only as hashes that expire after
 * 12 idle hours, logout, the 5-failures limit per username and per address with Retry-After, and
 * the bootstrap administrator.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import {
  createHarness,
  seedTwoVillages,
  ADMIN_PASSWORD,
  STAFF_PASSWORD,
  type Harness,
} from "../support/harness.ts";
import { HOUR_MS, MINUTE_MS } from "../../src/shared/clock.ts";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { ensureAdmin } from "../../src/auth/bootstrap.ts";
import { join } from "node:path";
import { OTHER_WRITERS_CHECK_MS } from "../../src/auth/sessions.ts";

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

test("signs in with the right password and sets an HttpOnly, SameSite=Lax cookie", async () => {
  const res = await h.request("POST", "/api/auth/login", {
    body: { username: "admin", password: ADMIN_PASSWORD },
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get("set-cookie")!;
  expect(cookie).toContain("HttpOnly");
  expect(cookie).toContain("SameSite=Lax");
  expect(cookie).not.toContain("Secure");
  const body = (await res.json()) as { user: { username: string; role: string } };
  expect(body.user).toMatchObject({ username: "admin", role: "township_admin" });
  const me = await h.json("GET", "/api/me", { cookie: cookie.split(";")[0] });
  expect(me.status).toBe(200);
  expect(me.body.user.username).toBe("admin");
});

test("stores passwords as argon2id and sessions only as SHA-256 hashes", async () => {
  const cookie = await h.login("admin");
  const token = cookie.split("=")[1]!;
  const user = h.db
    .query<{ password_hash: string }, []>(
      "SELECT password_hash FROM users WHERE username = 'admin'",
    )
    .get()!;
  expect(user.password_hash.startsWith("$argon2id$")).toBe(true);
  const sessions = h.db.query<{ token_hash: string }, []>("SELECT token_hash FROM sessions").all();
  expect(sessions.length).toBe(1);
  expect(sessions[0]!.token_hash).not.toBe(token);
  expect(sessions[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  expect(Buffer.from(token, "base64url").length).toBe(32);
});

test("refuses a wrong password or unknown user with 401", async () => {
  expect(
    (
      await h.json("POST", "/api/auth/login", {
        body: { username: "admin", password: "wrong-password" },
      })
    ).status,
  ).toBe(401);
  expect(
    (
      await h.json("POST", "/api/auth/login", {
        body: { username: "nobody", password: "wrong-password" },
      })
    ).status,
  ).toBe(401);
});

test("limits a username to 5 failures in 15 minutes with 429 and Retry-After, even with the right password", async () => {
  for (let i = 0; i < 5; i++) {
    expect(
      (
        await h.json("POST", "/api/auth/login", {
          body: { username: "admin", password: `wrong-${i}` },
        })
      ).status,
    ).toBe(401);
  }
  const blocked = await h.json("POST", "/api/auth/login", {
    body: { username: "admin", password: ADMIN_PASSWORD },
  });
  expect(blocked.status).toBe(429);
  expect(blocked.body.type).toEndWith("/rate-limited");
  const retryS = Number(blocked.headers.get("retry-after"));
  expect(retryS).toBeGreaterThan(0);
  expect(retryS).toBeLessThanOrEqual(15 * 60);
  h.clock.advance(15 * MINUTE_MS + 1);
  expect(
    (
      await h.json("POST", "/api/auth/login", {
        body: { username: "admin", password: ADMIN_PASSWORD },
      })
    ).status,
  ).toBe(200);
});

test("limits an address that tries many usernames (20 wrong passwords in 15 minutes)", async () => {
  for (let i = 0; i < 20; i++)
    await h.json("POST", "/api/auth/login", {
      body: { username: `user${i}`, password: "wrong-password" },
    });
  expect(
    (
      await h.json("POST", "/api/auth/login", {
        body: { username: "admin", password: ADMIN_PASSWORD },
      })
    ).status,
  ).toBe(429);
});

test("ends a session after 12 idle hours but keeps an active one alive", async () => {
  const cookie = await h.login("admin");
  h.clock.advance(11 * HOUR_MS);
  expect((await h.json("GET", "/api/me", { cookie })).status).toBe(200);
  h.clock.advance(11 * HOUR_MS);
  expect((await h.json("GET", "/api/me", { cookie })).status).toBe(200);
  h.clock.advance(12 * HOUR_MS + 1);
  expect((await h.json("GET", "/api/me", { cookie })).status).toBe(401);
});

test("logout ends the session", async () => {
  const cookie = await h.login("admin");
  const res = await h.request("POST", "/api/auth/logout", { cookie });
  expect(res.status).toBe(204);
  expect((await h.json("GET", "/api/me", { cookie })).status).toBe(401);
});

test("creates staff with passwords of 10 to 128 characters and refuses duplicates", async () => {
  const s = await seedTwoVillages(h);
  const base = { role: "clerk", villageId: s.villageA.id };
  expect(
    (
      await h.json("POST", "/api/users", {
        cookie: s.admin,
        body: { ...base, username: "short", password: "123456789" },
      })
    ).status,
  ).toBe(400);
  expect(
    (
      await h.json("POST", "/api/users", {
        cookie: s.admin,
        body: { ...base, username: "long", password: "x".repeat(129) },
      })
    ).status,
  ).toBe(400);
  expect(
    (
      await h.json("POST", "/api/users", {
        cookie: s.admin,
        body: { ...base, username: "ok_user", password: "x".repeat(10) },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await h.json("POST", "/api/users", {
        cookie: s.admin,
        body: { ...base, username: "OK_USER", password: "x".repeat(10) },
      })
    ).status,
  ).toBe(409);
  expect(
    (
      await h.json("POST", "/api/users", {
        cookie: s.admin,
        body: { role: "clerk", username: "novillage", password: "x".repeat(10) },
      })
    ).status,
  ).toBe(400);
});

test("lets a village admin create clerks of their own village only", async () => {
  const s = await seedTwoVillages(h);
  expect(
    (
      await h.json("POST", "/api/users", {
        cookie: s.aAdmin,
        body: {
          username: "a_clerk2",
          password: STAFF_PASSWORD,
          role: "clerk",
          villageId: s.villageA.id,
        },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await h.json("POST", "/api/users", {
        cookie: s.aAdmin,
        body: {
          username: "a_admin2",
          password: STAFF_PASSWORD,
          role: "village_admin",
          villageId: s.villageA.id,
        },
      })
    ).status,
  ).toBe(403);
  expect(
    (
      await h.json("POST", "/api/users", {
        cookie: s.aAdmin,
        body: {
          username: "b_clerk2",
          password: STAFF_PASSWORD,
          role: "clerk",
          villageId: s.villageB.id,
        },
      })
    ).status,
  ).toBe(404);
  expect(
    (
      await h.json("POST", "/api/users", {
        cookie: s.aClerk,
        body: {
          username: "x_clerk",
          password: STAFF_PASSWORD,
          role: "clerk",
          villageId: s.villageA.id,
        },
      })
    ).status,
  ).toBe(403);
});

test("disabling a user ends their sessions", async () => {
  const s = await seedTwoVillages(h);
  const clerk = h.db
    .query<{ id: number }, []>("SELECT id FROM users WHERE username = 'a_clerk'")
    .get()!;
  expect((await h.request("DELETE", `/api/users/${clerk.id}`, { cookie: s.aAdmin })).status).toBe(
    204,
  );
  expect((await h.json("GET", "/api/me", { cookie: s.aClerk })).status).toBe(401);
  expect(
    (
      await h.json("POST", "/api/auth/login", {
        body: { username: "a_clerk", password: STAFF_PASSWORD },
      })
    ).status,
  ).toBe(401);
});

test("sign-ins remembered in memory are forgotten when another process disables the user or revokes the kiosk", async () => {
  const s = await seedTwoVillages(h);
  const kiosk = (
    await h.json("POST", `/api/villages/${s.villageA.id}/kiosks`, {
      cookie: s.aAdmin,
      body: { name: "超市" },
    })
  ).body;
  // Warm the memory: both are known and answered without a read.
  expect((await h.json("GET", "/api/me", { cookie: s.aClerk })).status).toBe(200);
  expect((await h.json("GET", "/api/kiosk/me", { token: kiosk.token })).status).toBe(200);
  // Another connection to the same file (as another server process or a script would be).
  const other = openDatabase(join(h.dir, "test.db"));
  other.run("UPDATE users SET disabled = 1 WHERE username = 'a_clerk'");
  other.run(`UPDATE kiosks SET revoked_at_ms = 1 WHERE id = ${Number(kiosk.id)}`);
  other.close();
  // Writes by other connections are looked for every OTHER_WRITERS_CHECK_MS (this server's own are seen at once).
  h.clock.advance(OTHER_WRITERS_CHECK_MS);
  expect((await h.json("GET", "/api/me", { cookie: s.aClerk })).status).toBe(401);
  expect((await h.json("GET", "/api/kiosk/me", { token: kiosk.token })).status).toBe(401);
  // Staff untouched by the change stay signed in.
  expect((await h.json("GET", "/api/me", { cookie: s.aAdmin })).status).toBe(200);
});

test("a remembered session still ends after 12 idle hours and is still refreshed once a minute", async () => {
  const s = await seedTwoVillages(h);
  const lastSeen = () =>
    h.db
      .query<{ t: number }, []>(
        "SELECT max(last_seen_at_ms) AS t FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'a_clerk'",
      )
      .get()!.t;
  expect((await h.json("GET", "/api/me", { cookie: s.aClerk })).status).toBe(200);
  const first = lastSeen();
  h.clock.advance(30 * 1000);
  expect((await h.json("GET", "/api/me", { cookie: s.aClerk })).status).toBe(200);
  expect(lastSeen()).toBe(first);
  h.clock.advance(MINUTE_MS);
  expect((await h.json("GET", "/api/me", { cookie: s.aClerk })).status).toBe(200);
  expect(lastSeen()).toBe(h.clock.nowMs());
  h.clock.advance(12 * HOUR_MS + 1);
  expect((await h.json("GET", "/api/me", { cookie: s.aClerk })).status).toBe(401);
});

test("the first start creates admin once, with a printed random password when none is given", () => {
  const db = openDatabase(":memory:");
  migrate(db, 0);
  const created = ensureAdmin(db, undefined, 0);
  expect(created?.generated).toBe(true);
  expect(created!.password.length).toBeGreaterThanOrEqual(16);
  expect(ensureAdmin(db, undefined, 0)).toBeNull();
  expect(() => ensureAdmin(openDatabaseMigrated(), "short", 0)).toThrow(/at least 10/);
});

function openDatabaseMigrated() {
  const db = openDatabase(":memory:");
  migrate(db, 0);
  return db;
}

test("records every write in the audit log with who, what, where and the request id", async () => {
  const s = await seedTwoVillages(h);
  const res = await h.request("POST", `/api/villages/${s.villageA.id}/households`, {
    cookie: s.aClerk,
    body: { headName: "王德明" },
    headers: { "x-request-id": "req-123" },
  });
  expect(res.status).toBe(201);
  const row = h.db
    .query<Record<string, unknown>, []>(
      "SELECT * FROM audit_log WHERE entity = 'household' ORDER BY id DESC LIMIT 1",
    )
    .get()!;
  expect(row).toMatchObject({
    action: "create",
    actor_kind: "user",
    village_id: Number(s.villageA.id),
    request_id: "req-123",
    address: "local",
  });
  expect(row["actor_id"]).toBe(
    String(
      h.db.query<{ id: number }, []>("SELECT id FROM users WHERE username = 'a_clerk'").get()!.id,
    ),
  );
});

test("marks the session cookie Secure when PUBLIC_URL is https", async () => {
  const { createApp } = await import("../../src/http/app.ts");
  const app = createApp(h.db, h.clock, {
    publicUrl: "https://jifen.example.gov.cn",
    log: () => {},
  });
  const res = await app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("set-cookie")).toContain("Secure");
});
