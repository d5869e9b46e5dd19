import type { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { buildAdmin } from "../../admin/build.ts";
import { serveBundle } from "./app-bundle.ts";

/** `/admin`: the staff pages. Every address under it opens the app, which routes on its own. */
export function registerAdminPages(app: Hono<AppEnv>): void {
  serveBundle(app, "/admin/", buildAdmin, { spa: true });
}
