import type { Hono } from "hono";
import type { Api } from "../http/api.ts";
import type { AppEnv } from "../http/env.ts";
import { registerAccountsRoutes } from "./accounts-routes.ts";
import { registerGoodsRoutes } from "./goods-routes.ts";
import { registerKioskCardRoutes } from "./kiosk-card-routes.ts";
import { registerRedemptionRoutes } from "./redemption-routes.ts";
import { registerDeliveryRoutes } from "./delivery-routes.ts";
import { registerMarketHoursRoutes } from "./market-hours-routes.ts";
import { registerReconciliationRoutes } from "./reconciliation-routes.ts";

export type MarketRouteOptions = {
  publicUrl: string;
  /** Where uploaded goods photos are stored; by default `uploads` beside the database file. */
  uploadsDir?: string;
};

/** The points supermarket's routes: goods, stock, photos, redemptions, voids, accounts (issue 5). */
export function registerMarketRoutes(
  api: Api,
  app: Hono<AppEnv>,
  options: MarketRouteOptions,
): void {
  // Photos are served through `api` too (a public route), so `app` is not needed yet.
  void app;
  registerKioskCardRoutes(api);
  registerGoodsRoutes(api, { uploadsDir: options.uploadsDir });
  registerRedemptionRoutes(api);
  registerDeliveryRoutes(api);
  registerMarketHoursRoutes(api);
  registerAccountsRoutes(api);
  registerReconciliationRoutes(api);
}
