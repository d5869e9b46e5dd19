/**
 * Builds a county-sized database for the county bench (issue 17) and its smoke test: villages of
 * households with a card and a head member each, a kiosk, a clerk, rules and goods per village,
 * and `entries` posted ledger entries over three years (December 2023 to November 2026), each with the audit row the
 * real use case writes. Realistic in shape: most households active, a few very active, a few
 * never; awards, deductions, sales at the kiosk (a redemption with its line and stock movement)
 * and now and then a reversal of an award.
 *
 * Fast, for setup only: rows go in by bulk SQL in large transactions with journal_mode=OFF and
 * synchronous=OFF, secondary indexes dropped and rebuilt after; then the file is switched back to
 * WAL (the server always runs FULL). Each entry is hashed by the real chain code (chainValues,
 * entryHash) with exactly the fields appendPostedEntry hashes, so `bun run verify` accepts it.
 * Households are inserted by the real insertHousehold (pinyin and door keys as the app makes them).
 *
 * Cards, kiosks and the staff's passwords are deterministic (cardToken, kioskToken,
 * COUNTY_PASSWORD), so the bench's clients can read any card without asking the database.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "bun:sqlite";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import {
  chainValues,
  entryHash,
  GENESIS_HASH,
  type ChainedFields,
} from "../../src/ledger/chain.ts";
import { insertHousehold } from "../../src/villages/household-store.ts";
import { luhnCheckDigit } from "../../src/villages/card-number.ts";
import { sha256Hex } from "../../src/auth/tokens.ts";
import { hashPassword, setPasswordCost } from "../../src/auth/users.ts";

/** Bump when the shape of what is built changes: the cached county database is keyed by it. */
export const COUNTY_BUILD_VERSION = 1;
export const COUNTY_PASSWORD = "county-bench-password";
/** Shanghai midnight, 2023-12-01: the first entry's day. Entries run for 36 months, to 2026-11-30. */
export const COUNTY_START_MS = Date.UTC(2023, 11, 1) - 8 * 3_600_000;
export const COUNTY_MONTHS = 36;
const SPAN_MS = Date.UTC(2026, 11, 1) - Date.UTC(2023, 11, 1);

export type CountyOptions = {
  path: string;
  villages: number;
  householdsPerVillage: number;
  entries: number;
  /** Entries per transaction during the load. */
  chunk?: number;
  log?: (line: string) => void;
};

export type CountySummary = {
  villages: number;
  households: number;
  entries: number;
  auditRows: number;
  redemptions: number;
  reversals: number;
  head: string;
  /** The household with the most entries (the bench's history pages read it). */
  busiestHousehold: { id: number; entries: number };
  loadMs: number;
  indexMs: number;
};

const RULES = [
  { code: "FL-1", title: "遵纪守法无违规", category: "law", points: 5 },
  { code: "ZY-1", title: "参加志愿服务", category: "volunteer", points: 10 },
  { code: "HJ-1", title: "庭院整洁环境卫生达标", category: "environment", points: 5 },
  { code: "XQ-1", title: "孝老爱亲", category: "family", points: 8 },
  { code: "WM-1", title: "移风易俗文明新风", category: "civility", points: 6 },
  { code: "HJ-9", title: "乱堆乱放", category: "environment", points: -5 },
  { code: "WM-9", title: "违反村规民约", category: "other", points: -3 },
] as const;
const AWARD_RULES = RULES.filter((r) => r.points > 0).length;
const GOODS = [
  { name: "食用盐 400g", price: 5 },
  { name: "洗衣粉 1kg", price: 15 },
  { name: "大米 5kg", price: 40 },
  { name: "食用油 1.8L", price: 35 },
  { name: "毛巾", price: 10 },
  { name: "酱油 500ml", price: 8 },
] as const;
const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN =
  "建国华明德秀英桂兰芳国强玉珍志勇丽文军平红霞海涛春梅永刚金凤淑琴小龙德胜晓东婷亮伟敏静磊洋艳杰娟超";

