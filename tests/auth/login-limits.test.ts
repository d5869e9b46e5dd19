/**
 * Proves the sign-in limits (issue 20, findings 1 and 3): a burst of parallel tries on a real
 * server gets at most the limit of passwords hashed; tries are limited per username and address,
 * so a wrong password from one address never locks the right one out from another; behind a
 * reverse proxy (TRUST_PROXY) each client's address is the one the proxy saw, and an address the
 * client wrote into X-Forwarded-For itself is never believed.
 */
import { afterEach, expect, test } from "bun:test";
import { ADMIN_PASSWORD, createHarness, type Harness } from "../support/harness.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import {
  ADDRESS_FAILURES_MAX,
  LOGIN_FAILURES_MAX,
  USERNAME_FAILURES_MAX,
} from "../../src/auth/login-throttle.ts";
import { optionsFromEnv } from "../../src/main.ts";
import { MINUTE_MS } from "../../src/shared/clock.ts";

let h: Harness | null = null;
let server: TestServer | null = null;
afterEach(() => {
  h?.close();
  server?.stop();
  h = null;
  server = null;
});

const BURST = 300;

test("300 parallel sign-ins for one username on a real server: at most 5 passwords are tried, the rest answer 429", async () => {
  server = startTestServer();
  const url = `${server.url}/api/auth/login`;
  const statuses = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: `guess-${i}` }),
      }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    ),
  );
  const wrong = statuses.filter((s) => s === 401).length;
  const waiting = statuses.filter((s) => s === 429).length;
  expect(wrong).toBeLessThanOrEqual(LOGIN_FAILURES_MAX);
  expect(wrong + waiting).toBe(BURST);
});

/** The app as it runs behind one reverse proxy (TRUST_PROXY=1). */
function behindProxy(): Harness {
  return createHarness({ config: { trustedProxies: 1 } });
}

const signIn = (hh: Harness, password: string, forwardedFor?: string, username = "admin") =>
  hh.json("POST", "/api/auth/login", {
    body: { username, password },
    ...(forwardedFor === undefined ? {} : { headers: { "x-forwarded-for": forwardedFor } }),
  });

test("behind a proxy, wrong passwords from one address make that address wait; the right password still signs in from another", async () => {
  h = behindProxy();
  for (let i = 0; i < LOGIN_FAILURES_MAX; i++)
    expect((await signIn(h, `wrong-${i}`, "203.0.113.7")).status).toBe(401);
  const attacker = await signIn(h, ADMIN_PASSWORD, "203.0.113.7");
  expect(attacker.status).toBe(429);
  expect(Number(attacker.headers.get("retry-after"))).toBeGreaterThan(0);
  expect((await signIn(h, ADMIN_PASSWORD, "198.51.100.20")).status).toBe(200);
});

test("behind a proxy, an address the client wrote left of the proxy's own entry is not believed", async () => {
  h = behindProxy();
  // The proxy appends what it saw (203.0.113.7); the client made up everything before it.
  for (let i = 0; i < LOGIN_FAILURES_MAX; i++)
    expect((await signIn(h, `wrong-${i}`, `10.9.${i}.1, 203.0.113.7`)).status).toBe(401);
  expect((await signIn(h, ADMIN_PASSWORD, "10.9.99.1, 203.0.113.7")).status).toBe(429);
  expect(h.db.query("SELECT DISTINCT address FROM login_failures").all()).toEqual([
    { address: "203.0.113.7" },
  ]);
});

test("without TRUST_PROXY, X-Forwarded-For is ignored: made-up addresses all count as the one connection", async () => {
  h = createHarness();
  for (let i = 0; i < LOGIN_FAILURES_MAX; i++)
    expect((await signIn(h, `wrong-${i}`, `10.0.0.${i}`)).status).toBe(401);
  expect((await signIn(h, ADMIN_PASSWORD, "10.0.0.99")).status).toBe(429);
});

test("one address trying many usernames waits after 20 wrong passwords", async () => {
  h = behindProxy();
  for (let i = 0; i < ADDRESS_FAILURES_MAX; i++)
    expect((await signIn(h, "wrong-password", "203.0.113.7", `user${i}`)).status).toBe(401);
  expect((await signIn(h, ADMIN_PASSWORD, "203.0.113.7")).status).toBe(429);
  expect((await signIn(h, ADMIN_PASSWORD, "198.51.100.20")).status).toBe(200);
});

test("a guess from many addresses holds the username back, except where it signed in before", async () => {
  h = behindProxy();
  expect((await signIn(h, ADMIN_PASSWORD, "198.51.100.20")).status).toBe(200);
  for (let i = 0; i < USERNAME_FAILURES_MAX; i++)
    expect(
      (await signIn(h, "wrong-password", `203.0.113.${Math.floor(i / LOGIN_FAILURES_MAX)}`)).status,
    ).toBe(401);
  expect((await signIn(h, ADMIN_PASSWORD, "192.0.2.50")).status).toBe(429);
  expect((await signIn(h, ADMIN_PASSWORD, "198.51.100.20")).status).toBe(200);
  h.clock.advance(15 * MINUTE_MS + 1);
  expect((await signIn(h, ADMIN_PASSWORD, "192.0.2.50")).status).toBe(200);
});

test("a right password forgives the pair's earlier wrong ones", async () => {
  h = createHarness();
  for (let i = 0; i < LOGIN_FAILURES_MAX - 1; i++)
    expect((await signIn(h, `wrong-${i}`)).status).toBe(401);
  expect((await signIn(h, ADMIN_PASSWORD)).status).toBe(200);
  expect(h.db.query("SELECT count(*) AS n FROM login_failures").get()).toEqual({ n: 0 });
});

test.each([
  [undefined, 0],
  ["0", 0],
  ["false", 0],
  ["true", 1],
  ["1", 1],
  ["2", 2],
])("TRUST_PROXY=%p trusts %p proxies", (value, hops) => {
  expect(optionsFromEnv(value === undefined ? {} : { TRUST_PROXY: value }).trustedProxies).toBe(
    hops,
  );
});

test.each(["yes", "-1", "1.5", "99"])("TRUST_PROXY=%p is refused at start", (value) => {
  expect(() => optionsFromEnv({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
});
