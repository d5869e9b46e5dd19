/**
 * The supermarket's month-end statement (对账) per village: goods in by source (with the donors'
 * names), sold, written off, counted, on hand, and the points of the month's sales. The clerk and a
 * village administrator each sign it; once both have signed, the statement as it stood is frozen:
 * its canonical JSON and that text's SHA-256 are stored, and from then on it is answered from the
 * stored text, never recomputed (a later correction is a movement of a later month). Months are
 * Beijing-time calendar months, by each movement's `occurred_on`; a void counts in the month it
 * was made, as in the accounts (src/market/accounts.ts).
 */
import type { Database } from "bun:sqlite";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { canonicalJson, sha256Hex } from "../shared/canonical.ts";
import { monthBounds, shanghaiMonth } from "../shared/calendar.ts";
import { assert } from "../shared/assert.ts";
import { findVillage } from "../villages/village-store.ts";
import { inTransaction, refuse, type LedgerResult } from "../ledger/refusal.ts";
import type { StaffRole } from "../auth/principal.ts";
import { marketAccounts } from "./accounts.ts";
import type { MovementKind, StockSource } from "./goods-store.ts";
import {
  statementLine,
  totalsOf,
  type GoodsMonth,
  type LineTotals,
  type StatementLine,
} from "./reconciliation-lines.ts";

export type SignerRole = "clerk" | "village_admin";
export const SIGNER_ROLES: readonly SignerRole[] = ["clerk", "village_admin"];

export type Signature = { role: SignerRole; userId: string; name: string; signedAt: string };

/** What is frozen, exactly as hashed. */
export type StatementSnapshot = {
  month: string;
  villageId: string;
  villageName: string;
  lines: StatementLine[];
  totals: LineTotals;
  /** Points of the month's sales less the points its voids gave back. */
  pointsRedeemed: number;
  pointsVoided: number;
  sales: number;
  voids: number;
  signatures: Signature[];
};

export type MarketStatement = StatementSnapshot & {
  /** The month is over (Asia/Shanghai): only then may it be signed. */
  ended: boolean;
  frozen: boolean;
  frozenAt: string | null;
  digest: string | null;
  /** For a frozen month: the stored text still hashes to the stored digest. */
  intact: boolean | null;
};

/** The role a staff member signs in: a clerk as the clerk; a village or township administrator for the committee. */
export function signerRoleOf(role: StaffRole): SignerRole {
  return role === "clerk" ? "clerk" : "village_admin";
}

type SignatureRow = { role: SignerRole; user_id: number; name: string; signed_at_ms: number };
type FrozenRow = { snapshot: string; digest: string; frozen_at_ms: number };

const toIso = (ms: number): string => new Date(ms).toISOString();

function signaturesOf(db: Database, villageId: number, month: string): Signature[] {
  return db
    .query<SignatureRow, [number, string]>(
      "SELECT role, user_id, name, signed_at_ms FROM market_statement_signatures WHERE village_id = ? AND month = ? ORDER BY signed_at_ms, role",
    )
    .all(villageId, month)
    .map((r) => ({
      role: r.role,
      userId: String(r.user_id),
      name: r.name,
      signedAt: toIso(r.signed_at_ms),
    }));
}

function frozenRow(db: Database, villageId: number, month: string): FrozenRow | null {
  return db
    .query<FrozenRow, [number, string]>(
      "SELECT snapshot, digest, frozen_at_ms FROM market_statements WHERE village_id = ? AND month = ?",
    )
    .get(villageId, month);
}

