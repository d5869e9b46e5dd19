/**
 * Staff sign-in on the kiosk by PIN (src/auth/pin-routes.ts), over real HTTP on a real database:
 * a PIN is set with the current password and stored hashed, the kiosk lists only its village's
 * active staff who have one, the right PIN opens a staff session like a password sign-in and is
 * audited, and wrong PINs are limited per staff member and per kiosk (429 with Retry-After),
 * also for a burst of parallel tries. Time moves on a manual clock.
 */
import { afterEach, expect, test } from "bun:test";
import { freshTownship, userId } from "../support/township-fixture.ts";
import { ADMIN_PASSWORD, STAFF_PASSWORD, type Harness } from "../support/harness.ts";
import {
  PIN_FAILURES_PER_KIOSK_MAX,
  PIN_FAILURES_PER_USER_MAX,
  PIN_WINDOW_MS,
  pinTooSimple,
} from "../../src/auth/pins.ts";

let h: Harness;
afterEach(() => h?.close());

async function world() {
  const fresh = await freshTownship();
  h = fresh.h;
  const s = fresh.s;
  const kiosk = async (villageId: string) =>
    (
      await h.json("POST", `/api/villages/${villageId}/kiosks`, {
        cookie: s.admin,
        body: { name: "超市一号机" },
      })
    ).body.token as string;
  return {
    s,
    kioskA: await kiosk(s.villageA.id),
    kioskA2: await kiosk(s.villageA.id),
    kioskB: await kiosk(s.villageB.id),
  };
}

const setPin = (cookie: string, pin: string, password = STAFF_PASSWORD) =>
  h.json("PUT", "/api/me/pin", { cookie, body: { pin, password } });
const pinLogin = (token: string, user: string, pin: string) =>
  h.json("POST", "/api/kiosk/staff-login", { token, body: { userId: user, pin } });

test("a PIN is set with the current password, stored hashed, shown as hasPin, and cleared", async () => {
  const { s } = await world();
  expect((await h.json("GET", "/api/me", { cookie: s.aClerk })).body.user.hasPin).toBe(false);
  expect((await setPin(s.aClerk, "2580")).status).toBe(204);
  const stored = h.db
    .query<{ pin_hash: string }, [string]>("SELECT pin_hash FROM users WHERE username = ?")
    .get("a_clerk")!.pin_hash;
  expect(stored.startsWith("$argon2id$")).toBe(true);
  expect(stored).not.toContain("2580");
  expect((await h.json("GET", "/api/me", { cookie: s.aClerk })).body.user.hasPin).toBe(true);
  expect((await setPin(s.aClerk, "7391")).status).toBe(204);
  expect((await h.json("DELETE", "/api/me/pin", { cookie: s.aClerk })).status).toBe(204);
  expect((await h.json("GET", "/api/me", { cookie: s.aClerk })).body.user.hasPin).toBe(false);
  expect((await h.json("DELETE", "/api/me/pin", { cookie: s.aClerk })).status).toBe(204);
  const actions = h.db
    .query<{ action: string }, []>(
      "SELECT action FROM audit_log WHERE action LIKE '%pin%' ORDER BY id",
    )
    .all()
    .map((r) => r.action);
  expect(actions).toEqual(["set_pin", "change_pin", "clear_pin"]);
});

test("a wrong password sets no PIN and counts as a failed sign-in", async () => {
  const { s } = await world();
  const res = await setPin(s.aClerk, "2580", "not-my-password");
  expect(res.status).toBe(400);
  expect(res.body.code).toBe("wrong-password");
  expect((await h.json("GET", "/api/me", { cookie: s.aClerk })).body.user.hasPin).toBe(false);
  expect(
    h.db.query("SELECT count(*) AS n FROM login_failures WHERE username = 'a_clerk'").get(),
  ).toEqual({ n: 1 });
});

test.each(["1111", "1234", "9876", "0123", "123456", "654321", "890123"])(
  "the PIN %s is refused as too easy to guess",
  async (pin) => {
    const { s } = await world();
    const res = await setPin(s.aClerk, pin);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("pin-too-simple");
  },
);

