import type { Context, Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { buildKiosk } from "../../kiosk/build.ts";

type Bundle = Map<string, { body: Uint8Array; type: string }>;

let bundle: Promise<Bundle> | null = null;

/** Builds the kiosk once per process (Bun's bundler, in memory) and keeps it. */
export function kioskBundle(): Promise<Bundle> {
  bundle ??= buildKiosk().catch((error: unknown) => {
    bundle = null;
    throw error;
  });
  return bundle;
}

/** `/kiosk`: the supermarket's touchscreen app, every asset served by the project itself. */
export function registerKioskPages(app: Hono<AppEnv>): void {
  const serve = async (key: string, c: Context<AppEnv>) => {
    const files = await kioskBundle();
    const file = files.get(key);
    if (!file) return c.notFound();
    // index.html must be fresh so a kiosk picks up a new build; hashed assets never change.
    // The zxing .wasm and the fonts keep fixed names, so only hashed JS and CSS are immutable.
    const hashed = /-[A-Za-z0-9]{6,}\.(js|css)$/.test(key);
    const cache = key === "index.html" ? "no-cache" : hashed ? "public, max-age=31536000, immutable" : "public, max-age=3600";
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, { "content-type": file.type, "cache-control": cache });
  };
  app.get("/kiosk", (c) => serve("index.html", c));
  app.get("/kiosk/", (c) => serve("index.html", c));
  app.get("/kiosk/*", (c) => serve(new URL(c.req.url).pathname.slice("/kiosk/".length), c));
}
