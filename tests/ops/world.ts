/**
 * The operations tests' world: a database file made through the real API (a village with staff,
 * households with cards and points, a kiosk, rules and goods with stock), then served by the real
 * server process (`bun src/main.ts`) that the tests stop, kill and start again; a mixed load of
 * awards, batches, sales and voids that remembers every answer; and the checks that a database
 * holds together after whatever happened to it.
 */
import { Database } from "bun:sqlite";
import type { Subprocess } from "bun";
import { join } from "node:path";
import { createHarness, seedTwoVillages, ADMIN_PASSWORD } from "../support/harness.ts";
import { awardPoints } from "../support/market-fixture.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";

const ROOT = join(import.meta.dir, "..", "..");

export type World = {
  file: string;
  staff: string;
  kiosk: string;
  households: { id: number; card: string }[];
  ruleAward: number;
  ruleDeduct: number;
  goods: number[];
};

export const HOUSEHOLDS = 12;
export const START_POINTS = 1_000_000;
export const GOODS_STOCK = 1_000_000;

/** Builds the world into `file` (which must not exist) with staff sessions valid at the real clock. */
export async function buildWorld(file: string): Promise<World> {
  const h = createHarness();
  try {
    // The server processes run on the wall clock: sessions must be fresh on it.
    h.clock.set(Date.now());
    const s = await seedTwoVillages(h);
    const ok = async <T>(p: Promise<{ status: number; body: T }>, expected = 201): Promise<T> => {
      const r = await p;
      if (r.status !== expected)
        throw new Error(`seed: expected ${expected}, got ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const A = s.villageA.id;
    const households: World["households"] = [];
    for (let i = 0; i < HOUSEHOLDS; i++) {
      const household = (await ok(
        h.json("POST", `/api/villages/${A}/households`, {
          cookie: s.aAdmin,
          body: { headName: `王${"一二三四五六七八九十甲乙"[i]}` },
        }),
      )) as { household: { id: string } };
      const card = (await ok(
        h.json("POST", `/api/households/${household.household.id}/cards`, { cookie: s.aAdmin }),
      )) as { token: string };
      awardPoints(h.db, Number(household.household.id), START_POINTS, h.clock.nowMs());
      households.push({ id: Number(household.household.id), card: card.token });
    }
    const kiosk = (
      (await ok(
        h.json("POST", `/api/villages/${A}/kiosks`, { cookie: s.aAdmin, body: { name: "村超市" } }),
      )) as { token: string }
    ).token;
    const rule = async (body: Record<string, unknown>) =>
      Number(
        (
          (await ok(h.json("POST", `/api/villages/${A}/rules`, { cookie: s.aAdmin, body }))) as {
            rule: { id: string };
          }
        ).rule.id,
      );
    const ruleAward = await rule({
      code: "ENV-1",
      title: "庭院整洁",
      category: "environment",
      points: 5,
    });
    const ruleDeduct = await rule({
      code: "ENV-9",
      title: "乱倒垃圾",
      category: "environment",
      points: -2,
    });
    const goods: number[] = [];
    for (const [name, pricePoints] of [
      ["大米 5kg", 30],
      ["肥皂", 5],
      ["食用油", 40],
    ] as const) {
      goods.push(
        Number(
          (
            (await ok(
              h.json("POST", `/api/villages/${A}/goods`, {
                cookie: s.aAdmin,
                body: { name, pricePoints, stock: GOODS_STOCK },
              }),
            )) as { goods: { id: string } }
          ).goods.id,
        ),
      );
    }
    h.db.run(`VACUUM INTO '${file.replace(/'/g, "''")}'`);
    return { file, staff: s.aAdmin, kiosk, households, ruleAward, ruleDeduct, goods };
  } finally {
    h.close();
  }
}

export type ServerProcess = {
  proc: Subprocess<"ignore" | "pipe", "pipe", "pipe">;
  url: string;
  stderr: () => string;
};

const serverEnv = (file: string, env: Record<string, string>) => ({
  ...process.env,
  PORT: "0",
  DATABASE_PATH: file,
  LOG_REQUESTS: "0",
  ADMIN_PASSWORD,
  PUBLIC_URL: "http://127.0.0.1",
  ...env,
});

/** `bun src/main.ts` on `file`, on a free port; resolves once it serves. */
export async function startServerProcess(
  file: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/main.ts")], {
    env: serverEnv(file, env),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  return served(proc);
}