test.each(["123", "1234567", "12a4", "", " 2580", "２５８０"])(
  "the PIN %p is not 4 to 6 digits: 400",
  async (pin) => {
    const { s } = await world();
    expect((await setPin(s.aClerk, pin)).status).toBe(400);
  },
);

test("pinTooSimple takes runs and repeats, not ordinary PINs", () => {
  expect(["2580", "1357", "7391", "112233", "0007"].filter(pinTooSimple)).toEqual([]);
  expect(["0000", "4567", "3210", "901234"].every(pinTooSimple)).toBe(true);
});

test("the kiosk lists its own village's active staff with a PIN, by name, and nobody else", async () => {
  const { s, kioskA, kioskB } = await world();
  await h.json("PATCH", `/api/users/${userId(h, "a_clerk")}`, {
    cookie: s.admin,
    body: { displayName: "阿依古丽" },
  });
  for (const cookie of [s.aClerk, s.aAdmin, s.bClerk])
    expect((await setPin(cookie, "2580")).status).toBe(204);
  // A township administrator may set one, but belongs to no village's kiosk.
  expect((await setPin(s.admin, "2580", ADMIN_PASSWORD)).status).toBe(204);
  const listA = await h.json("GET", "/api/kiosk/staff", { token: kioskA });
  expect(listA.status).toBe(200);
  expect(listA.body).toEqual({
    items: [
      { id: userId(h, "a_admin"), displayName: "a_admin" },
      { id: userId(h, "a_clerk"), displayName: "阿依古丽" },
    ],
  });
  // A disabled account leaves the list at once.
  await h.json("PATCH", `/api/users/${userId(h, "a_admin")}`, {
    cookie: s.admin,
    body: { disabled: true },
  });
  expect(
    (await h.json("GET", "/api/kiosk/staff", { token: kioskA })).body.items.map(
      (u: { id: string }) => u.id,
    ),
  ).toEqual([userId(h, "a_clerk")]);
  expect(
    (await h.json("GET", "/api/kiosk/staff", { token: kioskB })).body.items.map(
      (u: { id: string }) => u.id,
    ),
  ).toEqual([userId(h, "b_clerk")]);
  // Staff sessions and anonymous callers get nothing.
  expect((await h.json("GET", "/api/kiosk/staff", { cookie: s.aClerk })).status).toBe(403);
  expect((await h.json("GET", "/api/kiosk/staff")).status).toBe(401);
});

test("the right PIN signs the clerk in with a session cookie, as a password does, and is audited", async () => {
  const { s, kioskA } = await world();
  await setPin(s.aClerk, "2580");
  const res = await h.request("POST", "/api/kiosk/staff-login", {
    token: kioskA,
    body: { userId: userId(h, "a_clerk"), pin: "2580" },
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { user: { username: string } }).user.username).toBe("a_clerk");
  const setCookie = res.headers.get("set-cookie")!;
  expect(setCookie).toContain("HttpOnly");
  expect(setCookie).toContain("SameSite=Lax");
  const me = await h.json("GET", "/api/me", { cookie: setCookie.split(";")[0]! });
  expect(me.body.user.username).toBe("a_clerk");
  const audit = h.db
    .query<{ actor_kind: string; actor_id: string; detail: string }, []>(
      "SELECT actor_kind, actor_id, detail FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1",
    )
    .get()!;
  expect(audit.actor_kind).toBe("user");
  expect(audit.actor_id).toBe(userId(h, "a_clerk"));
  expect(JSON.parse(audit.detail)).toMatchObject({ via: "kiosk-pin" });
});

