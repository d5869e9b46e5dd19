import { t } from "../i18n/index.ts";
import { here } from "../router.ts";
import { role } from "../state/session.ts";
import type { MessageKey } from "../i18n/index.ts";

type Tab = { href: string; label: MessageKey; township?: boolean };

const TABS: readonly Tab[] = [
  { href: "/admin/settings", label: "settings.tab" },
  { href: "/admin/users", label: "users.title" },
  { href: "/admin/kiosks", label: "kiosks.title" },
  { href: "/admin/audit", label: "audit.title" },
  { href: "/admin/villages", label: "villages.title", township: true },
  { href: "/admin/templates", label: "templates.title", township: true },
];

/** The pages under 设置, as links (each has its own address, bookmark and back button). */
export function SettingsNav() {
  const path = here.value.path;
  const tabs = TABS.filter((tab) => !tab.township || role.value === "township_admin");
  return (
    <nav class="subnav" aria-label={t("settings.nav")}>
      {tabs.map((tab) => (
        <a
          key={tab.href}
          href={tab.href}
          class={path === tab.href ? "tab active" : "tab"}
          aria-current={path === tab.href ? "page" : undefined}
        >
          {t(tab.label)}
        </a>
      ))}
    </nav>
  );
}
