/**
 * One valid request for every signed-in API route, keyed by "METHOD /path", used by the tenancy
 * matrix (tests/http/tenancy.test.ts). A new route needs a fixture here or the matrix fails.
 * Path parameters are filled from the target village's ids (see `paramFor` and `extra`).
 */
import type { Harness } from "./harness.ts";

export type VillageIds = {
  villageId: string;
  householdId: string;
  spareHouseholdId: string;
  memberId: string;
  cardId: string;
  cardToken: string;
  cardNumber: string;
  spareCardId: string;
  kioskId: string;
  kioskTokenActive?: string;
  userId: string;
  /** Ids of records made by fixtures' setup, keyed by the path segment before `:id`. */
  extra: Record<string, string>;
  paramFor?: (segment: string, name: string) => string | undefined;
};

export type Fixture = {
  body?: (t: VillageIds) => unknown;
  query?: (t: VillageIds) => string;
  headers?: (t: VillageIds) => Record<string, string>;
  csv?: string;
  image?: () => Uint8Array;
  /** Only a kiosk device may call it: no township-admin positive control. */
  as?: "kiosk";
  /** Makes records the route needs in both villages (runs once, as the township admin). */
  setup?: (h: Harness, admin: string, a: VillageIds, b: VillageIds) => Promise<void>;
};

let userSeq = 0;

export const fixtures: Record<string, Fixture> = {
  "GET /api/me": {},
  "POST /api/users": { body: (t) => ({ username: `fixture_${++userSeq}`, password: "fixture-password", role: "clerk", villageId: t.villageId }) },
  "GET /api/users": {},
  "DELETE /api/users/:id": {},
  "POST /api/villages": { body: () => ({ name: "新村", code: `NEW${++userSeq}` }) },
  "GET /api/villages": {},
  "GET /api/villages/:id": {},
  "PATCH /api/villages/:id": { body: () => ({ noticeDays: 0 }) },
  "POST /api/villages/:villageId/households": { body: () => ({ headName: "赵六" }) },
  "GET /api/households/:id": {},
  "GET /api/villages/:villageId/households": { query: () => "?search=zjh" },
  "POST /api/villages/:villageId/households/import": { csv: "户主,住址\n孙七,9组\n" },
  "POST /api/households/:id/cards": {},
  "GET /api/households/:id/cards": {},
  "DELETE /api/cards/:id": {},
  "POST /api/cards/:id/reissue": {},
  "GET /api/villages/:villageId/cards/print": {},
  "POST /api/villages/:villageId/kiosks": { body: () => ({ name: "新设备" }) },
  "GET /api/villages/:villageId/kiosks": {},
  "DELETE /api/kiosks/:id": {},
  "GET /api/kiosk/me": { as: "kiosk" },
  "GET /api/kiosk/cards/:token": {},
  "GET /api/ledger/verify": {},
};
