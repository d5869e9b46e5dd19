/**
 * The load generator for ledger.bench.ts, in its own process so the clients' CPU is not billed
 * to the server: first WARMUP awards, untimed (as the market bench does: a fresh server's first
 * requests prepare its statements and fill its page cache), then CLIENTS concurrent fetch loops
 * recording awards until COUNT are sent or the time limit passes. Prints {done, errors,
 * elapsedMs, warmedUp} as JSON, counting the timed awards only. Loopback only.
 */
export {};

const [base, cookie, ruleId, count, clients, timeLimitMs, householdList, warmupArg] =
  process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
if (!base.startsWith("http://127.0.0.1:"))
  throw new Error("the bench client talks to loopback only");
const households = householdList.split(",");
const warmup = Number(warmupArg ?? 0);
let next = 0;
let done = 0;
let errors = 0;
let warmedUp = 0;
for (let i = 0; i < warmup; i += Number(clients)) {
  const statuses = await Promise.all(
    Array.from({ length: Math.min(Number(clients), warmup - i) }, (_, k) =>
      fetch(`${base}/api/entries`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({ householdId: households[(i + k) % households.length], ruleId }),
      }).then(async (res) => (await res.arrayBuffer(), res.status)),
    ),
  );
  warmedUp += statuses.filter((st) => st === 201).length;
}
const startMs = performance.now();
async function client(): Promise<void> {
  while (next < Number(count) && performance.now() - startMs < Number(timeLimitMs)) {
    const i = next++;
    const res = await fetch(`${base}/api/entries`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ householdId: households[i % households.length], ruleId }),
    });
    await res.arrayBuffer();
    if (res.status === 201) done++;
    else errors++;
  }
}
await Promise.all(Array.from({ length: Number(clients) }, client));
console.log(JSON.stringify({ done, errors, elapsedMs: performance.now() - startMs, warmedUp }));