/** The month's lines, computed from the stock ledger: every good with stock at the start or a movement in the month. */
export function monthLines(db: Database, villageId: number, month: string): StatementLine[] {
  const { from, to } = monthBounds(month);
  const openings = db
    .query<{ goods_id: number; units: number }, [number, string]>(
      "SELECT goods_id, sum(delta) AS units FROM stock_movements WHERE village_id = ? AND occurred_on < ? GROUP BY goods_id",
    )
    .all(villageId, from);
  const sums = db
    .query<
      { goods_id: number; kind: MovementKind; source: StockSource | null; units: number },
      [number, string, string]
    >(
      "SELECT goods_id, kind, source, sum(delta) AS units FROM stock_movements WHERE village_id = ? AND occurred_on BETWEEN ? AND ? GROUP BY goods_id, kind, source",
    )
    .all(villageId, from, to);
  const donors = db
    .query<{ goods_id: number; donor: string }, [number, string, string]>(
      "SELECT DISTINCT goods_id, donor FROM stock_movements WHERE village_id = ? AND occurred_on BETWEEN ? AND ? AND donor IS NOT NULL",
    )
    .all(villageId, from, to);
  const goods = new Map<
    number,
    { opening: number; movements: GoodsMonth["movements"][number][]; donors: string[] }
  >();
  const of = (id: number) =>
    goods.get(id) ?? goods.set(id, { opening: 0, movements: [], donors: [] }).get(id)!;
  for (const o of openings) if (o.units !== 0) of(o.goods_id).opening = o.units;
  for (const s of sums)
    of(s.goods_id).movements.push({ kind: s.kind, source: s.source, units: s.units });
  for (const d of donors) of(d.goods_id).donors.push(d.donor);
  if (goods.size === 0) return [];
  const ids = [...goods.keys()];
  const names = new Map(
    db
      .query<{ id: number; name: string }, number[]>(
        `SELECT id, name FROM goods WHERE id IN (${ids.map(() => "?").join(",")})`,
      )
      .all(...ids)
      .map((g) => [g.id, g.name]),
  );
  return ids
    .map((id) =>
      statementLine({ goodsId: id, name: names.get(id) ?? String(id), ...goods.get(id)! }),
    )
    .sort((a, b) => a.name.localeCompare(b.name, "zh-CN") || Number(a.goodsId) - Number(b.goodsId));
}

/** The month as the ledger says it now, with its signatures so far. */
function liveSnapshot(db: Database, villageId: number, month: string): StatementSnapshot {
  const village = findVillage(db, villageId);
  assert(village !== null, `village ${villageId} exists`);
  const { from, to } = monthBounds(month);
  const lines = monthLines(db, villageId, month);
  const accounts = marketAccounts(db, villageId, from, to).totals;
  const voids = db
    .query<{ n: number }, [number, string, string]>(
      "SELECT count(*) AS n FROM redemptions WHERE village_id = ? AND voided_on BETWEEN ? AND ?",
    )
    .get(villageId, from, to)!.n;
  return {
    month,
    villageId: String(villageId),
    villageName: village.name,
    lines,
    totals: totalsOf(lines),
    pointsRedeemed: accounts.netPointsRedeemed,
    pointsVoided: accounts.pointsVoided,
    sales: accounts.redemptions,
    voids,
    signatures: signaturesOf(db, villageId, month),
  };
}

/** A village's statement of a month: the frozen text when both have signed, else computed now. Reads only. */
export function marketStatement(
  db: Database,
  villageId: number,
  month: string,
  nowMs: number,
): MarketStatement {
  const ended = month < shanghaiMonth(nowMs);
  const frozen = frozenRow(db, villageId, month);
  if (frozen !== null) {
    const snapshot = JSON.parse(frozen.snapshot) as StatementSnapshot;
    return {
      ...snapshot,
      ended,
      frozen: true,
      frozenAt: toIso(frozen.frozen_at_ms),
      digest: frozen.digest,
      intact: sha256Hex(frozen.snapshot) === frozen.digest,
    };
  }
  return {
    ...liveSnapshot(db, villageId, month),
    ended,
    frozen: false,
    frozenAt: null,
    digest: null,
    intact: null,
  };
}

export type Signer = { userId: number; role: StaffRole; name: string };

/**
 * Signs a month's statement: the clerk as `clerk`, a village (or township) administrator as
 * `village_admin`. One person signs a month once; each role once. When the second signature lands,
 * the statement is frozen in the same transaction. Audited.
 */
