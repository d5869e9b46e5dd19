/**
 * What an uploaded photo really is, read from its first bytes (its "magic number"), never from
 * its file name or the Content-Type the client claims. Pure.
 */
export type ImageType = { extension: "jpg" | "png" | "webp"; contentType: "image/jpeg" | "image/png" | "image/webp" };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];
const WEBP_TAG_OFFSET = 8;

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, JPEG_SIGNATURE)) return { extension: "jpg", contentType: "image/jpeg" };
  if (startsWith(bytes, PNG_SIGNATURE)) return { extension: "png", contentType: "image/png" };
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, WEBP_TAG_OFFSET)) return { extension: "webp", contentType: "image/webp" };
  return null;
}

export const CONTENT_TYPE_BY_EXTENSION: Record<ImageType["extension"], ImageType["contentType"]> = {
  jpg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
};
