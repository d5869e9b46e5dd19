import type { Hono } from "hono";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AppEnv } from "../http/env.ts";

const SWAGGER_DIR = join(import.meta.dir, "..", "..", "node_modules", "swagger-ui-dist");
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

/** `/api/docs`: Swagger UI over /api/openapi.json, its assets served from the project (no internet). */
export function registerDocsPages(app: Hono<AppEnv>): void {
  const cache = new Map<string, Uint8Array>();
  app.get("/api/docs/assets/:file", (c) => {
    const file = c.req.param("file");
    const type = ASSETS[file];
    if (type === undefined) return c.notFound();
    let body = cache.get(file);
    if (body === undefined) {
      body = new Uint8Array(readFileSync(join(SWAGGER_DIR, file)));
      cache.set(file, body);
    }
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      "content-type": type,
      "cache-control": "public, max-age=86400",
    });
  });
  app.get("/api/docs", (c) =>
    c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>jifen API</title><link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div><script src="/api/docs/assets/swagger-ui-bundle.js"></script><script src="/api/docs/init.js"></script></body></html>`),
  );
  // Inline scripts are refused by the content security policy, so the start-up is its own file.
  app.get("/api/docs/init.js", (c) =>
    c.body(
      `window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#docs", deepLinking: true });`,
      200,
      { "content-type": "text/javascript; charset=utf-8" },
    ),
  );
}
