import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { t, type MessageKey } from "../i18n/index.ts";
import { BASE, here, matchPath, navigate, safeNext } from "../router.ts";
import { ROUTES, type PageModule, type RouteDef } from "../routes.ts";
import { me, role } from "../state/session.ts";
import { LoginPage } from "../pages/LoginPage.tsx";
import { Shell } from "./Shell.tsx";
import { Loading } from "./Loading.tsx";
import { Alert } from "./Alert.tsx";
import { PageHeader } from "./PageHeader.tsx";

/** Pages already loaded, by route id; a page's code is fetched the first time it is opened. */
const loaded = signal<Record<string, PageModule["default"]>>({});
const loadFailed = signal<string | null>(null);

function load(route: RouteDef): void {
  if (loaded.value[route.id]) return;
  route
    .load()
    .then((m) => (loaded.value = { ...loaded.value, [route.id]: m.default }))
    .catch(() => (loadFailed.value = route.id));
}

function findRoute(path: string): { route: RouteDef; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params) return { route, params };
  }
  return null;
}

export function App() {
  const { path } = here.value;
  const user = me.value;
  const loginPath = `${BASE}/login`;

  useEffect(() => {
    // Decided on the state as it is when the effect runs, not as it was at render: an effect that
    // runs late (a slow frame) must not undo a navigation that already happened.
    const now = here.peek();
    const who = me.peek();
    // Not signed in: every page but sign-in sends there first and comes back after.
    if (who === null && now.path !== loginPath)
      navigate(`${loginPath}?next=${encodeURIComponent(now.path + now.search)}`, { replace: true });
    // Signed in (just now, or a bookmark of the sign-in page): go where it leads.
    if (who && now.path === loginPath)
      navigate(safeNext(new URLSearchParams(now.search).get("next")), { replace: true });
  }, [user, path]);

  if (user === undefined) return <Loading />;
  if (path === loginPath || user === null) return <LoginPage />;

  const found = findRoute(path);
  if (found === null)
    return (
      <Shell>
        <Said title="notFound.title" body="notFound.body" />
      </Shell>
    );
  const { route, params } = found;
  if (role.value === null || !route.roles.includes(role.value))
    return (
      <Shell>
        <Said title="forbidden.title" body="forbidden.body" />
      </Shell>
    );
  const Page = loaded.value[route.id];
  if (!Page) {
    load(route);
    return (
      <Shell>
        {loadFailed.value === route.id ? (
          <Alert tone="error">{t("problem.network")}</Alert>
        ) : (
          <Loading />
        )}
      </Shell>
    );
  }
  // A key per address: a new household id mounts a fresh page, not the old one's state.
  return (
    <Shell>
      <Page key={path} params={params} />
    </Shell>
  );
}

/** A page that only says something: the address is unknown, or not this role's. */
function Said({ title, body }: { title: MessageKey; body: MessageKey }) {
  return (
    <section>
      <PageHeader title={t(title)} />
      <p>{t(body)}</p>
      <p>
        <a class="button" href={BASE}>
          {t("notFound.home")}
        </a>
      </p>
    </section>
  );
}
