import type { Context, Next } from "hono";
import type { AppEnv } from "./env.ts";
import { problemResponse } from "./problem.ts";
import { SESSION_COOKIE } from "../auth/sessions.ts";

/** Methods that change nothing; everything else is a write. */
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);
/** Signing in sets the cookie: a form from elsewhere must not sign a browser into someone's account either. */
const LOGIN_PATH = "/api/auth/login";

export type OriginCheckOptions = {
  /** PUBLIC_URL: behind a reverse proxy the browser's origin is this, not the address the server was reached at. */
  publicUrl: string;
};

/**
 * Refuses a write that a browser sent with the session cookie from a page of another origin
 * (cross-site request forgery). SameSite=Lax keeps the cookie off cross-SITE posts, but another
 * port on the same host is the same site, and so is any sibling under a shared domain.
 *
 * A browser says where a write comes from: `Origin` on every POST, and `Sec-Fetch-Site` where it
 * sends no Origin. Either must name this origin (PUBLIC_URL's, or the one the request was sent
 * to). A request with neither header is not from a browser page (scripts, curl, the tests) and
 * carries no ambient credentials an attacker could borrow, so it stays allowed; so does a request
 * with `Authorization` (a kiosk's device token), which no page of another origin can add without
 * a CORS preflight this server never grants.
 */
export function sameOriginWrites(options: OriginCheckOptions) {
  const publicOrigin = new URL(options.publicUrl).origin;
  return async function sameOriginWrites(c: Context<AppEnv>, next: Next): Promise<Response | void> {
    const request = c.req.raw;
    if (!SAFE_METHODS.has(request.method) && rides(c) && !fromThisOrigin(request, publicOrigin)) {
      return problemResponse(
        403,
        "forbidden",
        "A write with the session cookie must come from this server's own pages; this one came from another origin.",
        undefined,
        undefined,
        { code: "cross-site-write", params: {} },
      );
    }
    await next();
  };
}

/** Whether a forged request could ride on this browser's session: the cookie, and no device token. */
function rides(c: Context<AppEnv>): boolean {
  if (c.req.header("authorization") !== undefined) return false;
  if (c.req.path === LOGIN_PATH) return true;
  const cookie = c.req.header("cookie");
  return cookie !== undefined && cookie.includes(`${SESSION_COOKIE}=`);
}

function fromThisOrigin(request: Request, publicOrigin: string): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) return origin === publicOrigin || origin === new URL(request.url).origin;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin" || site === "none";
  return true;
}
