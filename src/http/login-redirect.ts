/**
 * A page that needs a session, opened in a browser without one (a bookmarked card sheet, a link
 * from an old tab), sends the browser to the sign-in page and back afterwards instead of showing
 * a JSON problem; a script, which does not prefer HTML, still gets the 401 problem. Pure.
 */

export const LOGIN_PATH = "/admin/login";

type MediaRange = { type: string; subtype: string; q: number };

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of accept.split(",")) {
    const [mediaType = "", ...params] = part.trim().toLowerCase().split(";");
    const [type, subtype] = mediaType.trim().split("/");
    if (!type || !subtype) continue;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.trim().split("=");
      if (name === "q") q = Number(value);
    }
    if (Number.isFinite(q) && q >= 0 && q <= 1) ranges.push({ type, subtype, q });
  }
  return ranges;
}

/** The quality a list of media ranges gives a type: from its most specific matching range (RFC 9110 12.5.1). */
function qualityOf(ranges: readonly MediaRange[], type: string, subtype: string): number {
  let best = { specificity: -1, q: 0 };
  for (const r of ranges) {
    const specificity =
      r.type === type && r.subtype === subtype
        ? 2
        : r.type === type && r.subtype === "*"
          ? 1
          : r.type === "*" && r.subtype === "*"
            ? 0
            : -1;
    if (specificity > best.specificity) best = { specificity, q: r.q };
  }
  return best.q;
}

/** Whether an Accept header prefers an HTML page to a JSON answer, as a browser's navigation does. */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const ranges = parseAccept(accept);
  const html = qualityOf(ranges, "text", "html");
  return (
    html > 0 &&
    html > qualityOf(ranges, "application", "json") &&
    html > qualityOf(ranges, "application", "problem+json")
  );
}

/** Where to send a browser without a session: the sign-in page, which returns to `pathAndQuery`. */
export function loginLocation(pathAndQuery: string): string {
  return `${LOGIN_PATH}?next=${encodeURIComponent(pathAndQuery)}`;
}
