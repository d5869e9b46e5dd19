/**
 * Evidence photos: a picture that backs an entry (the swept yard, the certificate), uploaded
 * before the entry is recorded and named by it (`evidenceId`). Kept in the database, so a backup
 * (VACUUM INTO) carries them and only staff of the photo's village read them. A photo never
 * changes, and is not part of the hash chain: it says what backs an entry, not what it means.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { assert } from "../shared/assert.ts";

export const EVIDENCE_MAX_BYTES = 1024 * 1024;
export type EvidenceContentType = "image/jpeg" | "image/png" | "image/webp";
export type EvidenceRow = {
  id: number;
  village_id: number;
  content_type: EvidenceContentType;
  bytes: Uint8Array<ArrayBuffer>;
  created_at_ms: number;
  created_by: string;
};

/** Where a photo is read: staff follow `evidenceUrl` on an entry. */
export function evidenceUrl(id: number): string {
  return `/api/evidence/${id}`;
}

export function villageOfEvidence(db: Database, id: number): number | null {
  return (
    db
      .query<{ village_id: number }, [number]>("SELECT village_id FROM evidence WHERE id = ?")
      .get(id)?.village_id ?? null
  );
}

export function findEvidence(db: Database, id: number): EvidenceRow | null {
  return db.query<EvidenceRow, [number]>("SELECT * FROM evidence WHERE id = ?").get(id);
}

/** Stores a photo whose type was read from its bytes; one IMMEDIATE transaction, audited. */
export function storeEvidence(
  db: Database,
  audit: AuditContext,
  input: {
    villageId: number;
    contentType: EvidenceContentType;
    bytes: Uint8Array;
    createdBy: string;
  },
): number {
  assert(
    input.bytes.byteLength >= 1 && input.bytes.byteLength <= EVIDENCE_MAX_BYTES,
    "the photo's size is checked before it is stored",
  );
  return immediate(db, () => {
    const { id } = db
      .query<{ id: number }, [number, string, Uint8Array, number, string]>(
        "INSERT INTO evidence (village_id, content_type, bytes, created_at_ms, created_by) VALUES (?, ?, ?, ?, ?) RETURNING id",
      )
      .get(input.villageId, input.contentType, input.bytes, audit.nowMs, input.createdBy)!;
    recordAudit(db, audit, {
      action: "upload",
      entity: "evidence",
      entityId: id,
      villageId: input.villageId,
      detail: { contentType: input.contentType, bytes: input.bytes.byteLength },
    });
    return id;
  });
}
