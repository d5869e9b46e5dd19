import type { Database } from "bun:sqlite";
import { Hono } from "hono";
import { getConnInfo } from "hono/bun";
import type { Clock } from "../shared/clock.ts";
import { AssertionError } from "../shared/assert.ts";
import { Api } from "./api.ts";
import { sameOriginWrites } from "./origin-check.ts";
import type { AppEnv } from "./env.ts";
import { buildOpenApi } from "./openapi.ts";
import { ProblemError, problemResponse } from "./problem.ts";
import { registerAuthRoutes } from "../auth/routes.ts";
import { registerPinRoutes } from "../auth/pin-routes.ts";
import { registerVillageRoutes } from "../villages/routes.ts";
import { registerHouseholdRoutes } from "../villages/household-routes.ts";
import { registerCardRoutes } from "../villages/card-routes.ts";
import { registerKioskDeviceRoutes } from "../auth/kiosk-routes.ts";
import { registerDocsPages } from "../pages/docs.ts";
import { registerStaticFiles } from "../pages/static.ts";
import { registerKioskPages } from "../pages/kiosk.ts";
import { registerAdminPages } from "../pages/admin.ts";
import { registerPublicCardRoutes } from "../pages/card-page.ts";
import { registerBoardPage } from "../pages/board-page.ts";
import { registerStartPage, type DemoShowcase } from "../pages/start-page.ts";
import { esc, t } from "../i18n/catalog.ts";
import { registerLedgerRoutes } from "../ledger/routes.ts";
import { registerReportRoutes } from "../reports/routes.ts";
import { registerMarketRoutes } from "../market/routes.ts";
import { registerAuditRoutes } from "../audit/audit-routes.ts";
import { registerRoundRoutes } from "../rounds/round-routes.ts";
import { registerStatementRoutes } from "../statements/statement-routes.ts";
import { registerStatementPages } from "../pages/statement-page.ts";
import { Metrics, registerMetricsRoute, type MetricsSources } from "../ops/metrics.ts";
import { compressAnswers } from "../ops/compress.ts";

export type AppConfig = {
  publicUrl: string;
  /** Where a request's JSON log line goes; tests pass a function that keeps them; null builds no line at all. */
  log: ((line: string) => void) | null;
  /**
   * How many reverse proxies of our own stand in front of the server (TRUST_PROXY): the client's
   * address is then the entry that many places from the right end of X-Forwarded-For, the one our
   * nearest proxy saw. 0 ignores the header: anyone can send it.
   */
  trustedProxies: number;
  /** Check every JSON answer against its declared response schema (tests turn this on). */
  validateResponses: boolean;
  /** What the start page shows only when the server runs as the demo (logins, pairing links); null in production. */
  demo: DemoShowcase | null;
  /** METRICS_TOKEN: lets a scraper elsewhere read /metrics with Bearer; null serves it to this machine only. */
  metricsToken: string | null;
  /** What /metrics reads besides the requests and the database (src/ops/metrics.ts). */
  metricsSources: MetricsSources;
};

export const defaultConfig: AppConfig = {
  publicUrl: "http://localhost:3000",
  log: (line) => console.log(line),
  trustedProxies: 0,
  validateResponses: false,
  demo: null,
  metricsToken: null,
  metricsSources: {},
};

/** Security headers of every JSON answer: never sniffed as another type, never read cross-origin, no referrer. */
export const API_HEADERS: readonly (readonly [string, string])[] = [
  ["x-content-type-options", "nosniff"],
  ["cross-origin-resource-policy", "same-origin"],
  ["referrer-policy", "no-referrer"],
];

/** Security headers of pages and their assets (what hono's secureHeaders set, with our policy). */
export const PAGE_HEADERS: readonly (readonly [string, string])[] = [
  [
    "content-security-policy",
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; media-src 'self' blob:; connect-src 'self'",
  ],
  ["cross-origin-opener-policy", "same-origin"],
  ["cross-origin-resource-policy", "same-origin"],
  ["origin-agent-cluster", "?1"],
  ["referrer-policy", "no-referrer"],
  ["strict-transport-security", "max-age=15552000; includeSubDomains"],
  ["x-content-type-options", "nosniff"],
  ["x-dns-prefetch-control", "off"],
  ["x-download-options", "noopen"],
  ["x-frame-options", "SAMEORIGIN"],
  ["x-permitted-cross-domain-policies", "none"],
  ["x-xss-protection", "0"],
];

