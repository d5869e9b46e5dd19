/**
 * Proves the management of staff accounts over real HTTP on a real database: when each last
 * signed in; a village admin changing their own village's clerks and village admins (name, role,
 * disabled) but never a township admin, another village's staff or their own role or flag; a
 * township admin changing anyone but their own flag; a disable or role change ending the user's
 * sessions at once; password resets by an admin and changes by the owner (old password required,
 * a wrong one counted like a failed sign-in, the other sessions ended, this one kept). Every
 * refusal carries its code; every change is audited without its password.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { STAFF_PASSWORD, type Harness } from "../support/harness.ts";
import { MINUTE_MS } from "../../src/shared/clock.ts";
import { freshTownship, userId, type Township } from "../support/township-fixture.ts";

let h: Harness;
let s: Township;
beforeEach(async () => {
  ({ h, s } = await freshTownship());
});
afterEach(() => h.close());

const patch = (id: string, body: unknown, cookie: string) =>
  h.json("PATCH", `/api/users/${id}`, { cookie, body });
const me = (cookie: string) => h.json("GET", "/api/me", { cookie });
const lastAudit = () =>
  h.db
    .query<{ action: string; entity_id: string; detail: string; village_id: number | null }, []>(
      "SELECT action, entity_id, detail, village_id FROM audit_log ORDER BY id DESC LIMIT 1",
    )
    .get()!;
const auditText = () => JSON.stringify(h.db.query("SELECT * FROM audit_log").all());

describe("the staff list", () => {
  test("answers when each account last signed in, null for one that never has", async () => {
    h.clock.advance(5 * MINUTE_MS);
    await h.login("a_clerk");
    await h.json("POST", "/api/users", {
      cookie: s.aAdmin,
      body: {
        username: "a_new",
        password: STAFF_PASSWORD,
        role: "clerk",
        villageId: s.villageA.id,
      },
    });
    const list = await h.json("GET", "/api/users", { cookie: s.aAdmin });
    expect(list.status).toBe(200);
    const byName = Object.fromEntries(
      list.body.items.map((u: { username: string; lastSignInAt: string | null }) => [
        u.username,
        u.lastSignInAt,
      ]),
    );
    expect(byName).toEqual({
      a_admin: new Date(h.clock.nowMs() - 5 * MINUTE_MS).toISOString(),
      a_clerk: new Date(h.clock.nowMs()).toISOString(),
      a_new: null,
    });
  });
});

describe("PATCH /api/users/:id", () => {
  test("a village admin renames a clerk, makes them a village admin, and the change ends their sessions at once", async () => {
    const clerk = userId(h, "a_clerk");
    const renamed = await patch(clerk, { displayName: "王会计" }, s.aAdmin);
    expect(renamed.status).toBe(200);
    expect(renamed.body.user).toMatchObject({
      username: "a_clerk",
      displayName: "王会计",
      role: "clerk",
      disabled: false,
    });
    expect((await me(s.aClerk)).status).toBe(200);
    const promoted = await patch(clerk, { role: "village_admin" }, s.aAdmin);
    expect(promoted.body.user.role).toBe("village_admin");
    expect((await me(s.aClerk)).status).toBe(401);
    const audit = lastAudit();
    expect(audit.action).toBe("update");
    expect(JSON.parse(audit.detail)).toEqual({
      username: "a_clerk",
      changed: { role: ["clerk", "village_admin"] },
    });
    expect(audit.village_id).toBe(Number(s.villageA.id));
  });

  test("a village admin disables and enables another village admin of their village; disabled, they are locked out at once", async () => {
    await h.json("POST", "/api/users", {
      cookie: s.admin,
      body: {
        username: "a_admin2",
        password: STAFF_PASSWORD,
        role: "village_admin",
        villageId: s.villageA.id,
      },
    });
    const other = await h.login("a_admin2");
    const id = userId(h, "a_admin2");
    const disabled = await patch(id, { disabled: true }, s.aAdmin);
    expect(disabled.status).toBe(200);
    expect(disabled.body.user.disabled).toBe(true);
    expect(lastAudit().action).toBe("disable");
    expect((await me(other)).status).toBe(401);
    expect(
      (
        await h.json("POST", "/api/auth/login", {
          body: { username: "a_admin2", password: STAFF_PASSWORD },
        })
      ).status,
    ).toBe(401);
    expect((await patch(id, { disabled: false }, s.aAdmin)).body.user.disabled).toBe(false);
    expect(lastAudit().action).toBe("enable");
    expect(
      (
        await h.json("POST", "/api/auth/login", {
          body: { username: "a_admin2", password: STAFF_PASSWORD },
        })
      ).status,
    ).toBe(200);
  });

  test("a village admin may rename themselves but not change their own role or disable themselves", async () => {
    const self = userId(h, "a_admin");
    expect((await patch(self, { displayName: "孙主任" }, s.aAdmin)).status).toBe(200);
    for (const body of [{ role: "clerk" }, { disabled: true }]) {
      const res = await patch(self, body, s.aAdmin);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("own-account");
    }
    expect((await me(s.aAdmin)).body.user).toMatchObject({
      role: "village_admin",
      disabled: false,
      displayName: "孙主任",
    });
  });

  test("a village admin may not touch a township admin (403 with a code) nor another village's staff (404)", async () => {
    const township = await patch(userId(h, "admin"), { displayName: "x" }, s.aAdmin);
    expect(township.status).toBe(403);
    expect(township.body.code).toBe("township-admin-only");
    expect((await patch(userId(h, "b_clerk"), { displayName: "x" }, s.aAdmin)).status).toBe(404);
  });

  test("a township admin changes anyone but may not disable themselves, and no role becomes township_admin", async () => {
    expect(
      (await patch(userId(h, "b_admin"), { role: "clerk", displayName: "柳湾村文书" }, s.admin))
        .status,
    ).toBe(200);
    expect((await me(s.bAdmin)).status).toBe(401);
    const self = await patch(userId(h, "admin"), { disabled: true }, s.admin);
    expect(self.status).toBe(403);
    expect(self.body.code).toBe("own-account");
    const promote = await patch(userId(h, "a_clerk"), { role: "township_admin" }, s.admin);
    expect(promote.status).toBe(409);
    expect(promote.body.code).toBe("township-role-fixed");
    expect(promote.body.errors[0].path).toBe("body.role");
    expect(
      (await patch(userId(h, "admin"), { displayName: "镇管理员（值班）" }, s.admin)).status,
    ).toBe(200);
  });

  test("a clerk may not manage accounts", async () => {
    const res = await patch(userId(h, "a_clerk"), { displayName: "x" }, s.aClerk);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("role-may-not");
  });

  test("a display name of 40 characters is taken; null clears it", async () => {
    const id = userId(h, "a_clerk");
    expect((await patch(id, { displayName: "名".repeat(40) }, s.aAdmin)).status).toBe(200);
    expect((await patch(id, { displayName: null }, s.aAdmin)).body.user.displayName).toBeNull();
  });

  test.each([
    ["nothing", {}, "body"],
    ["an empty name", { displayName: "  " }, "body.displayName"],
    ["a name of 41 characters", { displayName: "名".repeat(41) }, "body.displayName"],
    ["an unknown role", { role: "boss" }, "body.role"],
    ["disabled as text", { disabled: "yes" }, "body.disabled"],
    ["a password", { password: "new-password-123" }, "body"],
  ])("refuses %s with a 400 naming the field, changing nothing", async (_, body, path) => {
    const before = JSON.stringify(h.db.query("SELECT * FROM users").all());
    const res = await patch(userId(h, "a_clerk"), body, s.aAdmin);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe(path);
    expect(JSON.stringify(h.db.query("SELECT * FROM users").all())).toBe(before);
  });

  test("an empty change says so with its code", async () => {
    expect((await patch(userId(h, "a_clerk"), {}, s.aAdmin)).body.code).toBe("nothing-to-change");
  });
});

describe("POST /api/users/:id/password", () => {
  test("an admin resets a clerk's password: the old one and the clerk's sessions stop working at once", async () => {
    const res = await h.json("POST", `/api/users/${userId(h, "a_clerk")}/password`, {
      cookie: s.aAdmin,
      body: { password: "0123456789" },
    });
    expect(res.status).toBe(204);
    expect((await me(s.aClerk)).status).toBe(401);
    expect(
      (
        await h.json("POST", "/api/auth/login", {
          body: { username: "a_clerk", password: STAFF_PASSWORD },
        })
      ).status,
    ).toBe(401);
    expect(lastAudit().action).toBe("reset_password");
    expect(
      (
        await h.json("POST", "/api/auth/login", {
          body: { username: "a_clerk", password: "0123456789" },
        })
      ).status,
    ).toBe(200);
    expect(auditText()).not.toContain("0123456789");
  });

  test.each([
    [9, 400],
    [10, 204],
    [128, 204],
    [129, 400],
  ])("a new password of %p characters answers %p", async (length, status) => {
    expect(
      (
        await h.json("POST", `/api/users/${userId(h, "a_clerk")}/password`, {
          cookie: s.aAdmin,
          body: { password: "a".repeat(length) },
        })
      ).status,
    ).toBe(status);
  });

  test("follows the same rules: not one's own, not a township admin's, not another village's", async () => {
    const own = await h.json("POST", `/api/users/${userId(h, "a_admin")}/password`, {
      cookie: s.aAdmin,
      body: { password: "0123456789" },
    });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe("own-account");
    expect(
      (
        await h.json("POST", `/api/users/${userId(h, "admin")}/password`, {
          cookie: s.aAdmin,
          body: { password: "0123456789" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await h.json("POST", `/api/users/${userId(h, "b_clerk")}/password`, {
          cookie: s.aAdmin,
          body: { password: "0123456789" },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await h.json("POST", `/api/users/${userId(h, "a_admin")}/password`, {
          cookie: s.aClerk,
          body: { password: "0123456789" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await h.json("POST", `/api/users/${userId(h, "a_admin")}/password`, {
          cookie: s.admin,
          body: { password: "0123456789" },
        })
      ).status,
    ).toBe(204);
  });
});

describe("POST /api/me/password", () => {
  test("changes one's own password with the old one: every session ends and this browser gets a fresh one", async () => {
    const elsewhere = await h.login("a_clerk");
    const res = await h.json("POST", "/api/me/password", {
      cookie: s.aClerk,
      body: { oldPassword: STAFF_PASSWORD, newPassword: "a-brand-new-secret" },
    });
    expect(res.status).toBe(204);
    expect(lastAudit().action).toBe("change_password");
    const fresh = res.headers.get("set-cookie")!.split(";")[0]!;
    expect(fresh).toStartWith("jifen_session=");
    expect(fresh).not.toBe(s.aClerk);
    expect((await me(fresh)).status).toBe(200);
    // The cookie the change was made with is worthless now: a copy of it is what one changes a password against.
    expect((await me(s.aClerk)).status).toBe(401);
    expect((await me(elsewhere)).status).toBe(401);
    expect(
      (
        await h.json("POST", "/api/auth/login", {
          body: { username: "a_clerk", password: "a-brand-new-secret" },
        })
      ).status,
    ).toBe(200);
    expect(auditText()).not.toContain("a-brand-new-secret");
    expect(auditText()).not.toContain(STAFF_PASSWORD);
  });

  test("a wrong old password answers 400 wrong-password beside the field, counts as a failed sign-in and changes nothing", async () => {
    const res = await h.json("POST", "/api/me/password", {
      cookie: s.aClerk,
      body: { oldPassword: "not-my-password", newPassword: "a-brand-new-secret" },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("wrong-password");
    expect(res.body.errors).toEqual([{ path: "body.oldPassword", message: "wrong password" }]);
    expect(
      h.db.query("SELECT count(*) AS n FROM login_failures WHERE username = 'a_clerk'").get(),
    ).toEqual({ n: 1 });
    expect(
      (
        await h.json("POST", "/api/auth/login", {
          body: { username: "a_clerk", password: STAFF_PASSWORD },
        })
      ).status,
    ).toBe(200);
  });

  test("300 parallel wrong old passwords: at most 5 are tried, the rest answer 429", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        h
          .request("POST", "/api/me/password", {
            cookie: s.aClerk,
            body: { oldPassword: `guess-${i}`, newPassword: "a-brand-new-secret" },
          })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((x) => x === 400).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(295);
  });

  test("after five wrong old passwords the change is refused with 429, even with the right one", async () => {
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await h.json("POST", "/api/me/password", {
            cookie: s.aClerk,
            body: { oldPassword: `wrong-${i}`, newPassword: "a-brand-new-secret" },
          })
        ).status,
      ).toBe(400);
    }
    const blocked = await h.json("POST", "/api/me/password", {
      cookie: s.aClerk,
      body: { oldPassword: STAFF_PASSWORD, newPassword: "a-brand-new-secret" },
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  test.each([
    [
      "a new password of 9 characters",
      { oldPassword: STAFF_PASSWORD, newPassword: "a".repeat(9) },
      "body.newPassword",
    ],
    ["no old password", { newPassword: "a-brand-new-secret" }, "body.oldPassword"],
    [
      "an unknown field",
      { oldPassword: STAFF_PASSWORD, newPassword: "a-brand-new-secret", userId: "1" },
      "body",
    ],
  ])("refuses %s with 400", async (_, body, path) => {
    const res = await h.json("POST", "/api/me/password", { cookie: s.aClerk, body });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe(path);
  });

  test("needs a staff session: 401 without one", async () => {
    expect(
      (
        await h.json("POST", "/api/me/password", {
          body: { oldPassword: STAFF_PASSWORD, newPassword: "a-brand-new-secret" },
        })
      ).status,
    ).toBe(401);
  });
});