export function signMarketStatement(
  db: Database,
  audit: AuditContext,
  villageId: number,
  month: string,
  signer: Signer,
): LedgerResult<MarketStatement> {
  return inTransaction(db, () => {
    const current = shanghaiMonth(audit.nowMs);
    if (month >= current) {
      refuse(
        "conflict",
        `${month} has not ended yet (it is ${current} in Asia/Shanghai); a month is signed once it is over.`,
        "params.month",
        { code: "month-not-ended", params: { month } },
      );
    }
    if (frozenRow(db, villageId, month) !== null) {
      refuse(
        "conflict",
        `The statement of ${month} is signed by both and frozen; a correction goes into a later month.`,
        undefined,
        { code: "statement-frozen", params: { month } },
      );
    }
    const role = signerRoleOf(signer.role);
    const signatures = signaturesOf(db, villageId, month);
    const own = signatures.find((s) => s.userId === String(signer.userId));
    if (own !== undefined) {
      refuse(
        "conflict",
        `You already signed the statement of ${month} as ${own.role}; the other signature must be someone else's.`,
        undefined,
        { code: "already-signed", params: { month, role: own.role } },
      );
    }
    const taken = signatures.find((s) => s.role === role);
    if (taken !== undefined) {
      refuse(
        "conflict",
        `The statement of ${month} is already signed as ${role} by ${taken.name}.`,
        undefined,
        { code: "role-signed", params: { month, role, name: taken.name } },
      );
    }
    db.query(
      "INSERT INTO market_statement_signatures (village_id, month, role, user_id, name, signed_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(villageId, month, role, signer.userId, signer.name, audit.nowMs);
    const entityId = `${villageId}:${month}`;
    recordAudit(db, audit, {
      action: "sign",
      entity: "market_statement",
      entityId,
      villageId,
      detail: { month, role, name: signer.name },
    });
    if (signatures.length + 1 === SIGNER_ROLES.length) {
      const snapshot = liveSnapshot(db, villageId, month);
      const text = canonicalJson(snapshot);
      const digest = sha256Hex(text);
      db.query(
        "INSERT INTO market_statements (village_id, month, snapshot, digest, frozen_at_ms) VALUES (?, ?, ?, ?, ?)",
      ).run(villageId, month, text, digest, audit.nowMs);
      recordAudit(db, audit, {
        action: "freeze",
        entity: "market_statement",
        entityId,
        villageId,
        detail: {
          month,
          digest,
          lines: snapshot.lines.length,
          pointsRedeemed: snapshot.pointsRedeemed,
        },
      });
    }
    return marketStatement(db, villageId, month, audit.nowMs);
  });
}

export type FrozenSummary = {
  month: string;
  totals: LineTotals;
  pointsRedeemed: number;
  sales: number;
  voids: number;
  signers: { role: SignerRole; name: string }[];
  frozenAt: string;
  digest: string;
  intact: boolean;
};

/** A village's frozen months, newest first (the primary key's order), for the public board. */
export function frozenStatements(db: Database, villageId: number, limit: number): FrozenSummary[] {
  return db
    .query<FrozenRow & { month: string }, [number, number]>(
      "SELECT month, snapshot, digest, frozen_at_ms FROM market_statements WHERE village_id = ? ORDER BY month DESC LIMIT ?",
    )
    .all(villageId, limit)
    .map((row) => {
      const s = JSON.parse(row.snapshot) as StatementSnapshot;
      return {
        month: row.month,
        totals: s.totals,
        pointsRedeemed: s.pointsRedeemed,
        sales: s.sales,
        voids: s.voids,
        signers: s.signatures.map((sig) => ({ role: sig.role, name: sig.name })),
        frozenAt: toIso(row.frozen_at_ms),
        digest: row.digest,
        intact: sha256Hex(row.snapshot) === row.digest,
      };
    });
}
