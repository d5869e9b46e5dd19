import { get, qs } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { BarChart, type Series } from "../components/BarChart.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Points } from "../components/Points.tsx";
import { lang, t, tKnown } from "../i18n/index.ts";
import { formatDay, shanghaiToday } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import {
  periodFromQuery,
  periodOf,
  periodQuery,
  stepPeriod,
  type Period,
  type PeriodKind,
} from "../logic/period.ts";
import { problemText } from "../logic/problems.ts";
import { here, queryParam, setQuery } from "../router.ts";
import { me, village, villageId } from "../state/session.ts";
import type { Report } from "../types.ts";

const COLORS = {
  awarded: "#2f7d46",
  deducted: "#b0261b",
  redeemed: "#c08a1e",
  active: "#0d5299",
  perHousehold: "#7a3e9d",
  participation: "#0d7d7d",
};
const KINDS: readonly PeriodKind[] = ["month", "quarter", "year", "custom"];
const GOODS_SHOWN = 10;

function periodLabel(p: Period): string {
  if (p.kind === "month")
    return t("period.monthLabel", { year: p.label.year, month: p.label.month ?? 0 });
  if (p.kind === "quarter")
    return t("period.quarterLabel", { year: p.label.year, quarter: p.label.quarter ?? 0 });
  if (p.kind === "year") return t("period.yearLabel", { year: p.label.year });
  return `${formatDay(p.from, lang.value)} – ${formatDay(p.to, lang.value)}`;
}

/** "2026-12" → "12月" (short, for an axis). */
function monthLabel(month: string): string {
  return t("period.monthShort", { month: Number(month.slice(5, 7)) });
}

/**
 * Reports: a period picker (month, quarter, year, custom); charts of points by category and by
 * month, redemptions by good and households active, each readable as a table; the honour board;
 * CSV and Excel downloads of the same figures; for the township, its villages side by side.
 */
export default function ReportsPage() {
  const today = shanghaiToday();
  const query = new URLSearchParams(here.value.search);
  const period = periodFromQuery(query, today);
  const township = me.value?.role === "township_admin";
  const scope = township && queryParam("scope") === "township" ? "township" : "village";
  const vid = villageId.value;
  const base = scope === "township" ? "/api/township/report" : `/api/villages/${vid}/report`;
  const [report] = useLoad(
    () =>
      scope === "village" && vid === null
        ? null
        : get<Report>(`${base}${qs({ from: period.from, to: period.to })}`),
    [base, period.from, period.to],
  );
  const go = (p: Period) =>
    setQuery(
      {
        period: null,
        month: null,
        quarter: null,
        year: null,
        from: null,
        to: null,
        ...periodQuery(p),
      },
      { replace: false },
    );
  const download = (format: "csv" | "xlsx") =>
    `${base}${qs({ from: period.from, to: period.to, format })}`;
  const state = report.value;
  return (
    <section class="page reports">
      <PageHeader
        title={t("nav.reports")}
        lead={
          scope === "township" ? (
            t("reports.leadTownship")
          ) : (
            <Msg id="reports.lead" values={{ village: village.value?.name ?? "" }} />
          )
        }
        actions={
          <>
            <a class="button" href={download("xlsx")} download>
              <Icon name="import" />
              {t("reports.xlsx")}
            </a>
            <a class="button" href={download("csv")} download>
              {t("reports.csv")}
            </a>
          </>
        }
      />
      <form
        class="card period-picker"
        aria-label={t("period.label")}
        onSubmit={(e) => e.preventDefault()}
      >
        {township ? (
          <fieldset class="segmented">
            <legend>{t("reports.scope")}</legend>
            <label class={scope === "village" ? "seg active" : "seg"}>
              <input
                type="radio"
                name="scope"
                class="visually-hidden"
                checked={scope === "village"}
                onChange={() => setQuery({ scope: null }, { replace: false })}
              />
              {village.value?.name ?? t("shell.village")}
            </label>
            <label class={scope === "township" ? "seg active" : "seg"}>
              <input
                type="radio"
                name="scope"
                class="visually-hidden"
                checked={scope === "township"}
                onChange={() => setQuery({ scope: "township" }, { replace: false })}
              />
              {t("reports.township")}
            </label>
          </fieldset>
        ) : null}
        <fieldset class="segmented">
          <legend>{t("period.kind")}</legend>
          {KINDS.map((k) => (
            <label key={k} class={period.kind === k ? "seg active" : "seg"}>
              <input
                type="radio"
                name="period-kind"
                class="visually-hidden"
                checked={period.kind === k}
                onChange={() => go(periodOf(k, today))}
              />
              {tKnown("period", k)}
            </label>
          ))}
        </fieldset>
        {period.kind === "custom" ? (
          <div class="period-custom">
            <div class="field">
              <label for="period-from">{t("sales.from")}</label>
              <input
                id="period-from"
                type="date"
                value={period.from}
                max={period.to}
                onChange={(e) =>
                  go({ ...period, from: (e.target as HTMLInputElement).value || period.from })
                }
              />
            </div>
            <div class="field">
              <label for="period-to">{t("sales.to")}</label>
              <input
                id="period-to"
                type="date"
                value={period.to}
                min={period.from}
                onChange={(e) =>
                  go({ ...period, to: (e.target as HTMLInputElement).value || period.to })
                }
              />
            </div>
          </div>
        ) : (
          <div class="period-step">
            <button
              type="button"
              class="button small"
              onClick={() => go(stepPeriod(period, -1))}
              aria-label={t("period.previous")}
            >
              ‹
            </button>
            <strong class="period-name" aria-live="polite">
              {periodLabel(period)}
            </strong>
            <button
              type="button"
              class="button small"
              onClick={() => go(stepPeriod(period, 1))}
              aria-label={t("period.next")}
              disabled={period.to >= today}
            >
              ›
            </button>
          </div>
        )}
      </form>
      {state.state === "loading" ? <Loading /> : null}
      {state.state === "error" ? <Alert tone="error">{problemText(state.error)}</Alert> : null}
      {state.state === "ok" ? (
        <ReportBody report={state.data} township={scope === "township"} />
      ) : null}
    </section>
  );
}