/** A card's token: 16 bytes from the household's id, as base64url (22 characters, as the app makes). */
export function cardToken(householdId: number): string {
  return Buffer.from(sha256Hex(`county-card-${householdId}`).slice(0, 32), "hex").toString(
    "base64url",
  );
}
/** A card's printed number: 8 digits with the Luhn check digit, unique per household. */
export function cardNumber(householdId: number): string {
  const payload = String(1_000_000 + householdId);
  return payload + String(luhnCheckDigit(payload));
}
/** The device token of village `villageId`'s kiosk. */
export function kioskToken(villageId: number): string {
  return Buffer.from(sha256Hex(`county-kiosk-${villageId}`), "hex").toString("base64url");
}

/** The random numbers of a county appended to at sequence `seq`: the same every time. */
export function countyRandom(seq: number): () => number {
  return rng(20261204 + seq);
}

/** A small fast PRNG (mulberry32): the same county every build. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = "award" | "deduction" | "redemption" | "reversal";

/**
 * The ledger as it is built: every household's balance, the chain's head, receipt numbers and
 * stock, held in memory and written back by `flush`. `append` posts entries `from..to` (sequence
 * numbers, which are also their ids) with their audit rows, sales and stock movements, inside the
 * caller's transaction. `CountyLedger.resume` reads the state back from a built database, so a
 * day's entries can be appended after a checkpoint (county.bench.ts).
 */
export class CountyLedger {
  readonly balances: Float64Array;
  readonly lastAward: Int32Array;
  readonly awardPoints: Int32Array;
  readonly entryCount: Int32Array;
  readonly receiptNo: Int32Array;
  readonly stock: Int32Array;
  prev = GENESIS_HASH;
  redemptions = 0;
  reversals = 0;
  private readonly insEntry;
  private readonly insAudit;
  private readonly insRedemption;
  private readonly insLine;
  readonly insMove;
  private readonly selectOriginal;
  private readonly villages: number;
  private readonly householdsPerVillage: number;
  private readonly ticketOwner: Int32Array;
  private readonly random: () => number;

