/**
 * Whether uploaded bytes are a whole JPEG, PNG or WebP picture, and its size in pixels: the
 * container is walked from its first byte to its end marker, never judged by its first bytes
 * alone. Pure, no library.
 *
 * Why by hand: `image-size` (the small, well-kept choice) reads only the header, so a PNG
 * signature with an IHDR and nothing after it passes, which is what must be refused; `sharp`
 * decodes every pixel but is a native library of about 30 MB; pure-JS decoders (jpeg-js,
 * fast-png, a WebP wasm) are three libraries that decode pixels on the event loop, hundreds of
 * milliseconds for a phone photo while the kiosks wait. Walking the container costs microseconds
 * and checks what the issue asks:
 * - PNG: the signature, IHDR first (width, height, a valid bit depth and colour type), every
 *   chunk whole with its CRC-32 right, at least one IDAT, and IEND last, with nothing after it.
 * - JPEG: SOI, every marker segment whole, a frame header (SOFn: width, height, components)
 *   before the first scan (SOS), the entropy-coded data, and EOI. Bytes after EOI are allowed:
 *   phones append a second, smaller picture there.
 * - WebP: RIFF's length inside the file, every chunk whole, and a VP8 (lossy) or VP8L (lossless)
 *   image chunk whose own header gives the size (VP8X gives the canvas of an extended file).
 * Pixel data inside the compressed streams is not decoded: a browser decodes it on display.
 */
export type ImageKind = {
  extension: "jpg" | "png" | "webp";
  contentType: "image/jpeg" | "image/png" | "image/webp";
};
export type CheckedImage = ImageKind & { width: number; height: number };
export type ImageVerdict = { ok: true; image: CheckedImage } | { ok: false; problem: string };

export const CONTENT_TYPE_BY_EXTENSION: Record<ImageKind["extension"], ImageKind["contentType"]> = {
  jpg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
};

/** Larger than any phone photo; a picture claiming more is refused before anything reads its pixels. */
export const IMAGE_SIDE_PX_MAX = 10_000;
export const IMAGE_PIXELS_MAX = 50_000_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function checkImage(bytes: Uint8Array): ImageVerdict {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return sized(checkJpeg(bytes), { extension: "jpg", contentType: "image/jpeg" });
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b))
    return sized(checkPng(bytes), { extension: "png", contentType: "image/png" });
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP")
    return sized(checkWebp(bytes), { extension: "webp", contentType: "image/webp" });
  return { ok: false, problem: "not a JPEG, PNG or WebP picture" };
}

type Size = { width: number; height: number } | string;

const FORMAT_NAMES: Record<ImageKind["extension"], string> = {
  jpg: "JPEG",
  png: "PNG",
  webp: "WebP",
};

function sized(size: Size, kind: ImageKind): ImageVerdict {
  if (typeof size === "string")
    return { ok: false, problem: `not a whole ${FORMAT_NAMES[kind.extension]} picture: ${size}` };
  const { width, height } = size;
  if (width < 1 || height < 1)
    return { ok: false, problem: `a picture of ${width}×${height} pixels is empty` };
  if (
    width > IMAGE_SIDE_PX_MAX ||
    height > IMAGE_SIDE_PX_MAX ||
    width * height > IMAGE_PIXELS_MAX
  ) {
    return {
      ok: false,
      problem: `${width}×${height} pixels is larger than a photo needs (at most ${IMAGE_SIDE_PX_MAX} a side)`,
    };
  }
  return { ok: true, image: { ...kind, width, height } };
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  if (at + length > bytes.length) return "";
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

const be16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const be32 = (b: Uint8Array, at: number): number =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const le16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const le24 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const le32 = (b: Uint8Array, at: number): number =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/** Bit depths each PNG colour type allows (PNG spec, table 11.1). */
const PNG_DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

function checkPng(b: Uint8Array): Size {
  let at = PNG_SIGNATURE.length;
  let size: { width: number; height: number } | null = null;
  let sawData = false;
  for (;;) {
    if (at + 12 > b.length) return "it ends before its IEND chunk";
    const length = be32(b, at);
    const type = ascii(b, at + 4, 4);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > b.length)
      return `its ${type} chunk runs past the end of the file`;
    const crc = be32(b, at + 8 + length);
    if (Bun.hash.crc32(b.subarray(at + 4, at + 8 + length)) >>> 0 !== crc)
      return `its ${type} chunk is damaged (CRC)`;
    if (size === null) {
      if (type !== "IHDR" || length !== 13) return "it does not start with IHDR";
      const depth = b[at + 16]!;
      const colour = b[at + 17]!;
      if (
        !(PNG_DEPTHS[colour] ?? []).includes(depth) ||
        b[at + 18] !== 0 ||
        b[at + 19] !== 0 ||
        b[at + 20]! > 1
      )
        return "its IHDR is not valid";
      size = { width: be32(b, at + 8), height: be32(b, at + 12) };
    } else if (type === "IDAT") {
      sawData = true;
    } else if (type === "IEND") {
      if (!sawData) return "it has no image data (IDAT)";
      if (end !== b.length) return "it has bytes after IEND";
      return size;
    }
    at = end;
  }
}