function ReportBody({ report, township }: { report: Report; township: boolean }) {
  const pointSeries: Series[] = [
    { key: "awarded", label: t("reports.awarded"), color: COLORS.awarded },
    { key: "deducted", label: t("reports.deducted"), color: COLORS.deducted },
  ];
  const monthSeries: Series[] = [
    ...pointSeries,
    { key: "redeemed", label: t("reports.redeemed"), color: COLORS.redeemed },
  ];
  const households = report.households ?? { total: 0, active: report.householdsActive };
  const goods = [...report.goodsRedeemed.items]
    .sort((a, b) => b.quantity - a.quantity)
    .slice(0, GOODS_SHOWN);
  return (
    <div
      class="report"
      data-scope={township ? "township" : "village"}
      data-from={report.from}
      data-to={report.to}
    >
      <dl class="figures">
        <div class="figure">
          <dt>{t("reports.awarded")}</dt>
          <dd>
            <Points value={report.totals.awarded} signed />
          </dd>
        </div>
        <div class="figure">
          <dt>{t("reports.deducted")}</dt>
          <dd>
            <Points value={-Math.abs(report.totals.deducted)} signed />
          </dd>
        </div>
        <div class="figure">
          <dt>{t("reports.redeemed")}</dt>
          <dd>
            <Points value={Math.abs(report.totals.redeemed)} />
          </dd>
        </div>
        <div class="figure">
          <dt>{t("today.active")}</dt>
          <dd>
            {households.total > 0 ? (
              <Msg
                id="today.activeOf"
                values={{ active: households.active, total: households.total }}
              />
            ) : (
              households.active
            )}
          </dd>
        </div>
      </dl>
      {township && report.villages ? <TownshipCharts report={report} /> : null}
      <div class="chart-grid">
        <BarChart
          id="chart-category"
          title={t("reports.byCategory")}
          unit={t("rules.category")}
          series={pointSeries}
          horizontal
          empty={t("reports.empty")}
          rows={report.byCategory
            .filter((c) => c.awarded !== 0 || c.deducted !== 0)
            .map((c) => ({
              label: tKnown("category", c.category),
              values: { awarded: c.awarded, deducted: c.deducted },
            }))}
        />
        <BarChart
          id="chart-month"
          title={t("reports.byMonth")}
          unit={t("reports.month")}
          series={monthSeries}
          empty={t("reports.empty")}
          rows={report.byMonth.map((m) => ({
            label: monthLabel(m.month),
            values: { awarded: m.awarded, deducted: m.deducted, redeemed: m.redeemed },
          }))}
        />
        <BarChart
          id="chart-goods"
          title={t("reports.goods")}
          unit={t("reports.good")}
          series={[
            { key: "quantity", label: t("reports.quantity"), color: COLORS.redeemed },
            { key: "points", label: t("reports.points"), color: COLORS.awarded, tableOnly: true },
          ]}
          horizontal
          empty={t("reports.noGoods")}
          rows={goods.map((g) => ({
            label: g.name,
            values: { quantity: g.quantity, points: g.points },
          }))}
        />
        {report.activeByMonth ? (
          <BarChart
            id="chart-active"
            title={t("reports.activeByMonth")}
            unit={t("reports.month")}
            series={[{ key: "active", label: t("today.active"), color: COLORS.active }]}
            empty={t("reports.empty")}
            rows={report.activeByMonth.map((m) => ({
              label: monthLabel(m.month),
              values: { active: m.active },
            }))}
          />
        ) : null}
      </div>
      <section class="card stack" aria-labelledby="honour-title">
        <h2 class="small-title" id="honour-title">
          {t("reports.honour")}
        </h2>
        {report.honourBoard.top.length === 0 ? (
          <p class="hint">{t("reports.empty")}</p>
        ) : (
          <div class="table-wrap">
            <table class="table compact">
              <thead>
                <tr>
                  <th scope="col">{t("reports.rank")}</th>
                  <th scope="col">{t("household.head")}</th>
                  <th scope="col" class="num-col">
                    {t("reports.earned")}
                  </th>
                  <th scope="col">{t("reports.stars")}</th>
                </tr>
              </thead>
              <tbody>
                {report.honourBoard.top.map((h, i) => {
                  const stars = h.star;
                  return (
                    <tr key={h.householdId}>
                      <td class="num">{i + 1}</td>
                      <td>
                        <a href={`/admin/households/${h.householdId}`}>
                          <bdi>{h.headName}</bdi>
                        </a>
                      </td>
                      <td class="num-col">
                        <Points value={h.earned} />
                      </td>
                      <td aria-label={t("reports.starsN", { n: stars })}>
                        <span class="stars" aria-hidden="true">
                          {"★".repeat(stars)}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function TownshipCharts({ report }: { report: Report }) {
  const villages = report.villages ?? [];
  return (
    <div class="chart-grid">
      <BarChart
        id="chart-villages-points"
        title={t("reports.perHousehold")}
        unit={t("shell.village")}
        horizontal
        empty={t("reports.empty")}
        series={[
          {
            key: "perHousehold",
            label: t("reports.perHouseholdShort"),
            color: COLORS.perHousehold,
          },
        ]}
        rows={villages.map((v) => ({
          label: v.name,
          values: { perHousehold: v.pointsPerHousehold },
        }))}
      />
      <BarChart
        id="chart-villages-participation"
        title={t("reports.participation")}
        unit={t("shell.village")}
        horizontal
        empty={t("reports.empty")}
        series={[
          {
            key: "participation",
            label: t("reports.participationShort"),
            color: COLORS.participation,
          },
        ]}
        rows={villages.map((v) => ({ label: v.name, values: { participation: v.participation } }))}
      />
      <BarChart
        id="chart-villages-redeemed"
        title={t("reports.villageRedeemed")}
        unit={t("shell.village")}
        horizontal
        empty={t("reports.empty")}
        series={[{ key: "redeemed", label: t("reports.redeemed"), color: COLORS.redeemed }]}
        rows={villages.map((v) => ({ label: v.name, values: { redeemed: Math.abs(v.redeemed) } }))}
      />
    </div>
  );
}
