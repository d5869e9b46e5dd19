/**
 * Compression. The kiosk's and the staff pages' files are compressed once, when the bundle is
 * built (src/pages/app-bundle.ts): brotli at its best quality and gzip, kept beside the original,
 * so a request only picks one. JSON (and HTML) answers to reads (GET) over 1 KB are gzipped per
 * request when the client asks; they are dynamic, and gzip at level 6 takes well under a
 * millisecond for the sizes this API answers. Answers to writes are left alone: they are small (a
 * sale's receipt is about 500 bytes), and finding that out costs reading the body of every sale,
 * measurably (tests/bench/compression.bench.ts). Every answer that could be compressed says `Vary: Accept-Encoding`, so a cache
 * never hands the gzip bytes to a client that did not ask; a strong ETag of a compressed answer
 * becomes weak (the bytes differ from the identity ones).
 */
import { brotliCompress, constants, gzip } from "node:zlib";
import { promisify } from "node:util";
import type { MiddlewareHandler } from "hono";

export type Encoding = "br" | "gzip";

/** An asset with its compressed forms, each kept only where it is smaller. */
export type EncodedAsset = { body: Uint8Array; type: string; br?: Uint8Array; gzip?: Uint8Array };

/** Types worth compressing: text and WebAssembly. Fonts (woff2) and pictures are compressed already. */
export function isCompressible(type: string): boolean {
  return /^(text\/|application\/(json|problem\+json|javascript|wasm|xml)|image\/svg\+xml)/.test(
    type,
  );
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Brotli at quality 11 took 4.3 s for the barcode reader's 1 MB WebAssembly and quality 9 took
 * 87 ms for 12 % more bytes (measured on this machine); below this size quality 11 costs at most
 * a few hundred milliseconds a file.
 */
const BROTLI_BEST_UP_TO_BYTES = 512 * 1024;

/** Compresses every compressible asset, on the thread pool, all at once. */
export async function precompress<A extends { body: Uint8Array; type: string }>(
  files: Map<string, A>,
): Promise<Map<string, A & EncodedAsset>> {
  const out = new Map<string, A & EncodedAsset>();
  await Promise.all(
    [...files].map(async ([key, asset]) => {
      const encoded: A & EncodedAsset = { ...asset };
      out.set(key, encoded);
      if (!isCompressible(asset.type) || asset.body.length < 256) return;
      const quality = asset.body.length <= BROTLI_BEST_UP_TO_BYTES ? 11 : 9;
      const [br, gz] = await Promise.all([
        brotliAsync(asset.body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: quality,
            [constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length,
          },
        }),
        gzipAsync(asset.body, { level: 9 }),
      ]);
      if (br.length < asset.body.length) encoded.br = new Uint8Array(br);
      if (gz.length < asset.body.length) encoded.gzip = new Uint8Array(gz);
    }),
  );
  return out;
}

/**
 * The encoding to answer with, from the request's Accept-Encoding and what is on offer
 * (preferred first): the one with the highest q-value above 0, ties to the earlier offer; an
 * explicit `identity;q=0` is not honoured (RFC 9110 allows answering identity anyway).
 */
export function chooseEncoding(
  acceptEncoding: string | undefined | null,
  offered: readonly Encoding[],
): Encoding | null {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    let value = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) value = Number(m[1]);
    }
    if (Number.isFinite(value)) q.set(name, value);
  }
  let best: Encoding | null = null;
  let bestQ = 0;
  for (const enc of offered) {
    const v = q.get(enc) ?? q.get("*") ?? 0;
    if (v > bestQ) {
      best = enc;
      bestQ = v;
    }
  }
  return best;
}

/** Adds Accept-Encoding to a response's Vary, once. */
export function varyOnAcceptEncoding(headers: Headers): void {
  const vary = headers.get("vary");
  if (vary === null) headers.set("vary", "Accept-Encoding");
  else if (vary !== "*" && !/(^|,)\s*accept-encoding\s*(,|$)/i.test(vary))
    headers.set("vary", `${vary}, Accept-Encoding`);
}

/** Smaller answers are sent as they are: compressing them saves less than its headers cost. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/** Above this an answer is gzipped on the thread pool, not on the event loop. */
const GZIP_SYNC_UP_TO_BYTES = 64 * 1024;

const DYNAMIC_TYPES = /^(application\/(json|problem\+json)|text\/html)/;

/**
 * Gzips JSON and HTML answers to GET over COMPRESS_THRESHOLD_BYTES when the request accepts gzip.
 * An answer already encoded, a 204/304 or `Cache-Control: no-transform` is left alone; so are the
 * answers to HEAD and to writes, which still say `Vary: Accept-Encoding` (a cache keys on it).
 */
export function compressAnswers(): MiddlewareHandler {
  return async function compressAnswers(c, next) {
    await next();
    const res = c.res;
    const type = res.headers.get("content-type");
    if (type === null || !DYNAMIC_TYPES.test(type)) return;
    varyOnAcceptEncoding(res.headers);
    if (c.req.method !== "GET" || res.status === 204 || res.status === 304 || res.body === null)
      return;
    if (
      res.headers.has("content-encoding") ||
      /(^|,)\s*no-transform\s*(,|$)/i.test(res.headers.get("cache-control") ?? "")
    )
      return;
    if (chooseEncoding(c.req.header("accept-encoding"), ["gzip"]) === null) return;
    const length = res.headers.get("content-length");
    if (length !== null && Number(length) < COMPRESS_THRESHOLD_BYTES) return;
    const bytes = new Uint8Array(await res.arrayBuffer());
    let body: Uint8Array = bytes;
    let encoded = false;
    if (bytes.length >= COMPRESS_THRESHOLD_BYTES) {
      body =
        bytes.length <= GZIP_SYNC_UP_TO_BYTES
          ? Bun.gzipSync(bytes)
          : new Uint8Array(await gzipAsync(bytes));
      encoded = true;
    }
    const headers = new Headers(res.headers);
    if (encoded) {
      headers.set("content-encoding", "gzip");
      headers.delete("content-length");
      const etag = headers.get("etag");
      if (etag !== null && !etag.startsWith("W/")) headers.set("etag", `W/${etag}`);
    }
    c.res = undefined as unknown as Response; // Hono merges headers into a new c.res otherwise.
    c.res = new Response(body as Uint8Array<ArrayBuffer>, {
      status: res.status,
      statusText: res.statusText,
      headers,
    });
  };
}
