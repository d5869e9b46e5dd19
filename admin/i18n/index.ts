// The staff pages' catalog and current language. Every string on screen comes through `t` or
// <Msg>; Chinese is the source, Uyghur (right to left) has the same keys (checked by the type of
// `Catalog`). The language is the staff member's choice, kept on this device.
import { signal } from "@preact/signals";
import {
  applyDocumentLang,
  fill,
  splitMessage,
  type Lang,
  type MessagePart,
  type Params,
} from "../../ui/i18n.ts";
import { ug } from "./ug.ts";
import { zhCN, type Catalog, type MessageKey } from "./zh-CN.ts";

export type { MessageKey, Params };

export type AdminLang = Extract<Lang, "zh-CN" | "ug">;
export const ADMIN_LANGS: readonly AdminLang[] = ["zh-CN", "ug"];
export const CATALOGS: Record<AdminLang, Catalog> = { "zh-CN": zhCN, ug };

const LANG_KEY = "jifen.admin.lang";

function savedLang(): AdminLang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    return ADMIN_LANGS.find((l) => l === saved) ?? "zh-CN";
  } catch {
    return "zh-CN";
  }
}

export const lang = signal<AdminLang>(typeof localStorage === "undefined" ? "zh-CN" : savedLang());

export function setLang(next: AdminLang): void {
  lang.value = next;
  applyDocumentLang(next);
  try {
    localStorage.setItem(LANG_KEY, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

export function t(key: MessageKey, params: Params = {}): string {
  return fill(CATALOGS[lang.value][key], params);
}

export function parts(key: MessageKey): MessagePart[] {
  return splitMessage(CATALOGS[lang.value][key]);
}

/** A message chosen at run time (a status, a category), with a fallback when the key is unknown. */
export function tKnown(prefix: string, value: string, fallback: string = value): string {
  const key = `${prefix}.${value}`;
  return key in CATALOGS[lang.value] ? CATALOGS[lang.value][key as MessageKey] : fallback;
}
