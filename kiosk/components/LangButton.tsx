import { CATALOGS, lang, nextLang } from "../i18n/index.ts";
import { cycleLang } from "../state/actions.ts";
import { Icon } from "./Icon.tsx";

/**
 * One big button cycles 中文 → ئۇيغۇرچە → English. It is labelled with the other languages'
 * names, each in its own script, so whoever cannot read the current language finds their own.
 */
export function LangButton() {
  const first = nextLang(lang.value);
  const second = nextLang(first);
  return (
    <button type="button" class="btn btn-quiet lang-button" onClick={cycleLang}>
      <Icon name="globe" />
      <span lang={first} dir={first === "ug" ? "rtl" : "ltr"}>
        {CATALOGS[first]["lang.name"]}
      </span>
      <span aria-hidden="true">·</span>
      <span lang={second} dir={second === "ug" ? "rtl" : "ltr"}>
        {CATALOGS[second]["lang.name"]}
      </span>
    </button>
  );
}
