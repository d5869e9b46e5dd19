/**
 * The attack of issue 20, finding 2, as it was made: a signed-in administrator's Chromium opens a
 * page served from a second origin on the same host (another port: the same site, so the
 * SameSite=Lax cookie goes along), and that page posts plain HTML forms to the server. A text/plain
 * form to the CSV import once created a household; a body-less form once issued a card. Both are
 * now refused and nothing is written. The server's own pages keep working (tests/e2e/ as a whole).
 */
import { afterAll, beforeAll, expect } from "bun:test";
import type { Browser, BrowserContext } from "playwright-core";
import type { Server } from "bun";
import { browserTest, chromiumAvailable, launchChromium } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let attacker: Server<undefined>;
let browser: Browser;
let context: BrowserContext;
let villageId = "";
let householdId = "";
/** The page the attacker serves next, set by each test. */
let attackPage = "";

beforeAll(async () => {
  if (!chromiumAvailable) return;
  server = startTestServer();
  const admin = await server.login("admin");
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { cookie: admin, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${path} → ${res.status}`);
    return res.json() as Promise<Record<string, { id: string }>>;
  };
  villageId = (await call("/api/villages", { name: "东河村", code: "DH" })).village!.id;
  householdId = (await call(`/api/villages/${villageId}/households`, { headName: "张建华" }))
    .household!.id;
  attacker = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: () =>
      new Response(attackPage, { headers: { "content-type": "text/html; charset=utf-8" } }),
  });
  browser = await launchChromium();
  context = await browser.newContext();
  // The administrator is signed in in this browser: the session cookie of the server's origin.
  const [name, value] = admin.split("=") as [string, string];
  await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: "Lax" }]);
}, 30_000);
afterAll(async () => {
  await browser?.close();
  attacker?.stop(true);
  server?.stop();
}, 15_000);

const count = (table: string) =>
  server.db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n;

/** Opens the attacker's page, which submits its form at once; answers the status the server gave the form's post. */
async function submitFrom(html: string, target: string): Promise<number> {
  attackPage = html;
  const page = await context.newPage();
  try {
    const posted = page.waitForResponse(
      (r) => r.url().startsWith(`${server.url}${target}`) && r.request().method() === "POST",
    );
    await page.goto(`http://127.0.0.1:${attacker.port}/`);
    const response = await posted;
    // Proof that the browser did send the session cookie: the attack is refused, not unauthenticated.
    expect(await response.request().headerValue("cookie")).toContain("jifen_session=");
    return response.status();
  } finally {
    await page.close();
  }
}

browserTest(
  "a text/plain form from another origin posting a CSV to the import creates no household",
  async () => {
    const target = `/api/villages/${villageId}/households/import`;
    // A text/plain form sends `name=value` lines: the field's name carries the CSV's header and a row.
    const html = `<!doctype html><form method="post" enctype="text/plain" action="${server.url}${target}"><input type="hidden" name="户主&#10;攻击者" value="1"></form><script>document.forms[0].submit()</script>`;
    const before = count("households");
    const status = await submitFrom(html, target);
    expect(status).toBe(403);
    expect(count("households")).toBe(before);
  },
  30_000,
);

browserTest(
  "a body-less form from another origin issues no card",
  async () => {
    const target = `/api/households/${householdId}/cards`;
    const html = `<!doctype html><form method="post" action="${server.url}${target}"></form><script>document.forms[0].submit()</script>`;
    const status = await submitFrom(html, target);
    expect(status).toBe(403);
    expect(count("cards")).toBe(0);
  },
  30_000,
);
