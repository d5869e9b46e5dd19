import { signal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { ADMIN_LANGS, CATALOGS, lang, setLang, t, tKnown, type AdminLang } from "../i18n/index.ts";
import { BASE, here, matchPath } from "../router.ts";
import { ROUTES } from "../routes.ts";
import {
  chooseVillage,
  me,
  role,
  signOut,
  village,
  villageId,
  villages,
} from "../state/session.ts";
import { MyAccount } from "./MyAccount.tsx";
import { Icon } from "./Icon.tsx";

const accountOpen = signal(false);

/** The frame of every signed-in page: who and where at the top, the main navigation, the page. */
export function Shell({ children }: { children: ComponentChildren }) {
  const user = me.value;
  const path = here.value.path;
  const links = ROUTES.filter((r) => r.nav && role.value !== null && r.roles.includes(role.value));
  const current = ROUTES.find((r) => matchPath(r.pattern, path) !== null);
  const activeOf = (section: string) => current?.section === section;
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t("shell.skip")}
      </a>
      <header class="topbar">
        <a class="brand" href={BASE}>
          <span class="brand-mark" aria-hidden="true">
            积
          </span>
          <span class="brand-text">{t("app.name")}</span>
        </a>
        <div class="topbar-village">
          {user?.role === "township_admin" ? (
            <label class="village-switch">
              <span>{t("shell.village")}</span>
              <select
                value={villageId.value ?? ""}
                onChange={(e) => chooseVillage((e.target as HTMLSelectElement).value)}
              >
                {villages.value.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span class="village-name">{village.value?.name ?? ""}</span>
          )}
        </div>
        <div class="topbar-user">
          <span class="who">
            <bdi>{user?.displayName ?? user?.username}</bdi>
            <span class="role">{tKnown("role", user?.role ?? "")}</span>
          </span>
          <label class="lang-switch">
            <span class="visually-hidden">{t("shell.language")}</span>
            <select
              value={lang.value}
              onChange={(e) => setLang((e.target as HTMLSelectElement).value as AdminLang)}
            >
              {ADMIN_LANGS.map((l) => (
                <option key={l} value={l} lang={l}>
                  {CATALOGS[l]["lang.name"]}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class="button ghost small"
            onClick={() => (accountOpen.value = true)}
          >
            {t("account.title")}
          </button>
          <button type="button" class="button ghost small" onClick={() => void signOut()}>
            <Icon name="out" size={18} />
            {t("shell.signOut")}
          </button>
        </div>
      </header>
      <nav class="mainnav" aria-label={t("shell.nav")}>
        <ul>
          {links.map((r) => (
            <li key={r.id}>
              <a href={r.pattern} aria-current={activeOf(r.section) ? "page" : undefined}>
                <Icon name={r.icon} />
                <span>{t(r.title)}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
      <MyAccount open={accountOpen.value} onClose={() => (accountOpen.value = false)} />
    </div>
  );
}
