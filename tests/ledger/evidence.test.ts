/**
 * Proves evidence photos: whole JPEG, PNG and WebP pictures are taken (a header alone or a cut-off
 * file is refused: src/market/image-check.ts), their type read from their bytes, up to
 * 1 MiB (the edge exactly), and read back by staff of their village only; anything else is a 415
 * or 413 in words and stores nothing. An entry or a batch names a photo of its own village (else
 * 404, nothing recorded) and answers its evidenceUrl; the photo stays out of the hash chain.
 * Also the staff fields of every entry answer: who recorded it as stored, and the household's name.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHarness, type Harness } from "../support/harness.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";
import { seedLedger, type LedgerSeed } from "../support/ledger-fixtures.ts";
import { headerOnly, JPEG_6X4, PNG_6X4, WEBP_6X4 } from "../support/images.ts";

let h: Harness;
let s: LedgerSeed;
beforeAll(async () => {
  h = createHarness();
  s = await seedLedger(h);
});
afterAll(() => h.close());

const MIB = 1024 * 1024;
const JPEG = JPEG_6X4;
const PNG = PNG_6X4;
const WEBP = WEBP_6X4;
/** A whole JPEG of exactly `bytes` bytes: the picture, then zeros after its end marker (as phones append data there). */
const jpegOf = (bytes: number) => {
  const body = new Uint8Array(bytes);
  body.set(JPEG);
  return body;
};
const upload = (
  body: Uint8Array,
  contentType = "image/jpeg",
  cookie = s.aClerk,
  village = s.villageA.id,
) => h.json("POST", `/api/villages/${village}/evidence`, { cookie, raw: body, contentType });
const stored = () => h.db.query<{ n: number }, []>("SELECT count(*) AS n FROM evidence").get()!.n;

test.each([
  ["a JPEG", JPEG, "image/jpeg"],
  ["a PNG sent as octet-stream", PNG, "application/octet-stream"],
  ["a WebP sent as image/jpeg", WEBP, "image/jpeg"],
])("takes %s and answers it with the type read from its bytes", async (_name, body, sentAs) => {
  const res = await upload(body, sentAs);
  expect(res.status).toBe(201);
  expect(res.body).toEqual({ id: expect.any(String), url: `/api/evidence/${res.body.id}` });
  const got = await h.request("GET", res.body.url, { cookie: s.aAdmin });
  expect(got.status).toBe(200);
  const expectedType = body === JPEG ? "image/jpeg" : body === PNG ? "image/png" : "image/webp";
  expect(got.headers.get("content-type")).toBe(expectedType);
  expect(got.headers.get("x-content-type-options")).toBe("nosniff");
  expect(new Uint8Array(await got.arrayBuffer())).toEqual(body);
});

test("1 MiB exactly is taken; one byte more is a 413 in words, and nothing is stored", async () => {
  expect((await upload(jpegOf(MIB))).status).toBe(201);
  const before = stored();
  const res = await upload(jpegOf(MIB + 1));
  expect(res.status).toBe(413);
  expect(res.body.detail).toContain("1 MiB");
  expect(stored()).toBe(before);
});

test.each([
  ["a GIF", new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1]), "image/jpeg", 415],
  ["a text file", new TextEncoder().encode("not a picture"), "image/png", 415],
  ["a photo sent as text/plain", JPEG, "text/plain", 415],
  ["an empty body", new Uint8Array(0), "image/jpeg", 400],
  ["a PNG header alone", headerOnly(PNG), "image/png", 415],
  ["a JPEG header alone", headerOnly(JPEG), "image/jpeg", 415],
  ["a WebP header alone", headerOnly(WEBP), "image/webp", 415],
  ["a PNG cut short", PNG.slice(0, PNG.length - 1), "image/png", 415],
])("refuses %s and stores nothing", async (_name, body, contentType, status) => {
  const before = stored();
  const res = await upload(body, contentType);
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body.detail.length).toBeGreaterThan(10);
  expect(stored()).toBe(before);
});

test("a photo is read by staff of its village only, and an upload is audited", async () => {
  const { id } = (await upload(PNG)).body;
  expect((await h.request("GET", `/api/evidence/${id}`, { cookie: s.bAdmin })).status).toBe(404);
  expect((await h.request("GET", `/api/evidence/${id}`, { cookie: s.bClerk })).status).toBe(404);
  expect((await h.request("GET", `/api/evidence/${id}`)).status).toBe(401);
  expect((await h.request("GET", "/api/evidence/999999", { cookie: s.aAdmin })).status).toBe(404);
  expect((await upload(PNG, "image/png", s.bAdmin)).status).toBe(404);
  const row = h.db
    .query<{ action: string; entity: string; actor_id: string }, [string]>(
      "SELECT action, entity, actor_id FROM audit_log WHERE entity = 'evidence' AND entity_id = ?",
    )
    .get(id)!;
  expect(row).toMatchObject({ action: "upload", entity: "evidence" });
});

