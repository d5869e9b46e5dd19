// The staff pages' addresses (docs/admin.md), who may open each, and the code of each page,
// loaded when first opened so the first screen stays small.
import type { ComponentType } from "preact";
import type { MessageKey } from "./i18n/index.ts";
import type { Role } from "./types.ts";

export type PageProps = { params: Record<string, string> };
export type PageModule = { default: ComponentType<PageProps> };

export type IconName =
  | "today"
  | "record"
  | "rounds"
  | "review"
  | "households"
  | "rules"
  | "import"
  | "goods"
  | "sales"
  | "reports"
  | "settings";

export type RouteDef = {
  id: string;
  pattern: string;
  title: MessageKey;
  /** Shown in the main navigation under its title. */
  nav: boolean;
  /** The navigation entry lit while this page is open (its own id for a top-level page). */
  section: string;
  icon: IconName;
  roles: readonly Role[];
  load: () => Promise<PageModule>;
};

const ALL: readonly Role[] = ["township_admin", "village_admin", "clerk"];
const COMMITTEE: readonly Role[] = ["township_admin", "village_admin"];
const TOWNSHIP: readonly Role[] = ["township_admin"];

export const ROUTES: readonly RouteDef[] = [
  {
    id: "today",
    pattern: "/admin",
    title: "nav.today",
    nav: true,
    section: "today",
    icon: "today",
    roles: ALL,
    load: () => import("./pages/TodayPage.tsx"),
  },
  {
    id: "record",
    pattern: "/admin/record",
    title: "nav.record",
    nav: true,
    section: "record",
    icon: "record",
    roles: ALL,
    load: () => import("./pages/RecordPage.tsx"),
  },
  {
    id: "rounds",
    pattern: "/admin/rounds",
    title: "nav.rounds",
    nav: true,
    section: "rounds",
    icon: "rounds",
    roles: ALL,
    load: () => import("./pages/RoundsPage.tsx"),
  },
  {
    id: "round",
    pattern: "/admin/rounds/:id",
    title: "nav.rounds",
    nav: false,
    section: "rounds",
    icon: "rounds",
    roles: ALL,
    load: () => import("./pages/RoundPage.tsx"),
  },
  {
    id: "review",
    pattern: "/admin/review",
    title: "nav.review",
    nav: true,
    section: "review",
    icon: "review",
    roles: COMMITTEE,
    load: () => import("./pages/ReviewPage.tsx"),
  },
  {
    id: "households",
    pattern: "/admin/households",
    title: "nav.households",
    nav: true,
    section: "households",
    icon: "households",
    roles: ALL,
    load: () => import("./pages/HouseholdsPage.tsx"),
  },
  {
    id: "household",
    pattern: "/admin/households/:id",
    title: "household.title",
    nav: false,
    section: "households",
    icon: "households",
    roles: ALL,
    load: () => import("./pages/HouseholdPage.tsx"),
  },
  {
    id: "import",
    pattern: "/admin/import",
    title: "import.title",
    nav: false,
    section: "households",
    icon: "import",
    roles: COMMITTEE,
    load: () => import("./pages/ImportPage.tsx"),
  },
  {
    id: "rules",
    pattern: "/admin/rules",
    title: "nav.rules",
    nav: true,
    section: "rules",
    icon: "rules",
    roles: ALL,
    load: () => import("./pages/RulesPage.tsx"),
  },
  {
    id: "goods",
    pattern: "/admin/goods",
    title: "nav.goods",
    nav: true,
    section: "goods",
    icon: "goods",
    roles: ALL,
    load: () => import("./pages/GoodsPage.tsx"),
  },
  {
    id: "good",
    pattern: "/admin/goods/:id",
    title: "good.title",
    nav: false,
    section: "goods",
    icon: "goods",
    roles: ALL,
    load: () => import("./pages/GoodPage.tsx"),
  },
  {
    id: "accounts",
    pattern: "/admin/accounts",
    title: "accounts.title",
    nav: false,
    section: "goods",
    icon: "goods",
    roles: ALL,
    load: () => import("./pages/AccountsPage.tsx"),
  },
  {
    id: "sales",
    pattern: "/admin/sales",
    title: "nav.sales",
    nav: true,
    section: "sales",
    icon: "sales",
    roles: ALL,
    load: () => import("./pages/SalesPage.tsx"),
  },
  {
    id: "reports",
    pattern: "/admin/reports",
    title: "nav.reports",
    nav: true,
    section: "reports",
    icon: "reports",
    roles: ALL,
    load: () => import("./pages/ReportsPage.tsx"),
  },
  {
    id: "settings",
    pattern: "/admin/settings",
    title: "nav.settings",
    nav: true,
    section: "settings",
    icon: "settings",
    roles: COMMITTEE,
    load: () => import("./pages/SettingsPage.tsx"),
  },
  {
    id: "users",
    pattern: "/admin/users",
    title: "users.title",
    nav: false,
    section: "settings",
    icon: "settings",
    roles: COMMITTEE,
    load: () => import("./pages/UsersPage.tsx"),
  },
  {
    id: "kiosks",
    pattern: "/admin/kiosks",
    title: "kiosks.title",
    nav: false,
    section: "settings",
    icon: "settings",
    roles: COMMITTEE,
    load: () => import("./pages/KiosksPage.tsx"),
  },
  {
    id: "audit",
    pattern: "/admin/audit",
    title: "audit.title",
    nav: false,
    section: "settings",
    icon: "settings",
    roles: COMMITTEE,
    load: () => import("./pages/AuditPage.tsx"),
  },
  {
    id: "villages",
    pattern: "/admin/villages",
    title: "villages.title",
    nav: false,
    section: "settings",
    icon: "settings",
    roles: TOWNSHIP,
    load: () => import("./pages/VillagesPage.tsx"),
  },
  {
    id: "templates",
    pattern: "/admin/templates",
    title: "templates.title",
    nav: false,
    section: "settings",
    icon: "settings",
    roles: TOWNSHIP,
    load: () => import("./pages/TemplatesPage.tsx"),
  },
];
