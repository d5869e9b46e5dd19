// The message-catalog machinery the kiosk and the staff pages share. Each app keeps its own
// catalogs (Chinese is the source; every other language must have the same keys, which the type
// of `Catalog` checks); this file fills placeholders and splits a message around them so that a
// screen can isolate every value in <bdi> for right-to-left languages.
import type { Lang } from "./format.ts";

export type { Lang };

export const RTL_LANGS: ReadonlySet<Lang> = new Set(["ug"]);

export type Params = Record<string, string | number>;

export type MessagePart = string | { name: string };

/** "还剩 {count} 件" with {count: 3} → "还剩 3 件"; an unknown placeholder stays as written. */
export function fill(text: string, params: Params = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

/** A message as text pieces and placeholder names, in order: "还剩 {count} 件" → ["还剩 ", {name: "count"}, " 件"]. */
export function splitMessage(text: string): MessagePart[] {
  const out: MessagePart[] = [];
  const re = /\{(\w+)\}/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push({ name: m[1] ?? "" });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function isRtl(lang: Lang): boolean {
  return RTL_LANGS.has(lang);
}

/** Sets the document's language and direction, so the browser, screen readers and CSS logical properties follow. */
export function applyDocumentLang(lang: Lang): void {
  if (typeof document === "undefined") return;
  document.documentElement.lang = lang;
  document.documentElement.dir = isRtl(lang) ? "rtl" : "ltr";
}
