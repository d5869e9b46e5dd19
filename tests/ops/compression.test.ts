/**
 * Compression: the kiosk's and the staff pages' files come in brotli or gzip as the request's
 * Accept-Encoding allows (compressed once, when the bundle was built), JSON over 1 KB in gzip,
 * and every one of them decompresses to exactly the identity bytes; each says Vary:
 * Accept-Encoding, and a client that accepts nothing (or refuses with q=0) gets identity.
 */
import { afterAll, expect, test } from "bun:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { chooseEncoding } from "../../src/ops/compress.ts";
import { createHarness } from "../support/harness.ts";

const h = createHarness({ file: false });
afterAll(() => h.close());

const get = async (path: string, acceptEncoding?: string) => {
  const res = await h.request("GET", path, {
    headers: acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding },
  });
  return {
    status: res.status,
    headers: res.headers,
    bytes: new Uint8Array(await res.arrayBuffer()),
  };
};

function decode(encoding: string | null, bytes: Uint8Array): Uint8Array {
  if (encoding === "br") return new Uint8Array(brotliDecompressSync(bytes));
  if (encoding === "gzip") return new Uint8Array(gunzipSync(bytes));
  if (encoding === null) return bytes;
  throw new Error(`unexpected encoding ${encoding}`);
}

/** The page's own scripts and styles, read from its index.html. */
async function assetsOf(base: string): Promise<string[]> {
  const html = new TextDecoder().decode((await get(base)).bytes);
  return [...html.matchAll(/(?:src|href)="(\/(?:kiosk|admin)\/assets\/[^"]+)"/g)].map((m) => m[1]!);
}

for (const base of ["/kiosk/", "/admin/"]) {
  test(`${base}: each file in brotli, gzip or identity as asked, the same bytes once decompressed`, async () => {
    const paths = [base, ...(await assetsOf(base))];
    expect(paths.some((p) => p.endsWith(".js"))).toBe(true);
    expect(paths.some((p) => p.endsWith(".css"))).toBe(true);
    for (const path of paths) {
      const identity = await get(path);
      expect(identity.status).toBe(200);
      expect(identity.headers.get("content-encoding")).toBeNull();
      expect(identity.headers.get("vary")).toContain("Accept-Encoding");
      for (const [accept, expected] of [
        ["gzip, deflate, br, zstd", "br"],
        ["gzip", "gzip"],
        ["br;q=0.5, gzip;q=0.9", "gzip"],
        ["*", "br"],
        ["gzip;q=0, br;q=0", null],
        ["identity", null],
      ] as const) {
        const got = await get(path, accept);
        expect(got.headers.get("content-encoding")).toBe(expected);
        expect(got.headers.get("vary")).toContain("Accept-Encoding");
        expect(got.headers.get("content-type")).toBe(identity.headers.get("content-type"));
        expect(got.headers.get("cache-control")).toBe(identity.headers.get("cache-control"));
        if (expected !== null) expect(got.bytes.length).toBeLessThan(identity.bytes.length);
        expect(Bun.hash(decode(expected, got.bytes))).toBe(Bun.hash(identity.bytes));
      }
    }
  }, 60_000);
}

test("the kiosk's barcode reader (WebAssembly) is compressed too; its fonts (woff2) are left as they are", async () => {
  const identity = await get("/kiosk/assets/zxing_reader.wasm");
  expect(identity.status).toBe(200);
  expect(identity.headers.get("content-type")).toBe("application/wasm");
  const wasm = await get("/kiosk/assets/zxing_reader.wasm", "br, gzip");
  expect(wasm.headers.get("content-encoding")).toBe("br");
  expect(wasm.bytes.length).toBeLessThan(identity.bytes.length / 2);
  expect(Bun.hash(decode("br", wasm.bytes))).toBe(Bun.hash(identity.bytes));
  const font = await get("/kiosk/fonts/noto-sans-arabic-arabic-400-normal.woff2", "br, gzip");
  expect(font.status).toBe(200);
  expect(font.headers.get("content-encoding")).toBeNull();
});

test("JSON over 1 KB is gzipped when asked and identical once decompressed; smaller JSON and clients that do not ask get identity", async () => {
  const identity = await get("/api/openapi.json");
  expect(identity.bytes.length).toBeGreaterThan(1024);
  expect(identity.headers.get("content-encoding")).toBeNull();
  expect(identity.headers.get("vary")).toContain("Accept-Encoding");
  const gz = await get("/api/openapi.json", "gzip, deflate, br");
  expect(gz.headers.get("content-encoding")).toBe("gzip");
  expect(gz.headers.get("vary")).toContain("Accept-Encoding");
  expect(gz.headers.get("content-type")).toBe(identity.headers.get("content-type"));
  expect(gz.headers.get("x-content-type-options")).toBe("nosniff");
  expect(gz.bytes.length).toBeLessThan(identity.bytes.length / 3);
  expect(JSON.parse(new TextDecoder().decode(decode("gzip", gz.bytes)))).toEqual(
    JSON.parse(new TextDecoder().decode(identity.bytes)),
  );

  const small = await get("/healthz", "gzip");
  expect(small.headers.get("content-encoding")).toBeNull();
  expect(small.headers.get("vary")).toContain("Accept-Encoding");
  expect(JSON.parse(new TextDecoder().decode(small.bytes))).toEqual({ ok: true });

  const refused = await get("/api/openapi.json", "gzip;q=0");
  expect(refused.headers.get("content-encoding")).toBeNull();
  expect(refused.bytes).toEqual(identity.bytes);
  // A problem answer over 1 KB is JSON too; a HEAD is never encoded.
  const head = await h.request("HEAD", "/api/openapi.json", {
    headers: { "accept-encoding": "gzip" },
  });
  expect(head.headers.get("content-encoding")).toBeNull();
});

test("Accept-Encoding is read with its q-values", () => {
  expect(chooseEncoding(undefined, ["br", "gzip"])).toBeNull();
  expect(chooseEncoding("", ["br", "gzip"])).toBeNull();
  expect(chooseEncoding("GZIP", ["br", "gzip"])).toBe("gzip");
  expect(chooseEncoding("gzip;q=1.0, br;q=0.8", ["br", "gzip"])).toBe("gzip");
  expect(chooseEncoding("br , gzip", ["br", "gzip"])).toBe("br");
  expect(chooseEncoding("*;q=0.1, gzip;q=0", ["br", "gzip"])).toBe("br");
  expect(chooseEncoding("deflate", ["br", "gzip"])).toBeNull();
});