function checkJpeg(b: Uint8Array): Size {
  let at = 2;
  let size: { width: number; height: number } | null = null;
  let sawScan = false;
  for (;;) {
    // Markers may be preceded by fill bytes 0xFF.
    if (at >= b.length || b[at] !== 0xff) return "a marker is missing where one must be";
    while (at < b.length && b[at] === 0xff) at++;
    if (at >= b.length) return "it ends inside a marker";
    const marker = b[at]!;
    at++;
    if (marker === 0xd9) {
      if (size === null || !sawScan) return "it ends before its image data";
      return size;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
    if (marker === 0xd8 || marker === 0x00) return "a marker is out of place";
    if (at + 2 > b.length) return "it ends inside a segment";
    const length = be16(b, at);
    if (length < 2 || at + length > b.length) return "a segment runs past the end of the file";
    const isFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (length < 8) return "its frame header is too short";
      size = { width: be16(b, at + 5), height: be16(b, at + 3) };
      const components = b[at + 7]!;
      if (components < 1 || length !== 8 + 3 * components) return "its frame header is not valid";
    }
    at += length;
    if (marker === 0xda) {
      if (size === null) return "its scan comes before its frame header";
      sawScan = true;
      // Entropy-coded data: runs until a 0xFF that is neither a stuffed 0x00 nor a restart marker.
      while (
        at + 1 < b.length &&
        !(b[at] === 0xff && b[at + 1] !== 0x00 && !(b[at + 1]! >= 0xd0 && b[at + 1]! <= 0xd7))
      )
        at++;
      if (at + 1 >= b.length) return "it ends inside its image data";
    }
  }
}

function checkWebp(b: Uint8Array): Size {
  const riffEnd = 8 + le32(b, 4);
  if (riffEnd > b.length || riffEnd < 12) return "its RIFF length runs past the end of the file";
  let at = 12;
  let canvas: { width: number; height: number } | null = null;
  let image: { width: number; height: number } | null = null;
  let frames = 0;
  while (at < riffEnd) {
    if (at + 8 > riffEnd) return "it ends inside a chunk header";
    const type = ascii(b, at, 4);
    const length = le32(b, at + 4);
    const data = at + 8;
    if (data + length > riffEnd) return `its ${type.trim()} chunk runs past the end of the file`;
    if (type === "VP8 ") {
      // A key frame: tag (3 bytes, bit 0 clear), start code 9D 01 2A, then 14-bit width and height.
      if (
        length < 10 ||
        (b[data]! & 1) !== 0 ||
        b[data + 3] !== 0x9d ||
        b[data + 4] !== 0x01 ||
        b[data + 5] !== 0x2a
      )
        return "its VP8 frame header is not valid";
      image ??= { width: le16(b, data + 6) & 0x3fff, height: le16(b, data + 8) & 0x3fff };
    } else if (type === "VP8L") {
      if (length < 5 || b[data] !== 0x2f) return "its VP8L header is not valid";
      const bits = le32(b, data + 1);
      image ??= { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    } else if (type === "VP8X") {
      if (length < 10) return "its VP8X header is too short";
      canvas = { width: le24(b, data + 4) + 1, height: le24(b, data + 7) + 1 };
    } else if (type === "ANMF") {
      frames++;
    }
    at = data + length + (length % 2);
  }
  if (image === null && frames === 0) return "it has no image data (VP8 or VP8L)";
  return canvas ?? image ?? "it has no image size";
}
