import { useSignal } from "@preact/signals";
import { fieldErrors, get, post, qs } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { Empty } from "../components/Empty.tsx";
import { TextField } from "../components/Field.tsx";
import { FormButtons } from "../components/FormButtons.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Points } from "../components/Points.tsx";
import { lang, t, tKnown } from "../i18n/index.ts";
import { formatDay, shanghaiToday } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import { usePaged } from "../logic/paged.ts";
import { becauseText, problemDetail, problemText } from "../logic/problems.ts";
import { groupRules } from "../logic/rules.ts";
import { navigate } from "../router.ts";
import { villageId } from "../state/session.ts";
import type { Rule, RoundSummary } from "../types.ts";

const PAGE_SIZE = 30;
export const ROUND_RULES_MAX = 20;

/** Inspection rounds (人居环境评比): the village's rounds, a new one, or a copy of the last one. */
export default function RoundsPage() {
  const vid = villageId.value;
  const { items, cursor, state, error, loadMore } = usePaged<RoundSummary>(
    (after) =>
      vid === null ? null : `/api/villages/${vid}/rounds${qs({ limit: PAGE_SIZE, cursor: after })}`,
    [vid],
  );
  const creating = useSignal<RoundSummary | "new" | null>(null);
  if (vid === null) return <Loading />;
  const last = items.value[0] ?? null;
  return (
    <section class="page rounds">
      <PageHeader
        title={t("nav.rounds")}
        lead={t("rounds.lead")}
        actions={
          <>
            <button type="button" class="button primary" onClick={() => (creating.value = "new")}>
              <Icon name="plus" />
              {t("rounds.new")}
            </button>
            {last ? (
              <button type="button" class="button" onClick={() => (creating.value = last)}>
                {t("rounds.copyLast")}
              </button>
            ) : null}
          </>
        }
      />
      {state.value === "loading" ? <Loading /> : null}
      {state.value === "error" && error.value ? (
        <Alert tone="error">{problemText(error.value)}</Alert>
      ) : null}
      {state.value === "ok" && items.value.length === 0 ? (
        <Empty icon="rounds" title={t("rounds.none")}>
          {t("rounds.noneBody")}
        </Empty>
      ) : null}
      {items.value.length > 0 ? (
        <ul class="round-list">
          {items.value.map((r) => {
            const cells = r.rules * r.households;
            return (
              <li key={r.id}>
                <a class="round-card" href={`/admin/rounds/${r.id}`}>
                  <span class="round-name">
                    <bdi>{r.name}</bdi>
                    <span class={`tag ${r.status === "submitted" ? "ok" : "info"}`}>
                      {tKnown("rounds.status", r.status)}
                    </span>
                  </span>
                  <span class="sub">
                    {formatDay(r.day, lang.value)} ·{" "}
                    <Msg id="rounds.size" values={{ households: r.households, rules: r.rules }} />
                  </span>
                  <progress
                    max={Math.max(1, cells)}
                    value={r.status === "submitted" ? cells : r.scored}
                    aria-label={t("rounds.progress")}
                  />
                  <span class="sub">
                    {r.status === "submitted" ? (
                      <Msg id="rounds.submittedLine" values={{ entries: r.entries }} />
                    ) : (
                      <Msg id="rounds.scoredLine" values={{ scored: r.scored }} />
                    )}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      ) : null}
      {cursor.value !== null ? (
        <button type="button" class="button" onClick={loadMore}>
          {t("common.more")}
        </button>
      ) : null}
      <Dialog
        open={creating.value !== null}
        title={creating.value === "new" ? t("rounds.new") : t("rounds.copyLast")}
        onClose={() => (creating.value = null)}
        wide
      >
        {creating.value !== null ? (
          <RoundForm
            villageId={vid}
            copyOf={creating.value === "new" ? null : creating.value}
            onCancel={() => (creating.value = null)}
            onDone={(id) => navigate(`/admin/rounds/${id}`)}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

function RoundForm({
  villageId: vid,
  copyOf,
  onDone,
  onCancel,
}: {
  villageId: string;
  copyOf: RoundSummary | null;
  onDone: (id: string) => void;
  onCancel: () => void;
}) {
  const today = shanghaiToday();
  const name = useSignal(
    t("rounds.defaultName", { year: Number(today.slice(0, 4)), month: Number(today.slice(5, 7)) }),
  );
  const day = useSignal(today);
  const chosen = useSignal<ReadonlySet<string>>(new Set());
  const [rules] = useLoad(
    () => (copyOf === null ? get<{ items: Rule[] }>(`/api/villages/${vid}/rules`) : null),
    [vid, copyOf?.id ?? ""],
  );
  const errors = useSignal<{ name?: string; day?: string; rules?: string }>({});
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: { name?: string; day?: string; rules?: string } = {};
    if (name.value.trim() === "") errs.name = t("rounds.errName");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day.value) || day.value > today)
      errs.day = t("record.errFuture");
    if (copyOf === null && (chosen.value.size === 0 || chosen.value.size > ROUND_RULES_MAX))
      errs.rules = t("rounds.errRules", { max: ROUND_RULES_MAX });
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res =
      copyOf === null
        ? await post<{ round: RoundSummary }>(`/api/villages/${vid}/rounds`, {
            name: name.value.trim(),
            day: day.value,
            ruleIds: [...chosen.value],
          })
        : await post<{ round: RoundSummary }>(`/api/rounds/${copyOf.id}/copy`, {
            name: name.value.trim(),
            day: day.value,
          });
    busy.value = false;
    if (res.ok) {
      onDone(res.data.round.id);
      return;
    }
    const f = fieldErrors(res.error);
    errors.value = {
      ...(f["name"] ? { name: t("rounds.errName") } : {}),
      ...(f["day"] ? { day: t("record.errDayServer") } : {}),
      ...(f["ruleIds"] ? { rules: t("rounds.errRules", { max: ROUND_RULES_MAX }) } : {}),
    };
    failure.value =
      becauseText(res.error) ?? `${problemText(res.error)} ${problemDetail(res.error)}`;
  };
  const list = rules.value.state === "ok" ? rules.value.data.items.filter((r) => r.active) : [];
  return (
    <form class="stack" onSubmit={submit} noValidate>
      {copyOf ? (
        <p>
          <Msg
            id="rounds.copyExplain"
            values={{ name: copyOf.name, rules: copyOf.rules, households: copyOf.households }}
          />
        </p>
      ) : null}
      <div class="field-row">
        <TextField
          id="round-name"
          label={t("rounds.name")}
          error={errors.value.name}
          maxLength={60}
          value={name.value}
          onValue={(v) => (name.value = v)}
        />
        <TextField
          id="round-day"
          label={t("rounds.day")}
          error={errors.value.day}
          type="date"
          max={today}
          value={day.value}
          onValue={(v) => (day.value = v)}
        />
      </div>
      {copyOf === null ? (
        <fieldset
          class="template-list"
          aria-describedby={errors.value.rules ? "round-rules-error" : "round-rules-hint"}
        >
          <legend>{t("rounds.rules")}</legend>
          <p class="hint" id="round-rules-hint">
            {t("rounds.rulesHint")}
          </p>
          {rules.value.state === "loading" ? <Loading /> : null}
          {groupRules(list).map((g) => (
            <div key={g.category}>
              <h3 class="tiny-title">{tKnown("category", g.category)}</h3>
              {g.rules.map((r) => (
                <label key={r.id} class="checkbox">
                  <input
                    type="checkbox"
                    checked={chosen.value.has(r.id)}
                    onChange={() => {
                      const next = new Set(chosen.value);
                      if (next.has(r.id)) next.delete(r.id);
                      else next.add(r.id);
                      chosen.value = next;
                    }}
                  />
                  <span>
                    <span class="mono">{r.code}</span> <bdi>{r.title}</bdi>{" "}
                    <Points value={r.points} signed />
                  </span>
                </label>
              ))}
            </div>
          ))}
          {errors.value.rules ? (
            <p class="field-error" id="round-rules-error" role="alert">
              {errors.value.rules}
            </p>
          ) : null}
        </fieldset>
      ) : null}
      <p class="hint">{t("rounds.householdsAll")}</p>
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons
        busy={busy.value}
        submit={copyOf ? t("rounds.copyGo") : t("rounds.create")}
        onCancel={onCancel}
      />
    </form>
  );
}
