/**
 * Proves the kiosk devices' back office over real HTTP on a real database: registering one
 * answers its pairing address (PUBLIC_URL/kiosk?pair=<token>) once; the list says when each was
 * last seen, written on an authenticated request at most once a minute (a kiosk seen within the
 * minute sells without that write), and which are revoked; only a village's admins manage them.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { SECOND_MS } from "../../src/shared/clock.ts";
import { KIOSK_TOUCH_INTERVAL_MS } from "../../src/auth/sessions.ts";
import { freshTownship, type Township } from "../support/township-fixture.ts";

let h: Harness;
let s: Township;
beforeEach(async () => {
  ({ h, s } = await freshTownship());
});
afterEach(() => h.close());

type Kiosk = {
  id: string;
  villageId: string;
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  revoked: boolean;
};

const register = async (name = "超市收银台") => {
  const res = await h.json("POST", `/api/villages/${s.villageA.id}/kiosks`, {
    cookie: s.aAdmin,
    body: { name },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; token: string; pairUrl: string; kiosk: Kiosk };
};
const listed = async (cookie = s.aAdmin) =>
  (await h.json("GET", `/api/villages/${s.villageA.id}/kiosks`, { cookie })).body.items as Kiosk[];
const storedLastSeen = (id: string) =>
  h.db
    .query<{ last_seen_at_ms: number | null }, [number]>(
      "SELECT last_seen_at_ms FROM kiosks WHERE id = ?",
    )
    .get(Number(id))!.last_seen_at_ms;

test("registering a kiosk answers its token and pairing address once; the list never shows the token", async () => {
  const kiosk = await register();
  expect(kiosk.pairUrl).toBe(`http://jifen.test/kiosk?pair=${kiosk.token}`);
  expect(kiosk.kiosk).toMatchObject({ name: "超市收银台", lastSeenAt: null, revoked: false });
  const items = await listed();
  expect(items).toEqual([
    {
      id: kiosk.id,
      villageId: s.villageA.id,
      name: "超市收银台",
      createdAt: new Date(h.clock.nowMs()).toISOString(),
      lastSeenAt: null,
      revoked: false,
    },
  ]);
  expect(JSON.stringify(items)).not.toContain(kiosk.token);
});

test("a kiosk's first request writes when it was seen; within the minute nothing more is written", async () => {
  const kiosk = await register();
  const seenMs = h.clock.nowMs();
  expect((await h.json("GET", "/api/kiosk/me", { token: kiosk.token })).status).toBe(200);
  expect((await listed())[0]!.lastSeenAt).toBe(new Date(seenMs).toISOString());
  h.clock.advance(KIOSK_TOUCH_INTERVAL_MS);
  const changesBefore = h.db.query<{ n: number }, []>("SELECT total_changes() AS n").get()!.n;
  expect((await h.json("GET", "/api/kiosk/goods", { token: kiosk.token })).status).toBe(200);
  expect(h.db.query<{ n: number }, []>("SELECT total_changes() AS n").get()!.n).toBe(changesBefore);
  expect(storedLastSeen(kiosk.id)).toBe(seenMs);
  h.clock.advance(SECOND_MS);
  expect((await h.json("GET", "/api/kiosk/goods", { token: kiosk.token })).status).toBe(200);
  expect(storedLastSeen(kiosk.id)).toBe(h.clock.nowMs());
});

test("a new server process (no memory) still writes at most once a minute, from the stored time", async () => {
  const kiosk = await register();
  await h.json("GET", "/api/kiosk/me", { token: kiosk.token });
  const seenMs = h.clock.nowMs();
  const fresh = await import("../../src/http/app.ts").then(({ createApp }) =>
    createApp(h.db, h.clock, { publicUrl: "http://jifen.test", log: null }),
  );
  const { forgetPrincipals } = await import("../../src/auth/sessions.ts");
  forgetPrincipals(h.db);
  h.clock.advance(30 * SECOND_MS);
  expect(
    (await fresh.request("/api/kiosk/me", { headers: { authorization: `Bearer ${kiosk.token}` } }))
      .status,
  ).toBe(200);
  expect(storedLastSeen(kiosk.id)).toBe(seenMs);
});

test("a revoked kiosk is listed as revoked and locked out", async () => {
  const kiosk = await register();
  expect((await h.request("DELETE", `/api/kiosks/${kiosk.id}`, { cookie: s.aAdmin })).status).toBe(
    204,
  );
  expect((await listed())[0]).toMatchObject({ id: kiosk.id, revoked: true });
  expect((await h.json("GET", "/api/kiosk/me", { token: kiosk.token })).status).toBe(401);
});

test("only the village's admins and the township's manage kiosks: a clerk 403, another village 404", async () => {
  await register();
  expect((await listed(s.admin)).length).toBe(1);
  expect(
    (await h.json("GET", `/api/villages/${s.villageA.id}/kiosks`, { cookie: s.aClerk })).status,
  ).toBe(403);
  expect(
    (await h.json("GET", `/api/villages/${s.villageA.id}/kiosks`, { cookie: s.bAdmin })).status,
  ).toBe(404);
  expect(
    (
      await h.json("POST", `/api/villages/${s.villageA.id}/kiosks`, {
        cookie: s.bAdmin,
        body: { name: "x" },
      })
    ).status,
  ).toBe(404);
});

test.each([
  ["an empty name", { name: "  " }],
  ["a name of 61 characters", { name: "机".repeat(61) }],
  ["no name", {}],
])("refuses to register a kiosk with %s", async (_, body) => {
  const res = await h.json("POST", `/api/villages/${s.villageA.id}/kiosks`, {
    cookie: s.aAdmin,
    body,
  });
  expect(res.status).toBe(400);
  expect(res.body.errors[0].path).toStartWith("body");
  expect(await listed()).toEqual([]);
});
