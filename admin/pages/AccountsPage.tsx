import { useSignal } from "@preact/signals";
import { get, post } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Points } from "../components/Points.tsx";
import { lang, t, tKnown } from "../i18n/index.ts";
import { formatTime, shanghaiToday } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import { stepPeriod, periodFromQuery } from "../logic/period.ts";
import { becauseText, problemText } from "../logic/problems.ts";
import { here, setQuery } from "../router.ts";
import { me, villageId } from "../state/session.ts";
import type { MarketStatement } from "../types.ts";

const SOURCES = ["donation", "government", "village", "other"] as const;

/**
 * The supermarket's month-end accounts (对账): goods in by source, sold, written off, on hand and
 * points redeemed, signed in the app by the clerk and the village admin, then frozen.
 */
export default function AccountsPage() {
  const vid = villageId.value;
  const today = shanghaiToday();
  // The last month that has ended, unless the address names another.
  const lastEnded = stepPeriod(periodFromQuery(new URLSearchParams(), today), -1);
  const query = new URLSearchParams(here.value.search);
  const month = /^\d{4}-\d{2}$/.test(query.get("month") ?? "")
    ? query.get("month")!
    : lastEnded.from.slice(0, 7);
  const period = periodFromQuery(new URLSearchParams({ period: "month", month }), today);
  const [statement, reload] = useLoad(
    () =>
      vid === null ? null : get<MarketStatement>(`/api/villages/${vid}/market/statements/${month}`),
    [vid, month],
  );
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const busy = useSignal(false);
  /** The month this person signed on this page: its button goes at once, before the reload answers. */
  const signedMonth = useSignal<string | null>(null);
  if (vid === null) return <Loading />;
  const go = (step: -1 | 1) =>
    setQuery({ month: stepPeriod(period, step).from.slice(0, 7) }, { replace: false });
  const sign = async () => {
    busy.value = true;
    const res = await post<MarketStatement>(`/api/villages/${vid}/market/statements/${month}/sign`);
    busy.value = false;
    if (res.ok) signedMonth.value = month;
    outcome.value = res.ok
      ? { tone: "ok", text: res.data.frozen ? t("accounts.frozenNow") : t("accounts.signed") }
      : { tone: "error", text: becauseText(res.error) ?? problemText(res.error) };
    reload();
  };
  const s = statement.value.state === "ok" ? statement.value.data : null;
  const mine = s?.signatures.find((x) => x.userId === me.value?.id) ?? null;
  const ended = period.to < today;
  return (
    <section class="page accounts">
      <nav class="crumbs" aria-label={t("common.breadcrumb")}>
        <a href="/admin/goods">{t("nav.goods")}</a> <span aria-hidden="true">›</span>{" "}
        {t("accounts.title")}
      </nav>
      <PageHeader
        title={t("accounts.title")}
        lead={t("accounts.lead")}
        actions={
          <a
            class="button"
            href={`/api/villages/${vid}/market/statements/${month}/print`}
            target="_blank"
            rel="noopener"
          >
            <Icon name="print" />
            {t("accounts.print")}
          </a>
        }
      />
      <div class="card period-picker">
        <div class="period-step">
          <button
            type="button"
            class="button small"
            onClick={() => go(-1)}
            aria-label={t("period.previous")}
          >
            ‹
          </button>
          <strong class="period-name" aria-live="polite">
            {t("period.monthLabel", {
              year: Number(month.slice(0, 4)),
              month: Number(month.slice(5, 7)),
            })}
          </strong>
          <button
            type="button"
            class="button small"
            onClick={() => go(1)}
            aria-label={t("period.next")}
            disabled={!ended}
          >
            ›
          </button>
        </div>
      </div>
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {statement.value.state === "loading" ? <Loading /> : null}
      {statement.value.state === "error" ? (
        <Alert tone="error">{problemText(statement.value.error)}</Alert>
      ) : null}
      {s ? (
        <>
          {s.frozen ? (
            <Alert tone="ok">
              <Msg
                id="accounts.frozen"
                values={{ at: s.frozenAt ? formatTime(s.frozenAt, lang.value) : "" }}
              />
              {s.digest ? <span class="detail mono">{s.digest.slice(0, 16)}…</span> : null}
            </Alert>
          ) : null}
          <dl class="figures">
            <div class="figure">
              <dt>{t("accounts.in")}</dt>
              <dd>{SOURCES.reduce((n, k) => n + s.totals.in[k], 0)}</dd>
            </div>
            <div class="figure">
              <dt>{t("accounts.sold")}</dt>
              <dd>{s.totals.sold - s.totals.voided}</dd>
            </div>
            <div class="figure">
              <dt>{t("accounts.writtenOff")}</dt>
              <dd>{s.totals.writtenOff}</dd>
            </div>
            <div class="figure">
              <dt>{t("accounts.pointsRedeemed")}</dt>
              <dd>
                <Points value={s.pointsRedeemed} />
              </dd>
            </div>
          </dl>
          <div class="table-wrap">
            <table class="table compact accounts-table">
              <caption class="visually-hidden">{t("accounts.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("reports.good")}</th>
                  <th scope="col" class="num-col">
                    {t("accounts.opening")}
                  </th>
                  {SOURCES.map((k) => (
                    <th key={k} scope="col" class="num-col">
                      {tKnown("accounts.source", k)}
                    </th>
                  ))}
                  <th scope="col" class="num-col">
                    {t("accounts.sold")}
                  </th>
                  <th scope="col" class="num-col">
                    {t("accounts.voided")}
                  </th>
                  <th scope="col" class="num-col">
                    {t("accounts.writtenOff")}
                  </th>
                  <th scope="col" class="num-col">
                    {t("accounts.counted")}
                  </th>
                  <th scope="col" class="num-col">
                    {t("accounts.closing")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {s.lines.map((l) => (
                  <tr key={l.goodsId}>
                    <th scope="row">
                      <bdi>{l.name}</bdi>
                      {l.donors.length > 0 ? <span class="sub">{l.donors.join("、")}</span> : null}
                    </th>
                    <td class="num-col num">{l.opening}</td>
                    {SOURCES.map((k) => (
                      <td key={k} class="num-col num">
                        {l.in[k] || ""}
                      </td>
                    ))}
                    <td class="num-col num">{l.sold || ""}</td>
                    <td class="num-col num">{l.voided || ""}</td>
                    <td class="num-col num">{l.writtenOff || ""}</td>
                    <td class="num-col num">{l.countedDifference || ""}</td>
                    <td class="num-col num">
                      <strong>{l.closing}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <section class="card stack signatures" aria-labelledby="sign-title">
            <h2 class="small-title" id="sign-title">
              {t("accounts.signatures")}
            </h2>
            <ul class="sign-list">
              {(["clerk", "village_admin"] as const).map((role) => {
                const sig = s.signatures.find((x) => x.role === role);
                return (
                  <li key={role}>
                    <span class="sign-role">{tKnown("role", role)}</span>
                    {sig ? (
                      <span>
                        <Icon name="check" /> <bdi>{sig.name}</bdi>{" "}
                        <span class="sub">{formatTime(sig.signedAt, lang.value)}</span>
                      </span>
                    ) : (
                      <span class="muted">{t("accounts.notSigned")}</span>
                    )}
                  </li>
                );
              })}
            </ul>
            {!s.frozen && !mine && signedMonth.value !== month && ended ? (
              <div class="button-row">
                <button
                  type="button"
                  class="button primary"
                  disabled={busy.value}
                  onClick={() => void sign()}
                >
                  {busy.value ? t("common.working") : t("accounts.sign")}
                </button>
                <span class="hint">{t("accounts.signHint")}</span>
              </div>
            ) : null}
            {!ended ? <p class="hint">{t("accounts.notEnded")}</p> : null}
          </section>
        </>
      ) : null}
    </section>
  );
}
