// The message catalog and the current language. Every string on screen or in speech comes
// through `t`; `parts` splits a message around its placeholders so the screen can wrap each value
// in <bdi>.
import { signal } from "@preact/signals";
import {
  fill,
  splitMessage,
  type Lang,
  type MessagePart,
  type Params as SharedParams,
} from "../../ui/i18n.ts";
import { en } from "./en.ts";
import { ug } from "./ug.ts";
import { zhCN, type Catalog, type MessageKey } from "./zh-CN.ts";

export type { MessageKey };

export const CATALOGS: Record<Lang, Catalog> = { "zh-CN": zhCN, en, ug };
export const LANG_ORDER: readonly Lang[] = ["zh-CN", "ug", "en"];
export { RTL_LANGS } from "../../ui/i18n.ts";

export const lang = signal<Lang>("zh-CN");

export type Params = SharedParams;

export function translate(catalog: Catalog, key: MessageKey, params: Params = {}): string {
  return fill(catalog[key], params);
}

export function t(key: MessageKey, params: Params = {}): string {
  return translate(CATALOGS[lang.value], key, params);
}

/** A message as text pieces and placeholder names, in order: "还剩 {count} 件" → ["还剩 ", {name: "count"}, " 件"]. */
export function parts(key: MessageKey, l: Lang = lang.value): MessagePart[] {
  return splitMessage(CATALOGS[l][key]);
}

export function nextLang(current: Lang): Lang {
  const i = LANG_ORDER.indexOf(current);
  return LANG_ORDER[(i + 1) % LANG_ORDER.length] ?? "zh-CN";
}
