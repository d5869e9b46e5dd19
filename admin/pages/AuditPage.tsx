import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { get, qs } from "../api.ts";
import { usePaged } from "../logic/paged.ts";
import { Alert } from "../components/Alert.tsx";
import { Empty } from "../components/Empty.tsx";
import { TextField } from "../components/Field.tsx";
import { Loading } from "../components/Loading.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { SettingsNav } from "../components/SettingsNav.tsx";
import { lang, t, tKnown } from "../i18n/index.ts";
import { formatTime } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import { problemText } from "../logic/problems.ts";
import { queryParam, setQuery } from "../router.ts";
import { villageId } from "../state/session.ts";
import type { AuditRow, StaffUser } from "../types.ts";

const PAGE_SIZE = 50;
const FILTERS = ["actor", "action", "entity", "entityId", "receiptNo", "from", "to"] as const;
type Filter = (typeof FILTERS)[number];

/** Where a row's record lives in the staff pages, when it has a page. */
export function recordHref(row: Pick<AuditRow, "entity" | "entityId" | "detail">): string | null {
  if (row.entityId === null) return null;
  const detail = (
    typeof row.detail === "object" && row.detail !== null ? row.detail : {}
  ) as Record<string, unknown>;
  switch (row.entity) {
    case "household":
      return `/admin/households/${row.entityId}`;
    case "goods":
      return `/admin/goods/${row.entityId}`;
    case "redemption":
      return `/admin/sales?receiptNo=${encodeURIComponent(String(detail["receiptNo"] ?? ""))}`;
    case "entry":
      return typeof detail["householdId"] === "number" || typeof detail["householdId"] === "string"
        ? `/admin/households/${detail["householdId"]}`
        : null;
    case "rule":
      return "/admin/rules";
    case "user":
      return "/admin/users";
    case "kiosk":
      return "/admin/kiosks";
    default:
      return null;
  }
}

/** A row's detail in one short line: its fields as "key: value", long values cut. */
export function detailLine(detail: unknown): string {
  if (detail === null || typeof detail !== "object") return "";
  return Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== "object")
    .map(
      ([k, v]) =>
        `${tKnown("detailKey", k)}: ${String(v).length > 40 ? `${String(v).slice(0, 39)}…` : String(v)}`,
    )
    .join(" · ");
}

