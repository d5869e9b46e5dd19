// A small router for the staff pages: the address bar is the state. Links are ordinary <a href>
// (so they open in a new tab, can be bookmarked and read by a screen reader); a click on one is
// taken over and the page changes without a reload. Back and forward work through popstate.
import { signal } from "@preact/signals";

export const BASE = "/admin";

export type Location = { path: string; search: string };

function current(): Location {
  if (typeof location === "undefined") return { path: BASE, search: "" };
  return { path: location.pathname.replace(/\/+$/, "") || "/", search: location.search };
}

export const here = signal<Location>(current());

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  here.value = current();
  window.scrollTo(0, 0);
}

/** Changes the query of the current page (a tab, a filter) without adding a history step for each keystroke. */
export function setQuery(
  params: Record<string, string | null>,
  options: { replace?: boolean } = { replace: true },
): void {
  const query = new URLSearchParams(here.value.search);
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === "") query.delete(k);
    else query.set(k, v);
  }
  const search = query.toString();
  navigate(`${here.value.path}${search ? `?${search}` : ""}`, options);
}

export function queryParam(name: string): string | null {
  return new URLSearchParams(here.value.search).get(name);
}

/** Matches `/admin/households/:id` against a path; answers the named parts or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const re = new RegExp(
    "^" +
      pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) => (names.push(name), "([^/]+)")) +
      "$",
  );
  const m = re.exec(path);
  if (m === null) return null;
  const out: Record<string, string> = {};
  names.forEach((n, i) => (out[n] = decodeURIComponent(m[i + 1] ?? "")));
  return out;
}

/** A same-origin address under /admin that is safe to return to after signing in. */
export function safeNext(next: string | null): string {
  if (next === null || !next.startsWith("/") || next.startsWith("//") || next.includes("\\"))
    return BASE;
  return next;
}

export function startRouter(): void {
  window.addEventListener("popstate", () => (here.value = current()));
  document.addEventListener("click", (event) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    const anchor = (event.target as Element | null)?.closest?.("a");
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href, location.href);
    if (
      url.origin !== location.origin ||
      !(url.pathname === BASE || url.pathname.startsWith(`${BASE}/`))
    )
      return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}
