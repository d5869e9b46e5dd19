/**
 * Proves the picture check of uploads (issue 20, finding 8; src/market/image-check.ts): whole
 * pictures made by a browser pass with their size in pixels; a header alone, a file cut short, a
 * damaged chunk, bytes after a PNG's end and absurd sizes are refused. Pure: no server.
 */
import { expect, test } from "bun:test";
import QRCode from "qrcode";
import { checkImage } from "../../src/market/image-check.ts";
import { headerOnly, JPEG_6X4, PNG_6X4, WEBP_6X4, WEBP_LOSSLESS_6X4 } from "../support/images.ts";

test.each([
  ["PNG", PNG_6X4, "image/png"],
  ["JPEG", JPEG_6X4, "image/jpeg"],
  ["lossy WebP", WEBP_6X4, "image/webp"],
  ["lossless WebP", WEBP_LOSSLESS_6X4, "image/webp"],
])("a whole %s passes with its width and height", (_, bytes, contentType) => {
  expect(checkImage(bytes)).toEqual({
    ok: true,
    image: expect.objectContaining({ contentType, width: 6, height: 4 }),
  });
});

test("a PNG made by another encoder (the QR library) passes too", async () => {
  const png = new Uint8Array(
    await QRCode.toBuffer("https://jifen.example/c/abc", { type: "png", width: 300 }),
  );
  const verdict = checkImage(png);
  expect(verdict.ok && verdict.image.width).toBe(300);
});

test.each([
  ["PNG", PNG_6X4],
  ["JPEG", JPEG_6X4],
  ["WebP", WEBP_6X4],
  ["lossless WebP", WEBP_LOSSLESS_6X4],
])("a %s header alone, or the file cut anywhere, is refused", (_, bytes) => {
  expect(checkImage(headerOnly(bytes)).ok).toBe(false);
  for (let cut = 1; cut < bytes.length; cut++)
    expect(checkImage(bytes.slice(0, cut)).ok).toBe(false);
});

test("a PNG with a damaged chunk or bytes after its end is refused", () => {
  const damaged = PNG_6X4.slice();
  damaged[damaged.length - 20]! ^= 0xff;
  expect(checkImage(damaged)).toEqual({ ok: false, problem: expect.stringContaining("CRC") });
  const trailing = new Uint8Array([...PNG_6X4, 0x3c, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x3e]);
  expect(checkImage(trailing).ok).toBe(false);
});

test("a JPEG may carry bytes after its end marker, as phones append a preview there", () => {
  expect(checkImage(new Uint8Array([...JPEG_6X4, 0xff, 0xd8, 0xff, 0xd9])).ok).toBe(true);
});

test("a PNG claiming 20,000 pixels a side is refused before anything reads its pixels", () => {
  const big = PNG_6X4.slice();
  new DataView(big.buffer).setUint32(16, 20_000);
  // Its IHDR CRC no longer matches either; the size is what a well-made huge file would fail on.
  const ihdr = big.subarray(12, 29);
  new DataView(big.buffer).setUint32(29, Bun.hash.crc32(ihdr) >>> 0);
  expect(checkImage(big)).toEqual({ ok: false, problem: expect.stringContaining("20000×4") });
});

test.each([
  ["a GIF", new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0])],
  ["an SVG", new TextEncoder().encode("<svg onload=alert(1)>")],
  ["nothing", new Uint8Array(0)],
])("%s is not a picture this server takes", (_, bytes) => {
  expect(checkImage(bytes)).toEqual({ ok: false, problem: "not a JPEG, PNG or WebP picture" });
});
