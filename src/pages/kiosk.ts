import type { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { buildKiosk } from "../../kiosk/build.ts";
import { serveBundle } from "./app-bundle.ts";

/** `/kiosk`: the supermarket's touchscreen app, every asset served by the project itself. */
export function registerKioskPages(app: Hono<AppEnv>): void {
  serveBundle(app, "/kiosk/", buildKiosk, { spa: false });
}