/** Builds the whole application on an open, migrated database. Opens no files, reads no env. */
export function createApp(
  db: Database,
  clock: Clock,
  configOverrides: Partial<AppConfig> = {},
): Hono<AppEnv> {
  const config: AppConfig = { ...defaultConfig, ...configOverrides };
  const app = new Hono<AppEnv>();
  const api = new Api(app, db, clock, config.validateResponses);
  const metrics = new Metrics(db, config.metricsSources);

  // One middleware, not two: each layer is another async frame on every request.
  app.use(async function requestContext(c, next) {
    const startedMs = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId =
      incoming !== undefined && /^[A-Za-z0-9._-]{1,64}$/.test(incoming)
        ? incoming
        : crypto.randomUUID();
    c.set("requestId", requestId);
    // The client's address, for a write's audit row or a rate limit. A write always needs it and
    // asks Bun at once (a native call, about 2 % of a sale's CPU in the profile either way); a
    // read asks only if it needs it.
    let address: string | undefined;
    const lookUp = () =>
      clientAddress(c.req.raw, config.trustedProxies, () => getConnInfo(c).remote.address);
    if (c.req.method !== "GET" && c.req.method !== "HEAD") address = lookUp();
    c.set("clientAddress", () => (address ??= lookUp()));
    await next();
    // On the finished response's own headers: Hono's c.header() after the response is made builds
    // a new Response for every request (measured: a few percent of a sale's CPU). Every answer of
    // this app has mutable headers.
    const headers = c.res.headers;
    headers.set("x-request-id", requestId);
    // Pages (and their scripts, styles and pictures) get the whole set of security headers, a
    // content security policy above all; JSON answers, which no browser renders, only the ones
    // that matter to them: a dozen headers on every API answer was a measurable part of a sale.
    const type = headers.get("content-type") ?? "";
    const json = type.startsWith("application/json") || type.startsWith("application/problem+json");
    for (const [name, value] of json ? API_HEADERS : PAGE_HEADERS) headers.set(name, value);
    metrics.observe(c.req.method, c.req.routePath, c.res.status, performance.now() - startedMs);
    if (config.log === null) return;
    // The matched route pattern, never the raw path: card and device tokens stay out of logs.
    config.log(
      JSON.stringify({
        t: new Date(clock.nowMs()).toISOString(),
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        ms: Math.round((performance.now() - startedMs) * 100) / 100,
        requestId,
      }),
    );
  });

  // Inside the request context, so the compressed answer still gets its headers and log line.
  app.use(compressAnswers());

  // After the request context (so a refusal carries its request id), before every route.
  app.use(sameOriginWrites({ publicUrl: config.publicUrl }));

  app.get("/healthz", (c) => c.json({ ok: true }));
  registerMetricsRoute(app, metrics, config.metricsToken);

  registerAuthRoutes(api, { publicUrl: config.publicUrl });
  registerPinRoutes(api, { publicUrl: config.publicUrl });
  registerVillageRoutes(api);
  registerHouseholdRoutes(api);
  registerCardRoutes(api, { publicUrl: config.publicUrl });
  registerKioskDeviceRoutes(api, { publicUrl: config.publicUrl });
  registerLedgerRoutes(api);
  registerReportRoutes(api);
  registerMarketRoutes(api, app, { publicUrl: config.publicUrl });
  registerAuditRoutes(api);
  registerRoundRoutes(api);
  registerStatementRoutes(api, { publicUrl: config.publicUrl });
  registerStatementPages(app, db, clock, { publicUrl: config.publicUrl });
  registerPublicCardRoutes(api, app, db, clock);
  registerBoardPage(app, db, clock);

  const openapi = buildOpenApi(api, config.publicUrl);
  app.get("/api/openapi.json", (c) => c.json(openapi));
  registerDocsPages(app);
  registerStaticFiles(app);
  registerKioskPages(app);
  registerAdminPages(app);
  registerStartPage(app, db, clock, config.demo);

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    if (path === "/api" || path.startsWith("/api/")) {
      const allowed = api.methodsFor(path);
      if (allowed.length > 0) {
        return problemResponse(
          405,
          "method-not-allowed",
          `${c.req.method} is not allowed here; use ${allowed.join(", ")}.`,
          undefined,
          { allow: allowed.join(", ") },
        );
      }
      return problemResponse(404, "not-found", `There is no API route ${path}.`);
    }
    return c.html(notFoundPage(), 404);
  });

  app.onError((error, c) => {
    if (error instanceof ProblemError) return error.toResponse();
    // Unexpected: log it with the request id, answer a bare 500 that leaks nothing.
    const kind = error instanceof AssertionError ? "assertion" : "error";
    console.error(
      JSON.stringify({
        level: "error",
        kind,
        requestId: c.get("requestId"),
        message: error.message,
        stack: error.stack,
      }),
    );
    return problemResponse(
      500,
      "internal",
      `Something went wrong on the server. Request id: ${c.get("requestId")}`,
    );
  });

  // Tests walk every registered route (the tenancy matrix); keep the registry reachable.
  Object.defineProperty(app, "api", { value: api, enumerable: false });
  return app;
}

/**
 * The client's address. Behind `trustedProxies` proxies, each proxy appends the address it was
 * reached from to X-Forwarded-For, so the entry that many from the right was written by our own
 * outermost proxy; entries left of it are whatever the client sent and are never believed.
 */
export function clientAddress(
  request: Request,
  trustedProxies: number,
  fromSocket: () => string | undefined,
): string {
  if (trustedProxies > 0) {
    const hops = (request.headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const forwarded = hops[hops.length - trustedProxies];
    if (forwarded !== undefined && forwarded.length <= 64) return forwarded;
  }
  try {
    return fromSocket() ?? "unknown";
  } catch {
    // app.request() in tests has no socket.
    return "local";
  }
}

function notFoundPage(): string {
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(t("page.notFound.title"))}</title>
<body style="font-family:'Noto Sans CJK SC',sans-serif;text-align:center;padding:3rem 1rem;font-size:1.4rem;color:#333"><h1>${esc(t("page.notFound.title"))}</h1><p>${esc(t("page.notFound.body"))}</p></body></html>`;
}
