import { get } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Empty } from "../components/Empty.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Points } from "../components/Points.tsx";
import { lang, t } from "../i18n/index.ts";
import { formatDay, shanghaiToday } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import { problemText } from "../logic/problems.ts";
import { isCommittee, me, village, villageId } from "../state/session.ts";
import type { Today } from "../types.ts";

type Task = { count: number; label: string; href: string; tone: "accent" | "warn" | "info" };

/** Today: what waits for this person, with counts and links, and the village's month at a glance. */
export default function TodayPage() {
  const vid = villageId.value;
  const [today] = useLoad(
    () => (vid === null ? null : get<Today>(`/api/villages/${vid}/today`)),
    [vid],
  );
  // Home deliveries still to carry out (issue 18), as one more task.
  const [deliveries] = useLoad(
    () =>
      vid === null
        ? null
        : get<{ items: unknown[] }>(`/api/villages/${vid}/deliveries?status=waiting&limit=200`),
    [vid],
  );
  const deliveriesWaiting =
    deliveries.value.state === "ok" ? deliveries.value.data.items.length : 0;
  const state = today.value;
  const name = me.value?.displayName ?? me.value?.username ?? "";
  return (
    <section class="page today">
      <PageHeader
        title={t("nav.today")}
        lead={
          <Msg
            id="today.lead"
            values={{
              name,
              village: village.value?.name ?? "",
              day: formatDay(shanghaiToday(), lang.value),
            }}
          />
        }
        actions={
          <>
            <a class="button primary" href="/admin/record">
              <Icon name="record" />
              {t("today.record")}
            </a>
            <a class="button" href="/admin/households">
              <Icon name="search" />
              {t("today.findHousehold")}
            </a>
          </>
        }
      />
      {state.state === "loading" ? <Loading /> : null}
      {state.state === "error" ? <Alert tone="error">{problemText(state.error)}</Alert> : null}
      {state.state === "ok" ? (
        <TodayBody today={state.data} deliveriesWaiting={deliveriesWaiting} />
      ) : null}
    </section>
  );
}

function TodayBody({ today, deliveriesWaiting }: { today: Today; deliveriesWaiting: number }) {
  const committee = isCommittee.value;
  const tasks: Task[] = [];
  if (committee) {
    tasks.push({
      count: today.toApprove,
      label: t("today.toApprove"),
      href: "/admin/review?tab=approve",
      tone: "accent",
    });
    tasks.push({
      count: today.objections,
      label: t("today.objections"),
      href: "/admin/review?tab=objections",
      tone: "warn",
    });
    tasks.push({
      count: today.noticesEndingSoon,
      label: t("today.noticesEnding"),
      href: "/admin/review?tab=notice",
      tone: "info",
    });
    tasks.push({
      count: today.claims,
      label: t("today.claims"),
      href: "/admin/review?tab=approve",
      tone: "info",
    });
  }
  tasks.push({
    count: today.ownProposed,
    label: t("today.ownProposed"),
    href: committee ? "/admin/review?tab=approve" : "/admin/record",
    tone: "info",
  });
  tasks.push({
    count: deliveriesWaiting,
    label: t("today.deliveries"),
    href: "/admin/sales",
    tone: "warn",
  });
  const waiting = tasks.filter((x) => x.count > 0);
  const month = today.month;
  const [year, monthNo] = month.month.split("-").map(Number);
  return (
    <>
      <h2 class="section-title">{t("today.waiting")}</h2>
      {waiting.length === 0 && today.lowStock.length === 0 ? (
        <Empty icon="check" title={t("today.nothing")}>
          {t("today.nothingBody")}
        </Empty>
      ) : (
        <ul class="task-grid">
          {waiting.map((task) => (
            <li key={task.label}>
              <a class={`task task-${task.tone}`} href={task.href}>
                <span class="task-count num">{task.count}</span>
                <span class="task-label">{task.label}</span>
              </a>
            </li>
          ))}
          {today.lowStock.length > 0 ? (
            <li class="task-wide">
              <div class="task task-warn static">
                <span class="task-count num">{today.lowStock.length}</span>
                <span class="task-label">{t("today.lowStock")}</span>
                <ul class="low-stock">
                  {today.lowStock.map((g) => (
                    <li key={g.id}>
                      <bdi>{g.name}</bdi> <Msg id="today.stockLeft" values={{ count: g.stock }} />
                    </li>
                  ))}
                </ul>
              </div>
            </li>
          ) : null}
        </ul>
      )}
      <h2 class="section-title">
        <Msg id="today.month" values={{ year: year ?? "", month: monthNo ?? "" }} />
      </h2>
      <dl class="figures">
        <div class="figure">
          <dt>{t("today.awarded")}</dt>
          <dd>
            <Points value={month.awarded} signed />
          </dd>
        </div>
        <div class="figure">
          <dt>{t("today.deducted")}</dt>
          <dd>
            <Points value={-Math.abs(month.deducted)} signed />
          </dd>
        </div>
        <div class="figure">
          <dt>{t("today.redeemed")}</dt>
          <dd>
            <Points value={Math.abs(month.redeemed)} />
          </dd>
        </div>
        <div class="figure">
          <dt>{t("today.active")}</dt>
          <dd>
            <Msg
              id="today.activeOf"
              values={{ active: month.activeHouseholds, total: month.households }}
            />
          </dd>
        </div>
      </dl>
    </>
  );
}
