/**
 * Proves that a large CSV import no longer freezes the server (issue 20, finding 9): on a real
 * server, a kiosk's card read sent while a 20,000-row import runs is answered while the import is
 * still half way (fewer households in the database than the file has), where it used to wait for
 * the whole import; the import still creates every row once, with one audit row per chunk.
 * The figures for 100,000 rows are in tests/bench/RESULTS.md (tests/bench/import.bench.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestServer, type TestServer } from "../support/server.ts";
import { IMPORT_CHUNK_ROWS } from "../../src/villages/household-import.ts";

const ROWS = 20_000;
let server: TestServer;
let cookie = "";
let villageId = "";
let cardToken = "";
let kioskToken = "";

beforeAll(async () => {
  server = startTestServer();
  cookie = await server.login("admin");
  const call = async (path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as any;
  };
  villageId = (await call("/api/villages", { name: "东河村", code: "DH" })).village.id;
  const household = (await call(`/api/villages/${villageId}/households`, { headName: "张建华" }))
    .household;
  cardToken = (await call(`/api/households/${household.id}/cards`)).token;
  kioskToken = (await call(`/api/villages/${villageId}/kiosks`, { name: "超市一号机" })).token;
});
afterAll(() => server.stop());

const households = () =>
  server.db.query<{ n: number }, []>("SELECT count(*) AS n FROM households").get()!.n;

test("a card read during a 20,000-row import is answered half way through it, not after it", async () => {
  const lines = ["户主,住址"];
  for (let i = 0; i < ROWS; i++) lines.push(`村民${i},${(i % 40) + 1}组${i}号`);
  const before = households();
  const importing = fetch(`${server.url}/api/villages/${villageId}/households/import`, {
    method: "POST",
    headers: { cookie, "content-type": "text/csv" },
    body: lines.join("\n"),
  });
  // Wait until the import has written something, then read a card as a kiosk does.
  while (households() === before) await Bun.sleep(2);
  const read = await fetch(`${server.url}/api/kiosk/cards/${cardToken}`, {
    headers: { authorization: `Bearer ${kioskToken}` },
  });
  const householdsWhenAnswered = households();
  expect(read.status).toBe(200);
  expect(householdsWhenAnswered).toBeLessThan(before + ROWS);

  const done = await importing;
  expect(done.status).toBe(200);
  expect(((await done.json()) as { created: number }).created).toBe(ROWS);
  expect(households()).toBe(before + ROWS);
  const chunks = server.db
    .query<{ n: number }, []>("SELECT count(*) AS n FROM audit_log WHERE action = 'import'")
    .get()!.n;
  expect(chunks).toBe(Math.ceil(ROWS / IMPORT_CHUNK_ROWS));
}, 60_000);
