/**
 * The residents' language switch (card page and board): a plain link with `?lang=`, which works
 * without script. The choice is remembered in a cookie, and the page is shown again at its own
 * address, so a reload or a bookmark keeps the language through the cookie alone.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { LANG_COOKIE, localeNamed } from "../i18n/catalog.ts";
import { DAY_MS, SECOND_MS } from "../shared/clock.ts";

const LANG_COOKIE_MAX_AGE_MS = 365 * DAY_MS;

/** The redirect that remembers a `?lang=` choice, or null when the request names no language. */
export function rememberLanguage(c: Context): Response | null {
  const chosen = localeNamed(c.req.query("lang"));
  if (chosen === null) return null;
  setCookie(c, LANG_COOKIE, chosen, {
    path: "/",
    sameSite: "Lax",
    httpOnly: true,
    maxAge: LANG_COOKIE_MAX_AGE_MS / SECOND_MS,
  });
  const url = new URL(c.req.url);
  url.searchParams.delete("lang");
  return c.redirect(url.pathname + url.search, 303);
}

/** The language remembered by the switch, if any. */
export function rememberedLanguage(c: Context): string | undefined {
  return getCookie(c, LANG_COOKIE);
}
