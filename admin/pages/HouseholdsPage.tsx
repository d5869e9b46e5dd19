import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { formatCardNumber } from "../../ui/format.ts";
import { get, qs } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { Empty } from "../components/Empty.tsx";
import { HouseholdForm } from "../components/HouseholdForm.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Points } from "../components/Points.tsx";
import { Stars } from "../components/Stars.tsx";
import { t } from "../i18n/index.ts";
import { problemText } from "../logic/problems.ts";
import { navigate, queryParam, setQuery } from "../router.ts";
import { isCommittee, villageId } from "../state/session.ts";
import type { ApiError } from "../api.ts";
import type { Household, Page } from "../types.ts";

const PAGE_SIZE = 50;
/** Each keystroke searches once typing pauses this long; an answer to an older query is dropped. */
const SEARCH_PAUSE_MS = 25;

type ListState =
  | { state: "loading" }
  | { state: "ok"; items: Household[]; nextCursor: string | null; query: string }
  | { state: "error"; error: ApiError };

/** Households: search as you type (name, pinyin initials, door plate, card), the list with balance and card. */
export default function HouseholdsPage() {
  const vid = villageId.value;
  const text = useSignal(queryParam("q") ?? "");
  const list = useSignal<ListState>({ state: "loading" });
  const adding = useSignal(false);
  const moreBusy = useSignal(false);
  const ticket = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const fetchList = (query: string) => {
    if (vid === null) return;
    const mine = ++ticket.current;
    void get<Page<Household>>(
      `/api/villages/${vid}/households${qs({ search: query.trim(), limit: PAGE_SIZE })}`,
    ).then((res) => {
      if (mine !== ticket.current) return;
      list.value = res.ok
        ? { state: "ok", items: res.data.items, nextCursor: res.data.nextCursor, query }
        : { state: "error", error: res.error };
    });
  };

  useEffect(() => {
    fetchList(text.value);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [vid]);

  const onInput = (value: string) => {
    text.value = value;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setQuery({ q: value.trim() || null });
      fetchList(value);
    }, SEARCH_PAUSE_MS);
  };

  const loadMore = async () => {
    const current = list.value;
    if (current.state !== "ok" || current.nextCursor === null || vid === null) return;
    moreBusy.value = true;
    const res = await get<Page<Household>>(
      `/api/villages/${vid}/households${qs({ search: current.query.trim(), limit: PAGE_SIZE, cursor: current.nextCursor })}`,
    );
    moreBusy.value = false;
    if (res.ok)
      list.value = {
        ...current,
        items: [...current.items, ...res.data.items],
        nextCursor: res.data.nextCursor,
      };
  };

  if (vid === null) return <Loading />;
  const current = list.value;
  return (
    <section class="page households">
      <PageHeader
        title={t("nav.households")}
        lead={t("households.lead")}
        actions={
          <>
            <button type="button" class="button primary" onClick={() => (adding.value = true)}>
              <Icon name="plus" />
              {t("households.add")}
            </button>
            {isCommittee.value ? (
              <a class="button" href="/admin/import">
                <Icon name="import" />
                {t("households.import")}
              </a>
            ) : null}
          </>
        }
      />
      <div class="search-box">
        <label for="households-search">{t("households.search")}</label>
        <div class="search-input">
          <Icon name="search" />
          <input
            id="households-search"
            type="search"
            autocomplete="off"
            spellcheck={false}
            placeholder={t("picker.placeholder")}
            value={text.value}
            onInput={(e) => onInput((e.target as HTMLInputElement).value)}
            aria-describedby="households-search-hint"
          />
        </div>
        <p class="hint" id="households-search-hint">
          {t("households.searchHint")}
        </p>
      </div>
      {current.state === "loading" ? <Loading /> : null}
      {current.state === "error" ? <Alert tone="error">{problemText(current.error)}</Alert> : null}
      {current.state === "ok" ? (
        // data-query says which search the list on screen answers (read by the speed bench).
        <div class="results" data-query={current.query}>
          {current.items.length === 0 ? (
            current.query.trim() ? (
              <Empty icon="search" title={t("households.noMatch", { text: current.query.trim() })}>
                {t("households.noMatchBody")}
              </Empty>
            ) : (
              <Empty icon="households" title={t("households.none")}>
                {t("households.noneBody")}
              </Empty>
            )
          ) : (
            <>
              <div class="table-wrap">
                <table class="table households-table" aria-live="polite" aria-busy="false">
                  <caption class="visually-hidden">{t("nav.households")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("household.head")}</th>
                      <th scope="col">{t("household.address")}</th>
                      <th scope="col">{t("household.externalId")}</th>
                      <th scope="col">{t("household.card")}</th>
                      <th scope="col" class="num-col">
                        {t("household.spendable")}
                      </th>
                      <th scope="col" class="num-col">
                        {t("household.honour")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {current.items.map((h) => (
                      <tr
                        key={h.id}
                        class="clickable"
                        onClick={(e) =>
                          (e.target as HTMLElement).tagName !== "A" &&
                          navigate(`/admin/households/${h.id}`)
                        }
                      >
                        <td>
                          <a href={`/admin/households/${h.id}`}>
                            <bdi>{h.headName}</bdi>
                          </a>
                          <span class="sub">
                            {t("households.members", { count: h.members.length })}
                          </span>
                        </td>
                        <td>
                          <bdi>{h.address || "—"}</bdi>
                        </td>
                        <td class="mono">{h.externalId ?? "—"}</td>
                        <td>
                          {h.card ? (
                            <span class="mono">{formatCardNumber(h.card.number)}</span>
                          ) : (
                            <span class="tag warn">{t("households.noCard")}</span>
                          )}
                        </td>
                        <td class="num-col">
                          <Points value={h.balance} />
                        </td>
                        <td class="num-col">
                          <Points value={h.honourScore} /> <Stars star={h.star} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {current.nextCursor !== null ? (
                <button
                  type="button"
                  class="button"
                  disabled={moreBusy.value}
                  onClick={() => void loadMore()}
                >
                  {moreBusy.value ? t("common.working") : t("common.more")}
                </button>
              ) : null}
            </>
          )}
        </div>
      ) : null}
      <Dialog
        open={adding.value}
        title={t("households.add")}
        onClose={() => (adding.value = false)}
        wide
      >
        <HouseholdForm
          villageId={vid}
          household={null}
          onCancel={() => (adding.value = false)}
          onDone={(h) => {
            adding.value = false;
            navigate(`/admin/households/${h.id}?created=1`);
          }}
        />
      </Dialog>
    </section>
  );
}
