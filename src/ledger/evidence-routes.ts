import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { IdOut, idParams } from "../http/schemas.ts";
import { villageExists } from "../villages/village-store.ts";
import { checkImage, IMAGE_SIDE_PX_MAX } from "../market/image-check.ts";
import { assert } from "../shared/assert.ts";
import {
  EVIDENCE_MAX_BYTES,
  evidenceUrl,
  findEvidence,
  storeEvidence,
  villageOfEvidence,
} from "./evidence.ts";

/** A photo never changes under its id; only the signed-in browser that read it may keep it. */
const PRIVATE_IMMUTABLE_CACHE = "private, max-age=31536000, immutable";

export function registerEvidenceRoutes(api: Api): void {
  const staff = ["township_admin", "village_admin", "clerk"] as const;

  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/evidence",
      summary:
        "Upload an evidence photo for entries (JPEG, PNG or WebP up to 1 MiB and 10,000 pixels a side, its type read from its bytes and the whole file checked to its end marker, else 415 invalid-image); name it as evidenceId when recording",
      tag: "entries",
      access: { roles: staff, village: ({ params }, db) => villageExists(db, params.villageId) },
      params: idParams("villageId"),
      bodyKind: "image",
      body: z.instanceof(Uint8Array),
      maxBodyBytes: EVIDENCE_MAX_BYTES,
      responses: {
        201: { description: "Stored", schema: z.object({ id: IdOut, url: z.string() }) },
        413: { description: "Larger than 1 MiB" },
        415: { description: "Not a whole JPEG, PNG or WebP picture (code invalid-image)" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      assert(
        principal !== null && principal.kind === "user",
        "evidence is uploaded by signed-in staff",
      );
      if (body.byteLength === 0)
        throw new ProblemError(
          400,
          "validation",
          "The photo is empty: send the picture's bytes as the body.",
          [{ path: "body", message: "empty" }],
        );
      const checked = checkImage(body);
      if (!checked.ok)
        throw new ProblemError(
          415,
          "unsupported-media-type",
          `The file is ${checked.problem}; take the photo again or save it as JPEG.`,
          undefined,
          undefined,
          { code: "invalid-image", params: { sideMax: IMAGE_SIDE_PX_MAX } },
        );
      const type = checked.image;
      const id = storeEvidence(db, audit, {
        villageId: params.villageId,
        contentType: type.contentType,
        bytes: body,
        createdBy: principal.username,
      });
      return c.json({ id: String(id), url: evidenceUrl(id) }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/evidence/:id",
      summary: "An evidence photo, for staff of its village",
      tag: "entries",
      access: { roles: staff, village: ({ params }, db) => villageOfEvidence(db, params.id) },
      params: idParams("id"),
      responses: { 200: { description: "The picture", contentType: "image/*" } },
    },
    ({ db, params }) => {
      const row = findEvidence(db, params.id)!;
      return new Response(row.bytes, {
        headers: {
          "content-type": row.content_type,
          "cache-control": PRIVATE_IMMUTABLE_CACHE,
          "content-disposition": "inline",
        },
      });
    },
  );
}