/**
 * The same server with its code loaded ahead (tests/ops/warm-server.ts): `start()` opens the file
 * and serves, and resolves once it does. Spawn it while another server still runs.
 */
export function warmServerProcess(
  file: string,
  env: Record<string, string> = {},
): { proc: Subprocess; start: () => Promise<ServerProcess> } {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "warm-server.ts")], {
    env: serverEnv(file, env),
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });
  return {
    proc,
    start: () => {
      proc.stdin.write("go\n");
      proc.stdin.flush();
      return served(proc);
    },
  };
}

async function served(proc: ServerProcess["proc"]): Promise<ServerProcess> {
  let out = "";
  let err = "";
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stderr) err += decoder.decode(chunk);
  })();
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + 20_000;
  while (!/serving on http:\/\/\S+/.test(out)) {
    if (Date.now() > deadline) throw new Error(`server did not start: ${out} ${err}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`server exited before serving: ${out} ${err}`);
    out += decoder.decode(value);
  }
  const port = /serving on http:\/\/[^:]+:(\d+)/.exec(out)![1];
  // Keep reading so a full pipe never blocks the server.
  void (async () => {
    for (;;) {
      const { done } = await reader.read();
      if (done) return;
    }
  })();
  return { proc, url: `http://127.0.0.1:${port}`, stderr: () => err };
}

/** What a client learnt of one write: answered (with the body), refused, or nothing (no answer). */
export type Outcome = (
  { answered: true; status: number; body: any } | { answered: false; error: string }
) & {
  op: Op;
  key: string;
  /** What was sent, to send again with the same key after a restart. */
  request: { path: string; headers: Record<string, string>; body: unknown };
  /** A batch's households; a void's redemption. */
  size?: number;
  voided?: string;
};
export type Op = "award" | "batch" | "sale" | "void";

/**
 * A client of the mixed load: awards (each with a note naming its key), batches of three, sales
 * of one to three goods, and voids of its own earlier sales, one after another until `stop()`.
 * `timeoutMs`: a request unanswered that long is a client left hanging.
 */
export class LoadClient {
  readonly outcomes: Outcome[] = [];
  private n = 0;
  private readonly sold: number[] = [];
  constructor(
    private readonly world: World,
    private readonly url: () => string,
    private readonly name: string,
    private readonly timeoutMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  async run(until: () => boolean): Promise<void> {
    while (!until()) await this.once();
  }

  /** Sends an unanswered write again, same key and body, as a kiosk or a staff page retries. */
  async resend(o: Outcome): Promise<Outcome> {
    return this.send(
      o.op,
      o.key,
      o.request.path,
      o.request.body,
      o.request.headers,
      o.size,
      o.voided,
    );
  }

  async once(): Promise<Outcome> {
    const w = this.world;
    const key = `${this.name}-${this.n++}`;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(this.random() * xs.length)]!;
    const r = this.random();
    let op: Op;
    let path: string;
    let body: unknown;
    let auth: Record<string, string>;
    if (r < 0.3) {
      op = "award";
      path = "/api/entries";
      body = {
        householdId: String(pick(w.households).id),
        ruleId: String(this.random() < 0.8 ? w.ruleAward : w.ruleDeduct),
        note: key,
      };
      auth = { cookie: w.staff, "idempotency-key": key };
    } else if (r < 0.4) {
      op = "batch";
      path = "/api/entries/batch";
      const ids = [
        ...new Set([pick(w.households).id, pick(w.households).id, pick(w.households).id]),
      ];
      body = { ruleId: String(w.ruleAward), householdIds: ids.map(String), note: key };
      auth = { cookie: w.staff, "idempotency-key": key };
    } else if (r < 0.9 || this.sold.length === 0) {
      op = "sale";
      path = "/api/redemptions";
      const items = [...new Set([pick(w.goods), pick(w.goods)])].map((g) => ({
        goodsId: String(g),
        quantity: 1 + Math.floor(this.random() * 3),
      }));
      body = { cardToken: pick(w.households).card, items };
      auth = { authorization: `Bearer ${w.kiosk}`, "idempotency-key": key };
    } else {
      op = "void";
      const id = this.sold.splice(Math.floor(this.random() * this.sold.length), 1)[0]!;
      path = `/api/redemptions/${id}/void`;
      body = { reason: `void ${key}` };
      auth = { cookie: w.staff };
    }
    const size =
      op === "batch" ? (body as { householdIds: string[] }).householdIds.length : undefined;
    const outcome = await this.send(
      op,
      key,
      path,
      body,
      auth,
      size,
      op === "void" ? path.split("/")[3] : undefined,
    );
    this.outcomes.push(outcome);
    return outcome;
  }

  private async send(
    op: Op,
    key: string,
    path: string,
    body: unknown,
    auth: Record<string, string>,
    size: number | undefined,
    voided: string | undefined,
  ): Promise<Outcome> {
    const request = { path, headers: auth, body };
    let outcome: Outcome;
    try {
      const res = await fetch(this.url() + path, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://127.0.0.1", ...auth },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      outcome = {
        op,
        key,
        request,
        size,
        voided,
        answered: true,
        status: res.status,
        body: text === "" ? null : JSON.parse(text),
      };
      if (op === "sale" && res.status === 201) this.sold.push(Number(outcome.body.id));
    } catch (error) {
      outcome = {
        op,
        key,
        request,
        size,
        voided,
        answered: false,
        error:
          (error as Error).name === "TimeoutError"
            ? "timeout"
            : String((error as Error).message ?? error),
      };
    }
    return outcome;
  }
}

/** Every invariant a database must keep after any stop, clean or not; throws naming the first broken one. */
export function checkInvariants(file: string): { entries: number; redemptions: number } {
  // Read-write, as the server opens it: a WAL left by a killed process is read (and recovered) too.
  const db = new Database(file);
  try {
    const fail = (what: string, rows: unknown[]) => {
      if (rows.length > 0) throw new Error(`${what}: ${JSON.stringify(rows.slice(0, 5))}`);
    };
    fail(
      "a household's balance is not the sum of its posted entries",
      db
        .query(
          "SELECT h.id, h.balance, COALESCE(SUM(e.points), 0) AS sum FROM households h LEFT JOIN entries e ON e.household_id = h.id AND e.status = 'posted' GROUP BY h.id HAVING h.balance <> COALESCE(SUM(e.points), 0)",
        )
        .all(),
    );
    fail(
      "a good's stock is not the sum of its movements",
      db
        .query(
          "SELECT g.id, g.stock, (SELECT COALESCE(SUM(delta), 0) FROM stock_movements m WHERE m.goods_id = g.id) AS sum FROM goods g WHERE g.stock <> (SELECT COALESCE(SUM(delta), 0) FROM stock_movements m WHERE m.goods_id = g.id)",
        )
        .all(),
    );
    fail(
      "a sale without its ledger entry",
      db
        .query(
          "SELECT r.id FROM redemptions r LEFT JOIN entries e ON e.id = r.entry_id WHERE e.id IS NULL OR e.points <> -r.total_points",
        )
        .all(),
    );
    fail(
      "a sale without lines",
      db
        .query(
          "SELECT r.id FROM redemptions r WHERE NOT EXISTS (SELECT 1 FROM redemption_lines l WHERE l.redemption_id = r.id)",
        )
        .all(),
    );
    fail(
      "a void without its reversal",
      db
        .query(
          "SELECT r.id FROM redemptions r LEFT JOIN entries e ON e.id = r.void_entry_id WHERE r.voided_at_ms IS NOT NULL AND (e.id IS NULL OR e.points <> r.total_points)",
        )
        .all(),
    );
    fail(
      "a negative balance or stock",
      db
        .query(
          "SELECT 'h' AS t, id FROM households WHERE balance < 0 UNION ALL SELECT 'g', id FROM goods WHERE stock < 0",
        )
        .all(),
    );
    const integrity = db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").all();
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== "ok")
      throw new Error(`integrity_check: ${JSON.stringify(integrity)}`);
    const verified = verifyLedger(db);
    if (!verified.ok)
      throw new Error(`the chain does not verify: ${JSON.stringify(verified).slice(0, 500)}`);
    return {
      entries: db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM entries").get()!.n,
      redemptions: db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM redemptions").get()!.n,
    };
  } finally {
    db.close();
  }
}

