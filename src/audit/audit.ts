import type { Database } from "bun:sqlite";

/** Who did a write and from where: every write use case receives one and records it. */
export type AuditContext = {
  actorKind: "user" | "kiosk" | "public" | "system";
  actorId: string | null;
  address: string;
  requestId: string;
  nowMs: number;
};

export type AuditRecord = {
  action: string;
  entity: string;
  entityId: string | number | null;
  villageId: number | null;
  detail?: Record<string, unknown>;
};

/** Appends to the audit log. Call it inside the write's own transaction, so both land or neither. */
export function recordAudit(db: Database, ctx: AuditContext, record: AuditRecord): void {
  db.query(
    `INSERT INTO audit_log (at_ms, actor_kind, actor_id, village_id, action, entity, entity_id, address, request_id, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    ctx.nowMs,
    ctx.actorKind,
    ctx.actorId,
    record.villageId,
    record.action,
    record.entity,
    record.entityId === null ? null : String(record.entityId),
    ctx.address,
    ctx.requestId,
    record.detail === undefined ? null : JSON.stringify(record.detail),
  );
}

export function systemAudit(nowMs: number, requestId = "system"): AuditContext {
  return { actorKind: "system", actorId: null, address: "local", requestId, nowMs };
}
