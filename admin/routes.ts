// The staff pages' addresses (docs/admin.md), who may open each, and the code of each page,
// loaded when first opened so the first screen stays small.
import type { ComponentType } from "preact";
import type { MessageKey } from "./i18n/index.ts";
import type { Role } from "./types.ts";

export type PageProps = { params: Record<string, string> };
export type PageModule = { default: ComponentType<PageProps> };

export type RouteDef = {
  id: string;
  pattern: string;
  title: MessageKey;
  /** Shown in the main navigation under this name. */
  nav: boolean;
  icon: IconName;
  roles: readonly Role[];
  load: () => Promise<PageModule>;
};

export type IconName = "today" | "record" | "review" | "households" | "rules" | "import";

const ALL: readonly Role[] = ["township_admin", "village_admin", "clerk"];
const COMMITTEE: readonly Role[] = ["township_admin", "village_admin"];

export const ROUTES: readonly RouteDef[] = [
  { id: "today", pattern: "/admin", title: "nav.today", nav: true, icon: "today", roles: ALL, load: () => import("./pages/TodayPage.tsx") },
  { id: "record", pattern: "/admin/record", title: "nav.record", nav: true, icon: "record", roles: ALL, load: () => import("./pages/RecordPage.tsx") },
  { id: "review", pattern: "/admin/review", title: "nav.review", nav: true, icon: "review", roles: COMMITTEE, load: () => import("./pages/ReviewPage.tsx") },
  { id: "households", pattern: "/admin/households", title: "nav.households", nav: true, icon: "households", roles: ALL, load: () => import("./pages/HouseholdsPage.tsx") },
  { id: "household", pattern: "/admin/households/:id", title: "household.title", nav: false, icon: "households", roles: ALL, load: () => import("./pages/HouseholdPage.tsx") },
  { id: "import", pattern: "/admin/import", title: "import.title", nav: false, icon: "import", roles: COMMITTEE, load: () => import("./pages/ImportPage.tsx") },
  { id: "rules", pattern: "/admin/rules", title: "nav.rules", nav: true, icon: "rules", roles: ALL, load: () => import("./pages/RulesPage.tsx") },
];