/** Who did what, when, to which record: filtered by person, kind, record and days. */
export default function AuditPage() {
  const vid = villageId.value;
  const filters = Object.fromEntries(FILTERS.map((f) => [f, queryParam(f) ?? ""])) as Record<
    Filter,
    string
  >;
  const key = FILTERS.map((f) => filters[f]).join("|");
  const [users] = useLoad(() => get<{ items: StaffUser[] }>("/api/users"), []);
  const [actions] = useLoad(
    () =>
      get<{ actions: string[]; entities: string[] }>(`/api/audit/actions${qs({ villageId: vid })}`),
    [vid],
  );
  const { items, cursor, state, error, loadMore } = usePaged<AuditRow>(
    (after) => `/api/audit${qs({ villageId: vid, ...filters, limit: PAGE_SIZE, cursor: after })}`,
    [vid, key],
  );
  const draft = useSignal<Record<Filter, string>>(filters);
  useEffect(() => {
    draft.value = filters;
  }, [vid, key]);

  const apply = (ev: Event) => {
    ev.preventDefault();
    setQuery(Object.fromEntries(FILTERS.map((f) => [f, draft.value[f].trim() || null])), {
      replace: false,
    });
  };
  const set = (f: Filter, value: string) => (draft.value = { ...draft.value, [f]: value });
  const userList = users.value.state === "ok" ? users.value.data.items : [];
  const actionList = actions.value.state === "ok" ? actions.value.data.actions : [];
  const entityList = actions.value.state === "ok" ? actions.value.data.entities : [];
  return (
    <section class="page audit">
      <PageHeader title={t("nav.settings")} lead={t("audit.lead")} />
      <SettingsNav />
      <form class="card filters" role="search" aria-label={t("audit.filters")} onSubmit={apply}>
        <div class="field">
          <label for="audit-actor">{t("audit.actor")}</label>
          <select
            id="audit-actor"
            value={draft.value.actor}
            onChange={(e) => set("actor", (e.target as HTMLSelectElement).value)}
          >
            <option value="">{t("audit.anyone")}</option>
            {userList.map((u) => (
              <option key={u.id} value={u.username}>
                {u.displayName ?? u.username}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="audit-action">{t("audit.action")}</label>
          <select
            id="audit-action"
            value={draft.value.action}
            onChange={(e) => set("action", (e.target as HTMLSelectElement).value)}
          >
            <option value="">{t("audit.anyAction")}</option>
            {actionList.map((a) => (
              <option key={a} value={a}>
                {tKnown("action", a)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="audit-entity">{t("audit.entity")}</label>
          <select
            id="audit-entity"
            value={draft.value.entity}
            onChange={(e) => set("entity", (e.target as HTMLSelectElement).value)}
          >
            <option value="">{t("audit.anyEntity")}</option>
            {entityList.map((a) => (
              <option key={a} value={a}>
                {tKnown("entity", a)}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id="audit-entity-id"
          label={t("audit.entityId")}
          value={draft.value.entityId}
          onValue={(v) => set("entityId", v)}
        />
        <TextField
          id="audit-receipt"
          label={t("audit.receiptNo")}
          inputMode="numeric"
          value={draft.value.receiptNo}
          onValue={(v) => set("receiptNo", v)}
        />
        <div class="field">
          <label for="audit-from">{t("sales.from")}</label>
          <input
            id="audit-from"
            type="date"
            value={draft.value.from}
            onChange={(e) => set("from", (e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="audit-to">{t("sales.to")}</label>
          <input
            id="audit-to"
            type="date"
            value={draft.value.to}
            onChange={(e) => set("to", (e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="button-row filter-buttons">
          <button type="submit" class="button primary">
            {t("audit.search")}
          </button>
          <a class="button ghost" href="/admin/audit">
            {t("sales.clear")}
          </a>
        </div>
      </form>
      {state.value === "loading" ? <Loading /> : null}
      {state.value === "error" && error.value ? (
        <Alert tone="error">{problemText(error.value)}</Alert>
      ) : null}
      {state.value === "ok" && items.value.length === 0 ? (
        <Empty icon="rules" title={t("audit.none")}>
          {t("audit.noneBody")}
        </Empty>
      ) : null}
      {items.value.length > 0 ? (
        <>
          <div class="table-wrap">
            <table class="table audit-table">
              <caption class="visually-hidden">{t("audit.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("audit.when")}</th>
                  <th scope="col">{t("audit.actor")}</th>
                  <th scope="col">{t("audit.action")}</th>
                  <th scope="col">{t("audit.record")}</th>
                  <th scope="col">{t("audit.detail")}</th>
                </tr>
              </thead>
              <tbody>
                {items.value.map((row) => {
                  const href = recordHref(row);
                  const record = `${tKnown("entity", row.entity)}${row.entityId ? ` #${row.entityId}` : ""}`;
                  return (
                    <tr key={row.id}>
                      <td class="nowrap">{formatTime(row.at, lang.value)}</td>
                      <td>
                        <bdi>{row.actorName ?? tKnown("actorKind", row.actorKind)}</bdi>
                        {row.address ? <span class="sub mono">{row.address}</span> : null}
                      </td>
                      <td>{tKnown("action", row.action)}</td>
                      <td>{href ? <a href={href}>{record}</a> : record}</td>
                      <td class="detail-cell">{detailLine(row.detail)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {cursor.value !== null ? (
            <button type="button" class="button" onClick={loadMore}>
              {t("common.more")}
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
