/**
 * The tenancy matrix: walks EVERY registered API route × every role of village A (village admin,
 * clerk, kiosk device) against village B's records, and proves that none of them reads or changes
 * B's data. Each route needs a fixture (a valid request for it); a route added without one fails
 * this test, so no route escapes the matrix. Each fixture is proven valid by a positive control:
 * the township administrator makes the same request and it succeeds, so the attack's refusal is
 * the tenancy check at work and not a malformed request.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHarness, seedTwoVillages, type Harness } from "../support/harness.ts";
import type { Api } from "../../src/http/api.ts";
import { fixtures, type Fixture, type VillageIds } from "../support/route-fixtures.ts";

let h: Harness;
let s: Awaited<ReturnType<typeof seedTwoVillages>>;
let ids: { A: VillageIds; B: VillageIds };
let routes: Api["routes"];
let kioskA: string;

async function seedVillage(
  village: { id: string },
  admin: string,
  prefix: string,
): Promise<VillageIds & { kioskToken: string }> {
  const household = (
    await h.json("POST", `/api/villages/${village.id}/households`, {
      cookie: admin,
      body: { headName: `${prefix}张建华`, address: `${prefix}1组` },
    })
  ).body.household;
  const spare = (
    await h.json("POST", `/api/villages/${village.id}/households`, {
      cookie: admin,
      body: { headName: `${prefix}李四` },
    })
  ).body.household;
  const card = (await h.json("POST", `/api/households/${household.id}/cards`, { cookie: admin }))
    .body;
  const spareCard = (await h.json("POST", `/api/households/${spare.id}/cards`, { cookie: admin }))
    .body;
  const kiosk = (
    await h.json("POST", `/api/villages/${village.id}/kiosks`, {
      cookie: admin,
      body: { name: `${prefix}超市` },
    })
  ).body;
  const spareKiosk = (
    await h.json("POST", `/api/villages/${village.id}/kiosks`, {
      cookie: admin,
      body: { name: `${prefix}备用` },
    })
  ).body;
  const clerk = h.db
    .query<{ id: number }, [string]>("SELECT id FROM users WHERE username = ?")
    .get(`${prefix}_clerk`)!;
  return {
    villageId: village.id,
    householdId: household.id,
    spareHouseholdId: spare.id,
    memberId: household.members[0].id,
    cardId: card.id,
    cardToken: card.token,
    cardNumber: card.number,
    spareCardId: spareCard.id,
    kioskId: spareKiosk.id,
    kioskToken: kiosk.token,
    userId: String(clerk.id),
    extra: {},
  };
}

beforeAll(async () => {
  h = createHarness();
  s = await seedTwoVillages(h);
  const a = await seedVillage(s.villageA, s.admin, "a");
  const b = await seedVillage(s.villageB, s.admin, "b");
  kioskA = a.kioskToken;
  ids = { A: a, B: b };
  for (const f of Object.values(fixtures)) await f.setup?.(h, s.admin, ids.A, ids.B);
  routes = (h.app as unknown as { api?: Api }).api?.routes ?? [];
});
afterAll(() => h.close());

function fillPath(path: string, target: VillageIds, fixture?: Fixture): string {
  const own = fixture?.params?.(target) ?? {};
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const segment = path.split("/").find((_p, i, all) => all[i + 1] === `:${name}`) ?? "";
    const value =
      own[name] ?? target.paramFor?.(segment, name) ?? defaultParam(segment, name, target);
    if (value === undefined)
      throw new Error(
        `no id for :${name} after /${segment}/ — add it to tests/support/route-fixtures.ts`,
      );
    return encodeURIComponent(value);
  });
}

function defaultParam(segment: string, name: string, t: VillageIds): string | undefined {
  if (name === "villageId") return t.villageId;
  const byKey: Record<string, string | undefined> = {
    villages: t.villageId,
    households: t.householdId,
    cards: name === "token" ? t.cardToken : t.spareCardId,
    kiosks: t.kioskId,
    users: t.userId,
  };
  return byKey[segment] ?? t.extra[segment];
}

test("every API route has a tenancy fixture", () => {
  expect(routes.length).toBeGreaterThan(20);
  const missing = routes
    .filter(
      (r) =>
        !("public" in r.spec.access) &&
        fixtures[`${r.method.toUpperCase()} ${r.path}`] === undefined,
    )
    .map((r) => `${r.method.toUpperCase()} ${r.path}`);
  expect(missing).toEqual([]);
});

test("no role of village A reads or changes village B's data through any route", async () => {
  const before = snapshotOf(ids.B.villageId);
  const attackers = [
    { name: "village_admin", auth: { cookie: s.aAdmin } },
    { name: "clerk", auth: { cookie: s.aClerk } },
    { name: "kiosk", auth: { token: kioskA } },
  ];
  const failures: string[] = [];
  for (const route of routes) {
    if ("public" in route.spec.access) continue;
    const key = `${route.method.toUpperCase()} ${route.path}`;
    const fixture = fixtures[key]!;
    for (const attacker of attackers) {
      const path = fillPath(route.path, ids.B, fixture) + (fixture.query?.(ids.B) ?? "");
      const res = await h.request(route.method.toUpperCase(), path, {
        ...attacker.auth,
        ...requestBody(fixture, ids.B),
      });
      const text = await res.text();
      if (route.spec.access.village === "own") {
        // Routes that answer with the caller's own scope: they may succeed, but must not show B.
        for (const secret of [
          "b张建华",
          s.villageB.name,
          "b_clerk",
          "b超市",
          `大米 村${ids.B.villageId}`,
        ]) {
          if (res.status < 300 && secret && text.includes(secret))
            failures.push(`${attacker.name} ${key} showed ${secret}`);
        }
        continue;
      }
      if (res.status < 400 || ![401, 403, 404].includes(res.status))
        failures.push(`${attacker.name} ${key} → ${res.status} ${text.slice(0, 120)}`);
    }
  }
  expect(failures).toEqual([]);
  expect(snapshotOf(ids.B.villageId)).toEqual(before);
});

test("every fixture is a valid request: the township administrator succeeds with it", async () => {
  const failures: string[] = [];
  // Destructive routes last, so that they do not remove what the others need; a password change
  // last of all, since it ends the session it was made with (the browser gets a fresh cookie).
  const lateness = (r: (typeof routes)[number]) =>
    r.path === "/api/me/password" ? 2 : r.method === "delete" ? 1 : 0;
  const ordered = [...routes].sort((x, y) => lateness(x) - lateness(y));
  for (const route of ordered) {
    if ("public" in route.spec.access) continue;
    const key = `${route.method.toUpperCase()} ${route.path}`;
    const fixture = fixtures[key]!;
    if (fixture.as === "kiosk") continue; // kiosk-only routes: covered by their own tests
    const auth = { cookie: fixture.as === "village-admin" ? s.bAdmin : s.admin };
    const path = fillPath(route.path, ids.B, fixture) + (fixture.query?.(ids.B) ?? "");
    const res = await h.request(route.method.toUpperCase(), path, {
      ...auth,
      ...requestBody(fixture, ids.B),
    });
    if (res.status >= 300)
      failures.push(`${key} → ${res.status} ${(await res.text()).slice(0, 160)}`);
  }
  expect(failures).toEqual([]);
});

function requestBody(fixture: (typeof fixtures)[string], target: VillageIds) {
  if (fixture.csv) return { raw: fixture.csv, contentType: "text/csv" };
  if (fixture.image) return { raw: fixture.image(), contentType: "image/png" };
  const body = fixture.body?.(target);
  const headers = fixture.headers?.(target);
  return { ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) };
}

/** Everything of one village that a cross-village write could change. */
function snapshotOf(villageId: string): string {
  const v = Number(villageId);
  const tables = [
    ["villages", "SELECT * FROM villages WHERE id = ?"],
    ["households", "SELECT * FROM households WHERE village_id = ?"],
    [
      "members",
      "SELECT m.* FROM members m JOIN households h ON h.id = m.household_id WHERE h.village_id = ?",
    ],
    ["cards", "SELECT * FROM cards WHERE village_id = ?"],
    ["kiosks", "SELECT * FROM kiosks WHERE village_id = ?"],
    ["users", "SELECT id, username, role, disabled FROM users WHERE village_id = ?"],
    ["audit", "SELECT count(*) FROM audit_log WHERE village_id = ?"],
    ["entries", "SELECT id, status, points FROM entries WHERE village_id = ?"],
    ["goods", "SELECT * FROM goods WHERE village_id = ?"],
    ["stock", "SELECT count(*) FROM stock_movements WHERE village_id = ?"],
    ["redemptions", "SELECT * FROM redemptions WHERE village_id = ?"],
  ] as const;
  return JSON.stringify(tables.map(([name, sql]) => [name, h.db.query(sql).all(v)]));
}
