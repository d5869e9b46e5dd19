// A photo of the evidence, checked and shrunk in the browser before it is sent: a phone's 12 MP
// picture becomes a JPEG of at most PHOTO_EDGE_PX on its long side, a few hundred KB.

export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
/** The largest file accepted before shrinking (a photo straight from a camera). */
export const PHOTO_INPUT_MAX_BYTES = 20 * 1024 * 1024;
/** The server's limit for the shrunk photo. */
export const PHOTO_UPLOAD_MAX_BYTES = 1024 * 1024;
export const PHOTO_EDGE_PX = 1600;
const JPEG_QUALITY = 0.82;

export type PhotoCheck = { ok: true } | { ok: false; reason: "type" | "size" };

export function checkPhoto(file: { type: string; size: number }): PhotoCheck {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) return { ok: false, reason: "type" };
  if (file.size > PHOTO_INPUT_MAX_BYTES) return { ok: false, reason: "size" };
  return { ok: true };
}

/** The size to draw a w×h picture at so that its long side is at most `edge`. */
export function fitWithin(w: number, h: number, edge: number): { width: number; height: number } {
  const scale = Math.min(1, edge / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

export async function shrinkPhoto(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const { width, height } = fitWithin(bitmap.width, bitmap.height, PHOTO_EDGE_PX);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (ctx === null) throw new Error("no 2d canvas");
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error("toBlob failed"))),
      "image/jpeg",
      JPEG_QUALITY,
    ),
  );
}

export type PreparedPhoto =
  { ok: true; blob: Blob } | { ok: false; reason: "type" | "size" | "unreadable" };

/** Checks a chosen file and shrinks it for upload; says in a reason why it cannot be used. */
export async function preparePhoto(file: File): Promise<PreparedPhoto> {
  const check = checkPhoto(file);
  if (!check.ok) return check;
  try {
    const blob = await shrinkPhoto(file);
    return blob.size > PHOTO_UPLOAD_MAX_BYTES ? { ok: false, reason: "size" } : { ok: true, blob };
  } catch {
    return { ok: false, reason: "unreadable" };
  }
}
