// The message catalog and the current language. Every string on screen or in speech comes
// through `t`; `parts` splits a message around its placeholders so the screen can wrap each value
// in <bdi>.
import { signal } from "@preact/signals";
import type { Lang } from "../logic/format.ts";
import { en } from "./en.ts";
import { ug } from "./ug.ts";
import { zhCN, type Catalog, type MessageKey } from "./zh-CN.ts";

export type { MessageKey };

export const CATALOGS: Record<Lang, Catalog> = { "zh-CN": zhCN, en, ug };
export const LANG_ORDER: readonly Lang[] = ["zh-CN", "ug", "en"];
export const RTL_LANGS: ReadonlySet<Lang> = new Set(["ug"]);

export const lang = signal<Lang>("zh-CN");

export type Params = Record<string, string | number>;

export function translate(catalog: Catalog, key: MessageKey, params: Params = {}): string {
  return catalog[key].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function t(key: MessageKey, params: Params = {}): string {
  return translate(CATALOGS[lang.value], key, params);
}

/** A message as text pieces and placeholder names, in order: "还剩 {count} 件" → ["还剩 ", {name: "count"}, " 件"]. */
export function parts(key: MessageKey, l: Lang = lang.value): (string | { name: string })[] {
  const out: (string | { name: string })[] = [];
  const text = CATALOGS[l][key];
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

export function nextLang(current: Lang): Lang {
  const i = LANG_ORDER.indexOf(current);
  return LANG_ORDER[(i + 1) % LANG_ORDER.length] ?? "zh-CN";
}
