/**
 * The load generator for county.bench.ts, in its own process so the clients' CPU is not billed to
 * the server: `clients` concurrent fetch loops for `seconds` (after `warmupSeconds` untimed), each
 * pausing a random 0..`thinkMs` between its requests (0: back to back, the server's capacity), and
 * alternating a kiosk's card read (`GET /api/kiosk/cards/:token` with its village's kiosk token,
 * as a scan sends it) and one page of a household's history (`GET /api/households/:id/entries`,
 * 50 entries, as staff open it). Households are picked at random over the whole county; one
 * history page in ten is the busiest household's, from a random depth. One request in ten of each
 * client is instead `GET /healthz`, which reads no database: its latency is the floor this host,
 * these clients and the HTTP stack put under every request, measured in the same run. Prints the
 * latencies' percentiles as JSON. Loopback only.
 */
import { cardToken, kioskToken } from "./county-build.ts";
import { summarize } from "./stats.ts";

export type ClientPlan = {
  base: string;
  cookie: string;
  clients: number;
  seconds: number;
  warmupSeconds: number;
  thinkMs: number;
  villages: number;
  householdsPerVillage: number;
  busiest: { id: number; entryIds: number[] };
};
export type ClientReport = {
  card: ReturnType<typeof summarize>;
  history: ReturnType<typeof summarize>;
  floor: ReturnType<typeof summarize>;
  errors: number;
  firstError: string | null;
  requestsPerSecond: number;
};

const plan = JSON.parse(process.argv[2]!) as ClientPlan;
if (!plan.base.startsWith("http://127.0.0.1:") && !plan.base.startsWith("http://localhost:"))
  throw new Error("the bench client talks to loopback only");
const households = plan.villages * plan.householdsPerVillage;
const card: number[] = [];
const history: number[] = [];
const floor: number[] = [];
let errors = 0;
let firstError: string | null = null;
let timed = false;

async function one(kind: "card" | "history" | "floor"): Promise<void> {
  const householdId = 1 + Math.floor(Math.random() * households);
  let url: string;
  let headers: Record<string, string>;
  if (kind === "floor") {
    url = `${plan.base}/healthz`;
    headers = { accept: "application/json" };
  } else if (kind === "card") {
    const villageId = Math.floor((householdId - 1) / plan.householdsPerVillage) + 1;
    url = `${plan.base}/api/kiosk/cards/${cardToken(householdId)}`;
    headers = { authorization: `Bearer ${kioskToken(villageId)}`, accept: "application/json" };
  } else {
    const busy = Math.random() < 0.1 && plan.busiest.entryIds.length > 0;
    const id = busy ? plan.busiest.id : householdId;
    const cursor = busy
      ? `&cursor=${Buffer.from(String(plan.busiest.entryIds[Math.floor(Math.random() * plan.busiest.entryIds.length)])).toString("base64url")}`
      : "";
    url = `${plan.base}/api/households/${id}/entries?limit=50${cursor}`;
    headers = { cookie: plan.cookie, accept: "application/json" };
  }
  const startMs = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  const ms = performance.now() - startMs;
  if (res.status !== 200) {
    errors++;
    firstError ??= `${kind} ${url.replace(plan.base, "")} answered ${res.status}`;
    return;
  }
  if (timed) (kind === "card" ? card : kind === "history" ? history : floor).push(ms);
}

async function client(untilMs: number, k: number): Promise<number> {
  let sent = 0;
  while (performance.now() < untilMs) {
    await one((sent + k) % 10 === 9 ? "floor" : (sent + k) % 2 === 0 ? "card" : "history");
    sent++;
    if (plan.thinkMs > 0) await Bun.sleep(Math.random() * plan.thinkMs);
  }
  return sent;
}

const warmEnd = performance.now() + plan.warmupSeconds * 1000;
await Promise.all(Array.from({ length: plan.clients }, (_, k) => client(warmEnd, k)));
timed = true;
const startMs = performance.now();
const sent = await Promise.all(
  Array.from({ length: plan.clients }, (_, k) => client(startMs + plan.seconds * 1000, k)),
);
const elapsedS = (performance.now() - startMs) / 1000;
const report: ClientReport = {
  card: summarize(card),
  history: summarize(history),
  floor: summarize(floor),
  errors,
  firstError,
  requestsPerSecond: sent.reduce((a, b) => a + b, 0) / elapsedS,
};
console.log(JSON.stringify(report));