/** A stored answer that is a sale's receipt (the store keeps answers, not what they were of). */
const SALE_ANSWER = "json_extract(response, '$.receiptNo') IS NOT NULL";

/**
 * Every acknowledged write is in the database exactly once, and every write without an answer is
 * there whole or not at all: an award or batch by the note naming its key, a sale by its id and
 * its Idempotency-Key row, a void by its redemption's void columns.
 */
export function checkOutcomes(
  file: string,
  outcomes: readonly Outcome[],
): { acknowledged: number; unanswered: number; unansweredThere: number } {
  // Read-write, as the server opens it: a WAL left by a killed process is read (and recovered) too.
  const db = new Database(file);
  let acknowledged = 0;
  let unanswered = 0;
  let unansweredThere = 0;
  try {
    // Read once, not a query per outcome: neither the note nor the key alone is indexed, and a long
    // crash run checks thousands of outcomes after every restart.
    const notes = new Map(
      db
        .query<{ note: string; n: number }, []>(
          "SELECT note, COUNT(*) AS n FROM entries WHERE note IS NOT NULL GROUP BY note",
        )
        .all()
        .map((r) => [r.note, r.n]),
    );
    const saleKeys = new Map(
      db
        .query<{ k: string; n: number }, []>(
          `SELECT idempotency_key AS k, COUNT(*) AS n FROM idempotency_keys WHERE ${SALE_ANSWER} GROUP BY idempotency_key`,
        )
        .all()
        .map((r) => [r.k, r.n]),
    );
    const sale = db.query<{ id: number; total_points: number }, [number]>(
      "SELECT id, total_points FROM redemptions WHERE id = ?",
    );
    const voided = db.query<{ v: number | null }, [number]>(
      "SELECT voided_at_ms AS v FROM redemptions WHERE id = ?",
    );
    for (const o of outcomes) {
      const ok = o.answered && o.status === 201;
      if (o.answered && !ok && o.status < 400)
        throw new Error(`${o.key}: unexpected status ${o.status}`);
      if (o.answered && o.status >= 500)
        throw new Error(`${o.key} (${o.op}): answered ${o.status}: ${JSON.stringify(o.body)}`);
      if (ok) acknowledged++;
      if (!o.answered) unanswered++;
      if (o.op === "award" || o.op === "batch") {
        const n = notes.get(o.key) ?? 0;
        const size = o.op === "batch" ? (ok ? o.body.entries.length : null) : 1;
        if (ok && n !== size)
          throw new Error(`acknowledged ${o.op} ${o.key} has ${n} entries, not ${size}`);
        if (o.answered && !ok && n !== 0)
          throw new Error(`refused ${o.op} ${o.key} left ${n} entries`);
        if (!o.answered && n > 0) {
          if (n !== (o.size ?? 1))
            throw new Error(
              `unanswered ${o.op} ${o.key} is half there: ${n} of ${o.size ?? 1} entries`,
            );
          unansweredThere++;
        }
      } else if (o.op === "sale") {
        const keys = saleKeys.get(o.key) ?? 0;
        if (ok) {
          const row = sale.get(Number(o.body.id));
          if (row === null || row.total_points !== o.body.totalPoints)
            throw new Error(`acknowledged sale ${o.key} (${o.body.id}) is missing or differs`);
          if (keys !== 1) throw new Error(`acknowledged sale ${o.key} has ${keys} key rows`);
        } else if (o.answered && keys !== 0) throw new Error(`refused sale ${o.key} left its key`);
        if (!o.answered && keys > 0) unansweredThere++;
      } else {
        const id = Number(o.voided);
        const v = voided.get(id)?.v ?? null;
        if (ok && v === null) throw new Error(`acknowledged void of ${id} is not there`);
        if (!o.answered && v !== null) unansweredThere++;
      }
    }
    // Exactly once: every sale has its one key row (a key is required on sales), so no key made two.
    const unkeyed = db
      .query(
        `SELECT r.id FROM redemptions r LEFT JOIN (SELECT CAST(json_extract(response, '$.id') AS INTEGER) AS redemption_id, COUNT(*) AS n FROM idempotency_keys WHERE ${SALE_ANSWER} GROUP BY redemption_id) k ON k.redemption_id = r.id WHERE COALESCE(k.n, 0) <> 1`,
      )
      .all();
    if (unkeyed.length > 0)
      throw new Error(
        `sales without exactly one Idempotency-Key row: ${JSON.stringify(unkeyed.slice(0, 5))}`,
      );
    return { acknowledged, unanswered, unansweredThere };
  } finally {
    db.close();
  }
}

/** A small seeded generator (mulberry32), so a load's mix can be replayed from its seed. */
export function mulberry(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