  constructor(
    private readonly db: Database,
    o: {
      villages: number;
      householdsPerVillage: number;
      ticketOwner: Int32Array;
      random: () => number;
    },
  ) {
    this.villages = o.villages;
    this.householdsPerVillage = o.householdsPerVillage;
    this.ticketOwner = o.ticketOwner;
    this.random = o.random;
    const households = o.villages * o.householdsPerVillage;
    this.balances = new Float64Array(households + 1);
    this.lastAward = new Int32Array(households + 1);
    this.awardPoints = new Int32Array(households + 1);
    this.entryCount = new Int32Array(households + 1);
    this.receiptNo = new Int32Array(o.villages + 1);
    this.stock = new Int32Array(o.villages * GOODS.length + 1).fill(10_000_000);
    this.insEntry = db.query(
      `INSERT INTO entries (id, village_id, household_id, member_id, rule_id, kind, status, points, quantity, rule_code, rule_title, category, note, occurred_on,
         reverses_id, redemption_id, batch_id, created_at_ms, created_by, approved_by, approved_at_ms, posted_at_ms, seq, balance_after, prev_hash, hash)
       VALUES (?, ?, ?, NULL, ?, ?, 'posted', ?, 1, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, NULL, ?, ?, ?, ?, ?)`,
    );
    this.insAudit = db.query(
      "INSERT INTO audit_log (at_ms, actor_kind, actor_id, village_id, action, entity, entity_id, address, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.insRedemption = db.query(
      `INSERT INTO redemptions (id, village_id, household_id, card_id, receipt_no, total_points, balance_after, entry_id, kiosk_id, created_by, created_at_ms, occurred_on)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insLine = db.query(
      "INSERT INTO redemption_lines (redemption_id, line_no, goods_id, name, price_points, quantity, points) VALUES (?, 1, ?, ?, ?, 1, ?)",
    );
    this.insMove = db.query(
      "INSERT INTO stock_movements (goods_id, village_id, kind, delta, stock_after, reason, source, donor, redemption_id, occurred_on, created_at_ms, created_by) VALUES (?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?)",
    );
    this.selectOriginal = db.query<
      {
        rule_id: number;
        rule_code: string;
        rule_title: string;
        category: string;
        occurred_on: string;
      },
      [number]
    >("SELECT rule_id, rule_code, rule_title, category, occurred_on FROM entries WHERE id = ?");
  }

  /** The state of a built county database, to append to it (reversals only of awards appended from now on). */
  static resume(db: Database, random: () => number): CountyLedger {
    const villages = db.query<{ n: number }, []>("SELECT count(*) AS n FROM villages").get()!.n;
    const households = db.query<{ n: number }, []>("SELECT count(*) AS n FROM households").get()!.n;
    const weights = activityWeights(households, random);
    const ledger = new CountyLedger(db, {
      villages,
      householdsPerVillage: households / villages,
      ticketOwner: weights,
      random,
    });
    for (const h of db
      .query<{ id: number; balance: number }, []>("SELECT id, balance FROM households")
      .all())
      ledger.balances[h.id] = h.balance;
    for (const v of db
      .query<{ id: number; last_receipt_no: number }, []>(
        "SELECT id, last_receipt_no FROM villages",
      )
      .all())
      ledger.receiptNo[v.id] = v.last_receipt_no;
    for (const g of db
      .query<{ id: number; stock: number }, []>("SELECT id, stock FROM goods")
      .all())
      ledger.stock[g.id] = g.stock;
    ledger.prev = db
      .query<{ hash: string }, []>("SELECT hash FROM ledger_head WHERE id = 1")
      .get()!.hash;
    ledger.redemptions =
      db.query<{ n: number | null }, []>("SELECT max(id) AS n FROM redemptions").get()!.n ?? 0;
    return ledger;
  }

  /** Posts entries with sequence numbers from..to, at the times `atMsOf` gives. Inside the caller's transaction. */
  append(from: number, to: number, atMsOf: (seq: number) => number): void {
    const { balances, lastAward, awardPoints, entryCount, receiptNo, stock, random } = this;
    const goodsPerVillage = GOODS.length;
    const tickets = this.ticketOwner.length;
    const address = "10.20.0.1";
    let dayKey = -1;
    let day = "";
    for (let seq = from; seq <= to; seq++) {
      const householdId = this.ticketOwner[Math.floor(random() * tickets)]!;
      const villageId = Math.floor((householdId - 1) / this.householdsPerVillage) + 1;
      const atMs = atMsOf(seq);
      const k = Math.floor((atMs - COUNTY_START_MS) / 86_400_000);
      if (k !== dayKey) {
        dayKey = k;
        day = new Date(atMs + 8 * 3_600_000).toISOString().slice(0, 10);
      }
      const balance = balances[householdId]!;
      const r = random();
      let kind: Kind;
      let points: number;
      let ruleIndex = -1;
      let goodsIndex = -1;
      let reversesId: number | null = null;
      if (r < 0.25 && balance >= GOODS[0].price) {
        kind = "redemption";
        do goodsIndex = Math.floor(random() * goodsPerVillage);
        while (GOODS[goodsIndex]!.price > balance);
        points = -GOODS[goodsIndex]!.price;
      } else if (r < 0.3) {
        kind = "deduction";
        ruleIndex = AWARD_RULES + Math.floor(random() * (RULES.length - AWARD_RULES));
        points = RULES[ruleIndex]!.points;
      } else if (r < 0.303 && lastAward[householdId]! > 0) {
        kind = "reversal";
        reversesId = lastAward[householdId]!;
        lastAward[householdId] = 0;
        points = -awardPoints[householdId]!;
      } else {
        kind = "award";
        ruleIndex = Math.floor(random() * AWARD_RULES);
        points = RULES[ruleIndex]!.points;
      }
      const rule = ruleIndex >= 0 ? RULES[ruleIndex]! : null;
      const ruleId = ruleIndex >= 0 ? (villageId - 1) * RULES.length + ruleIndex + 1 : null;
      const goodsId = goodsIndex >= 0 ? (villageId - 1) * goodsPerVillage + goodsIndex + 1 : null;
      const redemptionId = kind === "redemption" ? ++this.redemptions : null;
      const receipt = kind === "redemption" ? ++receiptNo[villageId]! : 0;
      const createdBy = kind === "redemption" ? `kiosk:${villageId}` : `clerk${villageId}`;
      const note =
        kind === "redemption"
          ? `积分超市兑换 小票 ${receipt}`
          : kind === "reversal"
            ? "录入有误"
            : null;
      const balanceAfter = balance + points;
      balances[householdId] = balanceAfter;
      entryCount[householdId]!++;
      // A reversal copies the reversed entry's rule fields and day (appendReversal); read by its id.
      let ruleCode: string | null = rule?.code ?? null;
      let ruleTitle: string | null = rule?.title ?? null;
      let category: string | null = rule?.category ?? null;
      let entryRuleId = ruleId;
      let occurredOn = day;
      if (kind === "reversal") {
        const original = this.selectOriginal.get(reversesId!)!;
        ({
          rule_code: ruleCode,
          rule_title: ruleTitle,
          category,
          occurred_on: occurredOn,
        } = original);
        entryRuleId = original.rule_id;
        this.reversals++;
      }
      const prev = this.prev;
      const fields: ChainedFields = {
        seq,
        id: seq,
        village_id: villageId,
        household_id: householdId,
        member_id: null,
        rule_id: entryRuleId,
        kind,
        points,
        quantity: 1,
        rule_code: ruleCode,
        rule_title: ruleTitle,
        category,
        note,
        occurred_on: occurredOn,
        reverses_id: reversesId,
        redemption_id: redemptionId,
        batch_id: null,
        created_at_ms: atMs,
        created_by: createdBy,
        approved_by: null,
        approved_at_ms: null,
        posted_at_ms: atMs,
        balance_after: balanceAfter,
        prev_hash: prev,
      };
      const hash = entryHash(chainValues(fields));
      this.insEntry.run(
        seq,
        villageId,
        householdId,
        entryRuleId,
        kind,
        points,
        ruleCode,
        ruleTitle,
        category,
        note,
        occurredOn,
        reversesId,
        redemptionId,
        atMs,
        createdBy,
        atMs,
        seq,
        balanceAfter,
        prev,
        hash,
      );
      this.prev = hash;
      if (kind === "award") {
        lastAward[householdId] = seq;
        awardPoints[householdId] = points;
      }
      if (kind === "redemption") {
        const g = GOODS[goodsIndex]!;
        this.insRedemption.run(
          redemptionId,
          villageId,
          householdId,
          householdId,
          receipt,
          g.price,
          balanceAfter,
          seq,
          villageId,
          createdBy,
          atMs,
          day,
        );
        this.insLine.run(redemptionId, goodsId, g.name, g.price, g.price);
        const after = --stock[goodsId!]!;
        this.insMove.run(
          goodsId,
          villageId,
          "sale",
          -1,
          after,
          null,
          redemptionId,
          day,
          atMs,
          createdBy,
        );
        this.insAudit.run(
          atMs,
          "kiosk",
          `kiosk:${villageId}`,
          villageId,
          "redeem",
          "redemption",
          String(redemptionId),
          address,
          crypto.randomUUID(),
          JSON.stringify({
            receiptNo: receipt,
            householdId,
            totalPoints: g.price,
            items: [[goodsId, 1]],
          }),
        );
      } else if (kind === "reversal") {
        this.insAudit.run(
          atMs,
          "user",
          `user:${villageId + 1}`,
          villageId,
          "reverse",
          "entry",
          String(seq),
          address,
          crypto.randomUUID(),
          JSON.stringify({ reverses: reversesId, reason: note }),
        );
      } else {
        this.insAudit.run(
          atMs,
          "user",
          `user:${villageId + 1}`,
          villageId,
          "record",
          "entry",
          String(seq),
          address,
          crypto.randomUUID(),
          JSON.stringify({ householdId, ruleId, points, status: "posted" }),
        );
      }
    }
    this.headSeq = to;
  }
  private headSeq = 0;

  /** Writes balances, receipt counters, stock and the chain's head back. Inside the caller's transaction. */
  flush(): void {
    const setBalance = this.db.query(
      "UPDATE households SET balance = ? WHERE id = ? AND balance <> ?",
    );
    for (let id = 1; id < this.balances.length; id++)
      setBalance.run(this.balances[id]!, id, this.balances[id]!);
    const setReceipt = this.db.query(
      "UPDATE villages SET last_receipt_no = ? WHERE id = ? AND last_receipt_no <> ?",
    );
    for (let v = 1; v <= this.villages; v++)
      setReceipt.run(this.receiptNo[v]!, v, this.receiptNo[v]!);
    const setStock = this.db.query("UPDATE goods SET stock = ? WHERE id = ? AND stock <> ?");
    for (let g = 1; g < this.stock.length; g++) setStock.run(this.stock[g]!, g, this.stock[g]!);
    this.db
      .query("UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1")
      .run(this.headSeq, this.prev);
  }
}

/**
 * How active each household is, as a lottery: one ticket per unit of weight. 8 % never active,
 * most about evenly, 2 % ten times as much, one in ten thousand a hundred times (a very busy
 * household's history is thousands of entries).
 */
function activityWeights(households: number, random: () => number): Int32Array {
  const weights = new Uint16Array(households + 1);
  let tickets = 0;
  for (let id = 1; id <= households; id++) {
    const r = random();
    weights[id] = r < 0.08 ? 0 : r < 0.9999 - 0.02 ? 1 : r < 0.9999 ? 10 : 100;
    tickets += weights[id]!;
  }
  const ticketOwner = new Int32Array(tickets);
  for (let id = 1, t = 0; id <= households; id++)
    for (let k = 0; k < weights[id]!; k++) ticketOwner[t++] = id;
  return ticketOwner;
}

export function buildCounty(o: CountyOptions): CountySummary {
  const log = o.log ?? (() => {});
  const chunk = o.chunk ?? 250_000;
  const random = rng(20261204);
  const db = openDatabase(o.path);
  migrate(db, COUNTY_START_MS);
  // Setup only: no journal, no fsync, no foreign-key probes, a big page cache for the index sorts.
  db.run("PRAGMA journal_mode = DELETE");
  db.run("PRAGMA journal_mode = OFF");
  db.run("PRAGMA synchronous = OFF");
  db.run("PRAGMA foreign_keys = OFF");
  db.run("PRAGMA cache_size = -1048576");
  const tables = [
    "entries",
    "audit_log",
    "redemptions",
    "stock_movements",
    "households",
    "members",
    "cards",
  ];
  const indexes = db
    .query<{ name: string; sql: string }, []>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map((t) => `'${t}'`).join(", ")})`,
    )
    .all();
  for (const i of indexes) db.run(`DROP INDEX ${i.name}`);

  const loadStartMs = performance.now();
  const households = o.villages * o.householdsPerVillage;
  setPasswordCost({ memoryCost: 1024, timeCost: 1 });
  const passwordHash = hashPassword(COUNTY_PASSWORD);
  const goodsPerVillage = GOODS.length;
  db.transaction(() => {
    const insVillage = db.query(
      "INSERT INTO villages (id, name, code, created_at_ms) VALUES (?, ?, ?, ?)",
    );
    const insRule = db.query(
      "INSERT INTO rules (village_id, code, title, category, points, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const insGoods = db.query(
      "INSERT INTO goods (id, village_id, name, price_points, category, stock, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, 'daily', 0, ?, ?)",
    );
    const insUser = db.query(
      "INSERT INTO users (username, display_name, password_hash, role, village_id, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const insKiosk = db.query(
      "INSERT INTO kiosks (id, village_id, name, token_hash, created_at_ms) VALUES (?, ?, ?, ?, ?)",
    );
    const insCard = db.query(
      "INSERT INTO cards (household_id, village_id, token, number, created_at_ms) VALUES (?, ?, ?, ?, ?)",
    );
    insUser.run("county", "县管理员", passwordHash, "township_admin", null, COUNTY_START_MS);
    for (let v = 1; v <= o.villages; v++) {
      insVillage.run(v, `第${v}村`, `C${String(v).padStart(3, "0")}`, COUNTY_START_MS);
      for (const r of RULES) insRule.run(v, r.code, r.title, r.category, r.points, COUNTY_START_MS);
      GOODS.forEach((g, k) =>
        insGoods.run(
          (v - 1) * goodsPerVillage + k + 1,
          v,
          g.name,
          g.price,
          COUNTY_START_MS,
          COUNTY_START_MS,
        ),
      );
      insUser.run(`clerk${v}`, `第${v}村文书`, passwordHash, "clerk", v, COUNTY_START_MS);
      insKiosk.run(v, v, `第${v}村超市`, sha256Hex(kioskToken(v)), COUNTY_START_MS);
      for (let i = 0; i < o.householdsPerVillage; i++) {
        const name =
          SURNAMES[Math.floor(random() * SURNAMES.length)]! +
          GIVEN[Math.floor(random() * GIVEN.length)]! +
          (random() < 0.7 ? GIVEN[Math.floor(random() * GIVEN.length)]! : "");
        const id = insertHousehold(
          db,
          v,
          { headName: name, address: `${(i % 12) + 1}组${i + 1}号`, externalId: null, members: [] },
          COUNTY_START_MS,
        );
        insCard.run(id, v, cardToken(id), cardNumber(id), COUNTY_START_MS);
      }
    }
  })();
  log(`  villages, households, cards: ${((performance.now() - loadStartMs) / 1000).toFixed(1)} s`);

  const ticketOwner = activityWeights(households, random);
  const ledger = new CountyLedger(db, {
    villages: o.villages,
    householdsPerVillage: o.householdsPerVillage,
    ticketOwner,
    random,
  });
  db.transaction(() => {
    for (let g = 1; g < ledger.stock.length; g++)
      ledger.insMove.run(
        g,
        Math.floor((g - 1) / GOODS.length) + 1,
        "intake",
        10_000_000,
        10_000_000,
        "village",
        null,
        "2023-12-01",
        COUNTY_START_MS,
        "county",
      );
  })();
  const stepMs = SPAN_MS / o.entries;
  for (let from = 1; from <= o.entries; from += chunk) {
    const to = Math.min(o.entries, from + chunk - 1);
    db.transaction(() =>
      ledger.append(from, to, (seq) => Math.floor(COUNTY_START_MS + (seq - 0.5) * stepMs)),
    )();
    if (to === o.entries || Math.floor(to / 1_000_000) !== Math.floor((to - chunk) / 1_000_000))
      log(
        `  ${to.toLocaleString("en")} entries: ${((performance.now() - loadStartMs) / 1000).toFixed(0)} s`,
      );
  }
  db.transaction(() => ledger.flush())();
  const { entryCount, redemptions, reversals, prev } = ledger;
  const loadMs = performance.now() - loadStartMs;
  log(`  loaded in ${(loadMs / 1000).toFixed(0)} s; rebuilding ${indexes.length} indexes`);
  const indexStartMs = performance.now();
  for (const i of indexes) {
    const t = performance.now();
    db.run(i.sql);
    log(`    ${i.name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const indexMs = performance.now() - indexStartMs;
  db.run("PRAGMA foreign_keys = ON");
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA synchronous = FULL");
  let busiest = 1;
  for (let id = 1; id <= households; id++) if (entryCount[id]! > entryCount[busiest]!) busiest = id;
  db.close();
  return {
    villages: o.villages,
    households,
    entries: o.entries,
    auditRows: o.entries,
    redemptions,
    reversals,
    head: prev,
    busiestHousehold: { id: busiest, entries: entryCount[busiest]! },
    loadMs,
    indexMs,
  };
}

export type CountyFile = {
  path: string;
  summary: CountySummary;
  buildMs: number;
  builtAt: string;
  migrations: string[];
  reused: boolean;
};

/**
 * The county database at `dir`, keyed by COUNTY_BUILD_VERSION and its size: reused when a finished
 * build is there (its `.json` is written last), built otherwise. A half-built file is removed first.
 */
export function ensureCounty(
  dir: string,
  size: { villages: number; householdsPerVillage: number; entries: number },
  log: (line: string) => void = () => {},
): CountyFile {
  mkdirSync(dir, { recursive: true });
  const path = join(
    dir,
    `county-v${COUNTY_BUILD_VERSION}-${size.villages}x${size.householdsPerVillage}-${size.entries}.db`,
  );
  const metaPath = `${path}.json`;
  if (existsSync(metaPath) && existsSync(path))
    return {
      ...(JSON.parse(readFileSync(metaPath, "utf8")) as Omit<CountyFile, "reused">),
      reused: true,
    };
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  const startMs = performance.now();
  const summary = buildCounty({ path, ...size, log });
  const file = {
    path,
    summary,
    buildMs: performance.now() - startMs,
    builtAt: new Date().toISOString(),
    migrations: readdirSync(join(import.meta.dir, "../../migrations"))
      .filter((f) => f.endsWith(".sql"))
      .sort(),
  };
  writeFileSync(metaPath, JSON.stringify(file, null, 2));
  return { ...file, reused: false };
}

if (import.meta.main) {
  const [dir = "/work/county-data", villages = "300", per = "1000", entries = "30000000"] =
    process.argv.slice(2);
  const file = ensureCounty(
    dir,
    { villages: Number(villages), householdsPerVillage: Number(per), entries: Number(entries) },
    console.log,
  );
  console.log(JSON.stringify(file));
}
