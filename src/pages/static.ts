import type { Hono } from "hono";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AppEnv } from "../http/env.ts";

export const PUBLIC_DIR = join(import.meta.dir, "..", "..", "public");

const TYPES: Record<string, string> = {
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  woff2: "font/woff2",
  ico: "image/x-icon",
};

/** Serves the project's own files under public/ (goods pictures, icons), never from the internet. */
export function registerStaticFiles(app: Hono<AppEnv>): void {
  const cache = new Map<string, Uint8Array>();
  app.get("/goods/:file", (c) => {
    const file = c.req.param("file");
    const match = /^[a-z0-9-]+\.([a-z0-9]+)$/.exec(file);
    const type = match ? TYPES[match[1]!] : undefined;
    if (!type) return c.notFound();
    const path = join(PUBLIC_DIR, "goods", file);
    let body = cache.get(path);
    if (body === undefined) {
      if (!existsSync(path)) return c.notFound();
      body = new Uint8Array(readFileSync(path));
      cache.set(path, body);
    }
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      "content-type": type,
      "cache-control": "public, max-age=86400",
    });
  });
}
