import type { Hono } from "hono";
import type { Api } from "../http/api.ts";
import type { AppEnv } from "../http/env.ts";
import { registerKioskCardRoutes } from "./kiosk-card-routes.ts";

/** The points supermarket's routes. Goods, stock and redemptions are added here (issue 5). */
export function registerMarketRoutes(api: Api, app: Hono<AppEnv>, options: { publicUrl: string }): void {
  void app;
  void options;
  registerKioskCardRoutes(api);
}
