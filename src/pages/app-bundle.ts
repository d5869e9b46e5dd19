import type { Context, Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import type { Asset } from "../../ui/build.ts";
import {
  chooseEncoding,
  precompress,
  varyOnAcceptEncoding,
  type EncodedAsset,
} from "../ops/compress.ts";

type Bundle = Map<string, Asset>;

/**
 * Serves a bundled browser app (the kiosk, the staff pages) under its base path. The bundle is
 * built once per process, in memory, on first use, and each file compressed then (brotli and
 * gzip, src/ops/compress.ts): a request picks the form its Accept-Encoding allows. `spa`: every path under the base that is not
 * an asset answers the app's index.html, so deep links and reloads land on the right page.
 */
export function serveBundle(
  app: Hono<AppEnv>,
  base: string,
  build: () => Promise<Bundle>,
  options: { spa: boolean },
): () => Promise<Bundle> {
  let bundle: Promise<Map<string, Asset & EncodedAsset>> | null = null;
  const get = (): Promise<Map<string, Asset & EncodedAsset>> => {
    bundle ??= build()
      .then(precompress)
      .catch((error: unknown) => {
        bundle = null;
        throw error;
      });
    return bundle;
  };
  const serve = async (key: string, c: Context<AppEnv>) => {
    const files = await get();
    let file = files.get(key);
    let served = key;
    if (!file && options.spa && !key.startsWith("assets/") && !key.startsWith("fonts/")) {
      file = files.get("index.html");
      served = "index.html";
    }
    if (!file) return c.notFound();
    // index.html must be fresh so a device picks up a new build; hashed assets never change.
    const hashed = /-[A-Za-z0-9]{6,}\.(js|css)$/.test(served);
    const cache =
      served === "index.html"
        ? "no-cache"
        : hashed
          ? "public, max-age=31536000, immutable"
          : "public, max-age=3600";
    const headers: Record<string, string> = { "content-type": file.type, "cache-control": cache };
    const offered = [
      ...(file.br ? (["br"] as const) : []),
      ...(file.gzip ? (["gzip"] as const) : []),
    ];
    if (offered.length === 0) return c.body(file.body as Uint8Array<ArrayBuffer>, 200, headers);
    const encoding = chooseEncoding(c.req.header("accept-encoding"), offered);
    const body = encoding === null ? file.body : file[encoding]!;
    if (encoding !== null) headers["content-encoding"] = encoding;
    const res = c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
    varyOnAcceptEncoding(res.headers);
    return res;
  };
  const root = base.replace(/\/$/, "");
  app.get(root, (c) => serve("index.html", c));
  app.get(`${root}/`, (c) => serve("index.html", c));
  app.get(`${root}/*`, (c) => serve(new URL(c.req.url).pathname.slice(root.length + 1), c));
  return get;
}