test("a wrong PIN, another village's clerk and a staff member without a PIN are refused alike", async () => {
  const { s, kioskA } = await world();
  await setPin(s.aClerk, "2580");
  await setPin(s.bClerk, "2580");
  for (const [user, pin] of [
    [userId(h, "a_clerk"), "2581"],
    [userId(h, "b_clerk"), "2580"],
    [userId(h, "a_admin"), "2580"],
    ["999999", "2580"],
  ] as const) {
    const res = await pinLogin(kioskA, user, pin);
    expect({ user, status: res.status, code: res.body.code }).toEqual({
      user,
      status: 401,
      code: "wrong-pin",
    });
  }
});

test("after five wrong PINs the staff member waits, at every kiosk, with Retry-After; the window ends it", async () => {
  const { s, kioskA, kioskA2 } = await world();
  await setPin(s.aClerk, "2580");
  const clerk = userId(h, "a_clerk");
  for (let i = 0; i < PIN_FAILURES_PER_USER_MAX; i++)
    expect((await pinLogin(kioskA, clerk, "1357")).status).toBe(401);
  for (const token of [kioskA, kioskA2]) {
    const res = await h.request("POST", "/api/kiosk/staff-login", {
      token,
      body: { userId: clerk, pin: "2580" },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(PIN_WINDOW_MS / 1000);
  }
  h.clock.advance(PIN_WINDOW_MS + 1);
  expect((await pinLogin(kioskA2, clerk, "2580")).status).toBe(200);
});

test("a kiosk where many PINs are tried waits for anyone; another kiosk does not", async () => {
  const { s, kioskA, kioskA2 } = await world();
  await h.json("POST", "/api/users", {
    cookie: s.admin,
    body: {
      username: "a_clerk2",
      password: STAFF_PASSWORD,
      role: "clerk",
      villageId: s.villageA.id,
    },
  });
  const clerk2 = await h.login("a_clerk2");
  for (const cookie of [s.aClerk, s.aAdmin, clerk2]) await setPin(cookie, "2580");
  const users = [userId(h, "a_clerk"), userId(h, "a_admin"), userId(h, "a_clerk2")];
  // Wrong PINs spread over three people, none of them at their own limit, up to the kiosk's.
  for (let i = 0; i < PIN_FAILURES_PER_KIOSK_MAX; i++)
    expect((await pinLogin(kioskA, users[i % 3]!, "1357")).status).toBe(401);
  expect(
    Math.max(
      ...users.map(
        (u) =>
          h.db
            .query<{ n: number }, [string]>(
              "SELECT count(*) AS n FROM pin_failures WHERE user_id = ?",
            )
            .get(u)!.n,
      ),
    ),
  ).toBeLessThan(PIN_FAILURES_PER_USER_MAX);
  for (const user of [...users, "999999"])
    expect((await pinLogin(kioskA, user, "2580")).status).toBe(429);
  expect((await pinLogin(kioskA2, users[2]!, "2580")).status).toBe(200);
});

test("a burst of parallel wrong PINs reaches the hash at most as often as the limit allows", async () => {
  const { s, kioskA } = await world();
  await setPin(s.aClerk, "2580");
  const clerk = userId(h, "a_clerk");
  const statuses = await Promise.all(
    Array.from({ length: 20 }, () => pinLogin(kioskA, clerk, "1357").then((r) => r.status)),
  );
  expect(statuses.filter((x) => x === 401).length).toBe(PIN_FAILURES_PER_USER_MAX);
  expect(statuses.filter((x) => x === 429).length).toBe(20 - PIN_FAILURES_PER_USER_MAX);
});

test("a right PIN forgives the staff member's earlier wrong ones at that kiosk", async () => {
  const { s, kioskA } = await world();
  await setPin(s.aClerk, "2580");
  const clerk = userId(h, "a_clerk");
  for (let i = 0; i < PIN_FAILURES_PER_USER_MAX - 1; i++) await pinLogin(kioskA, clerk, "1357");
  expect((await pinLogin(kioskA, clerk, "2580")).status).toBe(200);
  for (let i = 0; i < PIN_FAILURES_PER_USER_MAX - 1; i++)
    expect((await pinLogin(kioskA, clerk, "1357")).status).toBe(401);
  expect((await pinLogin(kioskA, clerk, "2580")).status).toBe(200);
});