test("an entry and a batch name a photo and answer its URL; the chain does not cover it", async () => {
  const { id, url } = (await upload(JPEG)).body;
  const one = await h.json("POST", "/api/entries", {
    cookie: s.aClerk,
    body: { householdId: s.h1.id, ruleId: s.clean.id, evidenceId: id },
  });
  expect(one.status).toBe(201);
  expect(one.body.entry).toMatchObject({ status: "posted", evidenceUrl: url });
  const many = await h.json("POST", "/api/entries/batch", {
    cookie: s.aClerk,
    body: { ruleId: s.clean.id, householdIds: [s.h1.id, s.h2.id], evidenceId: Number(id) },
  });
  expect(many.status).toBe(201);
  expect(many.body.entries.map((e: { evidenceUrl: string }) => e.evidenceUrl)).toEqual([url, url]);
  const listed = await h.json("GET", `/api/households/${s.h1.id}/entries`, { cookie: s.aClerk });
  expect(
    listed.body.items.filter((e: { evidenceUrl: string | null }) => e.evidenceUrl === url).length,
  ).toBe(2);
  const plain = await h.json("POST", "/api/entries", {
    cookie: s.aClerk,
    body: { householdId: s.h2.id, ruleId: s.clean.id },
  });
  expect(plain.body.entry.evidenceUrl).toBeNull();
  expect(verifyLedger(h.db).ok).toBe(true);
  // Changing which photo backs a posted entry is not a change to what it means: the chain still verifies.
  const other = (await upload(PNG)).body.id;
  h.db.run("DROP TRIGGER entries_posted_no_update");
  try {
    h.db.run(`UPDATE entries SET evidence_id = ${other} WHERE id = ${one.body.entry.id}`);
    expect(verifyLedger(h.db).ok).toBe(true);
  } finally {
    h.db.run(
      "CREATE TRIGGER entries_posted_no_update BEFORE UPDATE ON entries WHEN OLD.status = 'posted' BEGIN SELECT RAISE(ABORT, 'a posted entry never changes; reverse it instead'); END",
    );
  }
});

test("a photo of another village, or none, is a 404 naming evidenceId, and nothing is recorded", async () => {
  const inB = (await upload(PNG, "image/png", s.bAdmin, s.villageB.id)).body.id;
  const before = h.db.query("SELECT count(*) AS n FROM entries").get();
  for (const evidenceId of [inB, "999999"]) {
    const one = await h.json("POST", "/api/entries", {
      cookie: s.aClerk,
      body: { householdId: s.h1.id, ruleId: s.clean.id, evidenceId },
    });
    expect(one.status).toBe(404);
    expect(one.body.errors).toEqual([{ path: "body.evidenceId", message: expect.any(String) }]);
    const many = await h.json("POST", "/api/entries/batch", {
      cookie: s.aClerk,
      body: { ruleId: s.clean.id, householdIds: [s.h1.id], evidenceId },
    });
    expect(many.status).toBe(404);
  }
  expect(
    (
      await h.json("POST", "/api/entries", {
        cookie: s.aClerk,
        body: { householdId: s.h1.id, ruleId: s.clean.id, evidenceId: "x" },
      })
    ).status,
  ).toBe(400);
  expect(h.db.query("SELECT count(*) AS n FROM entries").get()).toEqual(before);
});

test("every entry answer names who recorded it as stored and the household's head in full", async () => {
  const one = await h.json("POST", "/api/entries", {
    cookie: s.aClerk,
    body: { householdId: s.h1.id, ruleId: s.clean.id },
  });
  expect(one.body.entry).toMatchObject({
    createdBy: "a_clerk",
    createdByUsername: "a_clerk",
    householdName: "张建华",
  });
  const got = await h.json("GET", `/api/entries/${one.body.entry.id}`, { cookie: s.aAdmin });
  expect(got.body.entry).toMatchObject({ createdByUsername: "a_clerk", householdName: "张建华" });
  const village = await h.json("GET", `/api/villages/${s.villageA.id}/entries?limit=50`, {
    cookie: s.aAdmin,
  });
  const names = new Set(village.body.items.map((e: { householdName: string }) => e.householdName));
  expect([...names].sort()).toEqual(["张建华", "李秀英"].sort());
});
